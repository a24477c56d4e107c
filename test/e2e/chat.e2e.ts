// ConPET in VS Code's Chat view of a real VS Code (code-server 4.139.1, offline), through the UI only: the
// model picker offers the `conpet` models, `@conpet` answers a log line with the module that answered and how
// sure it was, its Correct… button stores the right label, and the tasks view shows the correction waiting.
// The store is prepared with the `conpet` CLI (two tasks from the sample workspace's examples, trained).
// Offline, the chat needs no sign-in for a third-party model in Ask mode; Agent mode (the default) lists
// only models that call tools, so the session turns agents off (`chat.agent.enabled: false`).
// Screenshot: chat-conpet.png (README), correction-waiting.png.
import assert from "node:assert/strict";
import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {after, before, describe, it} from "node:test";
import {repoRoot} from "../../scripts/vscode/toolPaths.mjs";
import {getTestModelPath} from "../utils/modelFiles";
import {startVscodeSession, type VscodeSession} from "./utils/startVscodeSession";
import type {Workbench} from "./utils/Workbench";

const logLine = "2026-11-20 08:15:02 ERROR db: connection pool exhausted after 30 s";
const labels = ["error", "warning", "info"];
/** Training two small tasks on a busy 2-core machine, and the first answers while the engine loads. */
const answerTimeoutMs = 120_000;

describe("@conpet in VS Code's Chat view", {timeout: 20 * 60_000}, () => {
    let session: VscodeSession;
    let ui: Workbench;
    /** The label @conpet answered (the correction gives another). */
    let answered: string | undefined;
    const store = mkdtempSync(path.join(os.tmpdir(), "conpet-chat-e2e-store-"));

    before(async () => {
        prepareStore(store);
        session = await startVscodeSession({
            modelPath: getTestModelPath(),
            userSettings: {"conpet.storageLocation": store, "chat.disableAIFeatures": false, "chat.agent.enabled": false}
        });
        ui = session.workbench;
    });

    after(async () => {
        await session?.dispose();
        rmSync(store, {recursive: true, force: true});
    });

    /** A test whose failure leaves a picture of the window in .conpet-test/e2e-failures/. */
    function step(name: string, run: () => Promise<void>): void {
        it(name, async () => {
            try {
                await run();
            } catch (err) {
                await ui?.page.screenshot({path: path.join(repoRoot, ".conpet-test", "e2e-failures", `chat-${name.replace(/[^\w-]+/g, "_").slice(0, 80)}.png`)}).catch(() => undefined);
                throw err;
            }
        });
    }

    /** The chat's input box and its toolbar (mode, model picker). */
    const chatInput = () => ui.page.locator(".interactive-input-part").first();
    /** The conversation (requests and responses). */
    const chatList = () => ui.page.locator(".interactive-session .interactive-list").first();

    /** Replaces what the input holds (after a first message it keeps "@conpet ", the participant is sticky) and sends. */
    async function send(text: string): Promise<void> {
        await chatInput().locator(".interactive-input-editor .monaco-editor").first().click();
        await ui.page.keyboard.press("Control+A");
        await ui.page.keyboard.press("Delete");
        await ui.page.keyboard.type(text);
        // Enter would accept the completion a typed "/command" opens, not send.
        await chatInput().getByRole("button", {name: /^Send/}).first().click();
    }

    step("the Chat view opens in Ask mode and its model picker selects a ConPET model", async () => {
        // The log the line comes from, beside the chat (for the README's picture).
        await ui.openFile("logs/app.log");
        await ui.page.keyboard.press("Control+Alt+I");
        await chatInput().waitFor({timeout: 60_000});
        await chatInput().getByText("Ask", {exact: true}).waitFor({timeout: 60_000});
        // The picker shows a model once the provider answered; a request sent before fails with "Language model unavailable".
        await chatInput().getByText(/ConPET \(routed\)|stories260K \(base model\)/).first().waitFor({timeout: 60_000});
        if (!await chatInput().getByText("ConPET (routed)").isVisible()) {
            await chatInput().getByText("stories260K (base model)").click();
            await ui.page.locator(".action-widget").getByText("ConPET (routed)").first().click();
            await chatInput().getByText("ConPET (routed)").waitFor();
        }
    });

    step("@conpet answers a log line with its label, says which module answered and how sure it was, and offers Correct…", async () => {
        await send(`@conpet ${logLine}`);
        const footer = chatList().getByText(/Answered by the log-level module · \d+% likely · selector \d+% sure/);
        await footer.waitFor({timeout: answerTimeoutMs});
        const response = chatList().locator(".interactive-response").last();
        const text = (await response.innerText()).replace(/\u00a0/g, " ");
        // The response reads: the label, then the line saying who answered.
        answered = labels.find((label) => text.split("Answered by")[0]!.trim().endsWith(label));
        assert.ok(answered !== undefined, text);
        await response.getByRole("button", {name: "Correct…"}).waitFor();
        await ui.screenshot("chat-conpet");
    });

    step("Correct… stores the right label; the tasks view shows the correction waiting for training", async () => {
        const response = chatList().locator(".interactive-response").last();
        const right = labels.find((label) => label !== answered)!;
        await response.getByRole("button", {name: "Correct…"}).click();
        await ui.pickQuickItem("log-level", "Which task should have answered");
        await ui.pickQuickItem(right, "Which label");
        await ui.waitForNotification(/the correction is a training sample of "log-level" now; 1 correction waits/);
        const sidebar = await ui.openViewContainer("ConPET");
        await ui.treeItem(sidebar, /^Task log-level, samples changed since training: train again, \d+ samples, 1 correction waiting$/).waitFor({timeout: 30_000});
        await ui.screenshot("correction-waiting");
    });

    step("@conpet /tasks lists the modules with the correction waiting", async () => {
        await send("@conpet /tasks");
        await chatList().getByRole("cell", {name: "log-level", exact: true}).last().waitFor({timeout: answerTimeoutMs});
        const table = chatList().locator(".interactive-response").last().locator("table");
        const rows = await table.locator("tr").allInnerTexts();
        assert.ok(rows.some((row) => row.includes("log-level") && row.includes("samples changed") && /\t1$/.test(row.trim())), rows.join("\n"));
    });
});

/** Two tasks from the sample workspace's examples, learned with the CLI (as a user with a terminal would). */
function prepareStore(store: string): void {
    const cli = (...args: string[]) => execFileSync(process.execPath, [path.join(repoRoot, "dist", "cli.mjs"), "--store", store, ...args], {stdio: "pipe", encoding: "utf8"});
    const examples = path.join(repoRoot, "test", "workspace", "examples");
    cli("task", "add", "log-level", "-i", "Classify this log line by its level", "-l", "error", "-l", "warning", "-l", "info");
    cli("import", path.join(examples, "log-level.jsonl"), "--task", "log-level");
    cli("task", "add", "snake-to-camel", "-i", "Convert the snake_case identifier to camelCase", "--kind", "generate");
    cli("import", path.join(examples, "snake-to-camel.jsonl"), "--task", "snake-to-camel");
    cli("train", "--model", getTestModelPath(), "--steps", "40", "--threads", "1");
}
