// The walkthrough of DESIGN.md in a real VS Code (code-server + chromium), through the UI only: tasks from
// editor selections via the palette and quick picks, an import, training with its notification, the sidebar,
// a routed Run on Selection, the panel, and the engine killed in the middle of a run. Screenshots go to
// .conpet-test/screenshots/ (`npm run screenshots` writes the README's, in docs/screenshots/). Run with `npm run test:e2e`.
import assert from "node:assert/strict";
import {existsSync, mkdirSync, readFileSync} from "node:fs";
import path from "node:path";
import {after, before, describe, it, type TestContext} from "node:test";
import {getTestModelPath} from "../utils/modelFiles";
import {repoRoot} from "../../scripts/vscode/toolPaths.mjs";
import {startVscodeSession, type VscodeSession} from "./utils/startVscodeSession";
import type {Workbench} from "./utils/Workbench";

const addCommand = "ConPET: Add Selection to Task…";
/** Training on the 260K-parameter model takes seconds per task; a busy 2-core machine is much slower. */
const trainTimeoutMs = 10 * 60_000;

describe("ConPET in a real VS Code", {timeout: 30 * 60_000}, () => {
    let session: VscodeSession;
    let ui: Workbench;

    before(async () => {
        session = await startVscodeSession({
            modelPath: getTestModelPath(),
            // Few steps: the test checks the flow, not what the tiny model learns.
            userSettings: {"conpet.training.stepsPerTask": 20}
        });
        ui = session.workbench;
    });

    after(async () => {
        await session?.dispose();
    });

    /** 1-based line and column of the first occurrence of `text` in a workspace file. */
    function locate(relativePath: string, text: string): {line: number, column: number} {
        const lines = readFileSync(path.join(session.workspace, relativePath), "utf8").split("\n");
        const index = lines.findIndex((line) => line.includes(text));
        assert.notEqual(index, -1, `${text} is not in ${relativePath}`);
        return {line: index + 1, column: lines[index]!.indexOf(text) + 1};
    }

    /**
     * One step of the walkthrough: after a failed step the later ones are skipped (they depend on it), and a
     * failure leaves a screenshot of the window in `.conpet-test/e2e-failures/`.
     */
    const failedSteps: string[] = [];
    const declaredSteps: string[] = [];
    /** `needs`: the steps this one depends on. Defaults to every earlier step. */
    function step(name: string, run: () => Promise<void>, {needs}: {needs?: string[]} = {}): void {
        declaredSteps.push(name);
        it(name, async (t: TestContext) => {
            const missing = failedSteps.find((failed) => needs === undefined || needs.includes(failed));
            if (missing !== undefined) {
                t.skip(`after the failed step "${missing}"`);
                return;
            }
            try {
                await run();
            } catch (err) {
                failedSteps.push(name);
                await ui?.page.screenshot({path: path.join(repoRoot, ".conpet-test", "e2e-failures", `${name.replace(/[^\w-]+/g, "_").slice(0, 80)}.png`)}).catch(() => undefined);
                throw err;
            }
        });
    }

    async function waitForSampleAdded(task: string, samples: number): Promise<void> {
        await ui.page.locator(".statusbar-item", {hasText: `added to "${task}" (${samples} ${samples === 1 ? "sample" : "samples"})`}).first().waitFor({timeout: 30_000});
    }

    step("the status bar shows the model before the ConPET view was ever opened", async () => {
        await ui.page.locator(".statusbar-item", {hasText: "stories260K"}).first().waitFor({timeout: 60_000});
    }, {needs: []});

    step("creates a classify task from a selected log line through the palette and quick picks", async () => {
        await ui.openFile("logs/app.log");
        await ui.selectLine(1);
        await ui.runCommand(addCommand);
        await ui.pickQuickItem("New task…", "Add the selection to which task?");
        await ui.submitInput("log-level", "Create Task: name");
        await ui.submitInput("Classify this log line by its level", "Create Task: instruction");
        await ui.pickQuickItem("Classify", "Create Task: kind");
        await ui.submitInput("error, warning, info", "Create Task: labels");
        await ui.pickQuickItem("error", "Which label");
        await waitForSampleAdded("log-level", 1);
        // `conpet.storageLocation` (machine scope) put the database where the session asked.
        assert.ok(existsSync(path.join(session.storeDir, "conpet.db")), `no conpet.db in ${session.storeDir}`);
    });

    step("adds more selected lines to it with their labels", async () => {
        const labelled: Array<[string, string]> = [["GET /api/users", "info"], ["hit ratio dropped", "warning"], ["card declined", "error"], ["is 87% full", "warning"], ["user alice signed in", "info"]];
        let count = 1;
        for (const [text, label] of labelled) {
            await ui.selectLine(locate("logs/app.log", text).line);
            await ui.runCommand(addCommand);
            await ui.pickQuickItem("log-level", "Add the selection to which task?");
            await ui.pickQuickItem(label, "Which label");
            await waitForSampleAdded("log-level", ++count);
        }
    });

    step("creates a generate task from a selected identifier and adds more", async () => {
        await ui.openFile("src/names.py");
        const samples: Array<[string, string]> = [["parse_http_header", "parseHttpHeader"], ["load_user_settings", "loadUserSettings"], ["default_values", "defaultValues"], ["max_retry_count", "maxRetryCount"]];
        let count = 0;
        for (const [identifier, camel] of samples) {
            const {line, column} = locate("src/names.py", identifier);
            await ui.selectWord(line, column);
            await ui.runCommand(addCommand);
            if (count === 0) {
                await ui.pickQuickItem("New task…", "Add the selection to which task?");
                await ui.submitInput("snake-to-camel", "Create Task: name");
                await ui.submitInput("Convert this snake_case identifier to camelCase", "Create Task: instruction");
                await ui.pickQuickItem("Generate", "Create Task: kind");
            } else
                await ui.pickQuickItem("snake-to-camel", "Add the selection to which task?");
            await ui.submitInput(camel, "expected output");
            await waitForSampleAdded("snake-to-camel", ++count);
        }
    });

    step("imports more examples, with held-out ones, from JSONL files", async () => {
        for (const task of ["log-level", "snake-to-camel"]) {
            await ui.runCommand("ConPET: Import Examples…");
            await ui.pickQuickItem("A JSONL file…", "Import examples from");
            await ui.pickFileInOpenDialog(path.join(session.workspace, "examples", `${task}.jsonl`));
            await ui.pickQuickItem(task, "to which task?");
            await ui.waitForNotification(`imported ${task} (+10)`);
        }
        await ui.clearNotifications();
    });

    const trainStep = "trains both tasks and the notification reports the end";
    step(trainStep, async () => {
        await ui.openViewContainer("ConPET");
        // A double click on Train: the second click says a training runs (no red internal error; an error toast fails the wait).
        await ui.clickSidebarTitleAction("Train", 2);
        await ui.waitForNotification(/a training is already running/);
        await ui.waitForNotification(/ConPET: Training/);
        await ui.screenshot("training");
        await ui.waitForNotification(/training finished/, trainTimeoutMs);
    });

    step("shows two ready modules in the sidebar", async () => {
        await ui.clearNotifications();
        const sidebar = await ui.openViewContainer("ConPET");
        await ui.treeItem(sidebar, /^Task log-level, ready/).waitFor({timeout: 30_000});
        await ui.treeItem(sidebar, /^Task snake-to-camel, ready/).waitFor({timeout: 30_000});
        await ui.treeItem(sidebar, /^Task log-level, ready/).click();
        await ui.page.keyboard.press("ArrowRight");
        await ui.screenshot("sidebar");
    });

    step("a mislabelled sample is relabelled from the sidebar: the task goes stale, and ready again once undone", async () => {
        const sidebar = ui.page.locator(".part.sidebar");
        await ui.treeItem(sidebar, /^Samples/).first().click();
        await ui.page.keyboard.press("ArrowRight");
        const sample = ui.treeItem(sidebar, /^2026-11-20 09:14:02 ERROR db\.pool/).first();
        await ui.clickContextMenuItem(sample, "Change Label / Output…");
        await ui.pickQuickItem("warning", "Which label");
        await ui.treeItem(sidebar, /^Task log-level, samples changed since training/).waitFor({timeout: 30_000});
        await ui.screenshot("sample-relabelled");
        await ui.clickContextMenuItem(sample, "Change Label / Output…");
        await ui.pickQuickItem("error", "Which label");
        await ui.treeItem(sidebar, /^Task log-level, ready/).waitFor({timeout: 30_000});
    });

    step("Export in the sidebar's … menu exports every task, though a task has the focus", async () => {
        await ui.clearNotifications();
        await ui.treeItem(ui.page.locator(".part.sidebar"), /^Task log-level, ready/).click();
        const exportDir = path.join(session.workspace, "..", "export");
        mkdirSync(exportDir);
        await ui.clickSidebarMoreAction("Export…");
        await ui.pickFolderInOpenDialog(exportDir, "Export Here");
        await ui.waitForNotification(/exported 2 tasks/);
        const suite = JSON.parse(readFileSync(path.join(exportDir, "suite.json"), "utf8")) as {tasks: string[]};
        assert.deepEqual(suite.tasks, ["log-level", "snake-to-camel"]);
    });

    step("Run on Selection routes a new log line to the log-level module; Replace, after the selection moved, replaces the answered line", async () => {
        await ui.openFile("logs/app.log");
        const {line} = locate("logs/app.log", "snapshot db-2026-11-20");
        await ui.selectLine(line);
        await ui.runCommand("ConPET: Run on Selection");
        const toast = await ui.waitForNotification(/routed to "log-level"/, 120_000);
        await ui.screenshot("routed-answer");
        const message = await ui.getNotificationMessage(toast);
        const answer = message.match(/ConPET → (\S+)\s+·\s+\d+% likely\s+·\s+routed to "log-level" \(selector \d+%\)/)?.[1];
        assert.ok(answer !== undefined && ["error", "warning", "info"].includes(answer), `answer ${answer} of: ${message}`);
        // The user looks at the line above before deciding: Replace still means the line that was answered.
        await ui.selectLine(locate("logs/app.log", "rate-limit").line);
        await ui.clickNotificationButton(toast, "Replace Selection");
        const lines = ui.page.locator(".editor-instance .view-line");
        await lines.filter({hasText: new RegExp(`^${answer}$`)}).first().waitFor({timeout: 30_000});
        assert.equal(await lines.filter({hasText: "snapshot db-2026-11-20"}).count(), 0, "the answered line was not replaced");
        assert.equal(await lines.filter({hasText: "rate-limit"}).count(), 1, "the line selected afterwards was overwritten");
    });

    step("Run on Selection routes a new identifier to the snake-to-camel module", async () => {
        await ui.clearNotifications();
        await ui.openFile("src/names.py");
        const {line, column} = locate("src/names.py", "connection_pool_size");
        await ui.selectWord(line, column);
        await ui.runCommand("ConPET: Run on Selection");
        await ui.waitForNotification(/routed to "snake-to-camel"/, 120_000);
    });

    step("the panel shows both modules, their accuracies and the heatmap", async () => {
        await ui.clearNotifications();
        await ui.runCommand("ConPET: Open Panel");
        const panel = ui.webviewFrame();
        await panel.getByText("log-level").first().waitFor({timeout: 60_000});
        await panel.getByText("snake-to-camel").first().waitFor({timeout: 30_000});
        await panel.locator("#loss-chart").waitFor({state: "visible", timeout: 30_000});
        await ui.screenshot("panel");
        await panel.locator("#heatmap-chart").waitFor({state: "visible", timeout: 30_000});
        const caption = await panel.locator("#heatmap-caption").textContent();
        assert.match(caption ?? "", /average held-out accuracy \d+(\.\d)?%/);
        await panel.locator("#heatmap").scrollIntoViewIfNeeded();
        await ui.screenshot("panel-heatmap");
    });

    step("the panel's charts follow a switch to a light theme while it is open", async () => {
        const panel = ui.webviewFrame();
        // The DOM types are spelled out: this file is type-checked without the DOM library.
        type Canvas = {dataset: Record<string, string | undefined>; ownerDocument: {body: unknown; defaultView: {getComputedStyle(element: unknown): {getPropertyValue(name: string): string}}}};
        const colors = async () => await panel.locator("#loss-chart").evaluate((element) => {
            const canvas = element as unknown as Canvas;
            const theme = canvas.ownerDocument.defaultView.getComputedStyle(canvas.ownerDocument.body).getPropertyValue("--vscode-foreground").trim();
            return {drawn: canvas.dataset.foreground, theme};
        });
        const dark = await colors();
        assert.equal(dark.drawn, dark.theme);
        await ui.runCommand("Preferences: Color Theme");
        await ui.pickQuickItem("Light Modern", "Select Color Theme");
        const deadline = Date.now() + 30_000;
        let light = await colors();
        while ((light.theme === dark.theme || light.drawn !== light.theme) && Date.now() < deadline) {
            await new Promise((resolve) => setTimeout(resolve, 200));
            light = await colors();
        }
        assert.notEqual(light.theme, dark.theme, "the theme did not change");
        assert.equal(light.drawn, light.theme, "the chart kept the dark theme's text color");
        await ui.runCommand("Preferences: Color Theme");
        await ui.pickQuickItem("Dark Modern", "Select Color Theme");
    });

    step("reports an engine killed during a run, and the next run works", async () => {
        await ui.clearNotifications();
        const [enginePid] = session.findEnginePids();
        assert.ok(enginePid !== undefined, "the engine process is running");
        await ui.openFile("logs/app.log");
        await ui.selectLine(locate("logs/app.log", "sent 14 notification emails").line);
        // Frozen first, so the run is certainly waiting on it when it dies.
        process.kill(enginePid, "SIGSTOP");
        await ui.runCommand("ConPET: Run on Selection");
        await ui.page.locator(".statusbar-item", {hasText: "answering"}).first().waitFor({timeout: 30_000});
        process.kill(enginePid, "SIGKILL");
        const crashed = await ui.waitForNotification(/engine/i, 60_000);
        await ui.screenshot("engine-crashed");
        assert.doesNotMatch(await ui.getNotificationMessage(crashed), /routed to/);

        await ui.clearNotifications();
        await ui.selectLine(locate("logs/app.log", "sent 14 notification emails").line);
        await ui.runCommand("ConPET: Run on Selection");
        await ui.waitForNotification(/routed to "log-level"/, 120_000);
        const [newPid] = session.findEnginePids();
        assert.ok(newPid !== undefined && newPid !== enginePid, "a new engine process answered");
    }, {needs: declaredSteps.slice(0, declaredSteps.indexOf(trainStep) + 1)});
});
