// The whole flow in the real extension host on the reference model (stories260K): select the
// model, two tasks with samples, Train, Run on Selection routed to the right module, the panel
// state, and recovery after the engine process is killed.
import assert from "node:assert/strict";
import {existsSync} from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import {testCommandIds} from "../../src/extension/constants";
import {activateExtension} from "./builders/activateExtension";
import {getTestModelPath} from "./builders/getTestModelPath";
import {closeAllEditors, openEditorWithSelection} from "./builders/openEditor";
import {runCommand} from "./builders/runCommand";
import {setConpetSettings} from "./builders/settings";
import {getTestStatus} from "./builders/testHooks";
import {uniqueName} from "./builders/uniqueName";
import {waitFor, waitForPanelState} from "./builders/waitFor";

type Answer = {output: string; task: string; answerProbability: number | null; routeProbability: number | null; routed: boolean; routes: {task: string; probability: number}[]};

suite("workflow on the reference model", function () {
    // Loading, training two small tasks and answering on 2 shared CPU cores.
    this.timeout(600_000);
    let restoreSettings: () => Promise<void>;
    const logTask = uniqueName("log-level");
    const camelTask = uniqueName("snake-to-camel");
    // The steps after Train need its modules; when it failed they are skipped, so the report shows the one cause.
    let trained = false;
    const requireTrained = (context: Mocha.Context) => {
        if (!trained)
            context.skip();
    };

    suiteSetup(async function () {
        const extension = await activateExtension();
        const modelPath = getTestModelPath();
        assert.ok(modelPath, "the reference model stories260K.gguf is missing (set CONPET_TEST_MODEL_PATH)");
        assert.ok(existsSync(path.join(extension.extensionPath, "native", "build", "bin", "conpet-train")), "the trainer is not built: run npm run build:native");
        restoreSettings = await setConpetSettings({modelPath: "", threads: 1, gpuLayers: 0, "training.stepsPerTask": 40});
        // Earlier suites leave tasks in the shared test store; this flow is about exactly two.
        for (const task of (await getTestStatus()).tasks)
            await runCommand("conpet.deleteTask", {task: task.name, confirmed: true});
    });

    suiteTeardown(async () => {
        await closeAllEditors();
        await restoreSettings?.();
    });

    test("Select Model loads the model in the engine and reports the backend", async () => {
        const modelPath = getTestModelPath()!;
        assert.equal(await runCommand("conpet.selectModel", {path: modelPath, load: true}), modelPath);
        const status = await getTestStatus();
        assert.equal(status.modelPath, modelPath);
        assert.equal(status.engineRunning, true);
        assert.ok(status.modelInfo);
        assert.match(status.modelInfo.backend, /^(cpu|cuda|vulkan|metal)$/);
        assert.ok(status.modelInfo.layers > 0);
        assert.equal(typeof await vscode.commands.executeCommand(testCommandIds.getEnginePid), "number");
    });

    test("two tasks from the sample workspace's examples and selections", async () => {
        const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
        await runCommand("conpet.createTask", {name: logTask, instruction: "Classify this log line by its level", labels: ["error", "warning", "info"]});
        await runCommand("conpet.importExamples", {path: path.join(folder, "examples", "log-level.jsonl"), task: logTask});
        await runCommand("conpet.createTask", {name: camelTask, instruction: "Convert the snake_case identifier to camelCase", kind: "generate"});
        await runCommand("conpet.importExamples", {path: path.join(folder, "examples", "snake-to-camel.jsonl"), task: camelTask});
        await openEditorWithSelection("def read_config_file(path): ...", 4, 20, "python");
        await runCommand("conpet.addSelectionToTask", {task: camelTask, output: "readConfigFile"});

        const status = await getTestStatus();
        // Each file has 10 lines, split by the import into training and held-out samples; one more from the selection.
        assert.deepEqual(status.tasks.map((task) => [task.name, task.state, task.trainSamples + task.testSamples]), [[logTask, "untrained", 10], [camelTask, "untrained", 11]]);
    });

    test("Train learns both tasks (a second Train meanwhile only says one runs); the sidebar shows two ready modules and the panel an accuracy matrix", async () => {
        type Recorded = {tasks: string[]; accuracyMatrix: number[][]; createdAt: string; details: {sharedRows?: number[]; samplesPerTask?: number}};
        type Trained = {learned: {task: string}[]; evaluations: Recorded[]; evaluation: Recorded | null};
        // As a double click: the second call arrives while the first is still starting the engine.
        const [result, second] = await Promise.all([runCommand<Trained>("conpet.train", {}), runCommand<Trained | undefined>("conpet.train", {})]);
        assert.equal(second, undefined);
        assert.notEqual((await getTestStatus()).lastError?.code, "INTERNAL");
        assert.deepEqual(result.learned.map((item) => item.task), [logTask, camelTask]);
        trained = true;
        const status = await getTestStatus();
        assert.equal(status.training, false);
        for (const task of status.tasks) {
            assert.equal(task.state, "ready", `${task.name} is ${task.state}`);
            assert.equal(typeof task.moduleId, "number");
            assert.ok(task.heldOutAccuracy === null || (task.heldOutAccuracy >= 0 && task.heldOutAccuracy <= 1));
        }
        assert.ok(result.evaluation);
        assert.deepEqual(result.evaluation.tasks, [logTask, camelTask]);
        assert.equal(result.evaluation.accuracyMatrix.length, 2);
        assert.equal(result.evaluation.accuracyMatrix[1]!.length, 2);
        // A row was measured right after each task, not one shared measurement after both.
        assert.deepEqual(result.evaluations.map((evaluation) => evaluation.tasks.length), [1, 2]);
        assert.deepEqual(result.evaluation.details.sharedRows, []);
        assert.equal(result.evaluation.details.samplesPerTask, 50);
        assert.deepEqual(result.evaluations[0]!.accuracyMatrix[0], result.evaluation.accuracyMatrix[0]);

        await runCommand("conpet.openPanel");
        const panel = await waitForPanelState((state) => state.tasks.length === 2 && state.evaluation !== null);
        assert.deepEqual(panel.tasks.map((task) => task.state), ["ready", "ready"]);
        assert.ok(panel.tasks.every((task) => task.module !== null && task.module.sizeBytes > 0 && task.module.trainableParameters > 0));
        assert.ok(panel.training.lossCurves.length >= 2, "the loss curves of both runs are shown");
        assert.equal(panel.engine.loaded, true);
        await closeAllEditors();
    });

    test("Run on Selection routes a new log line and a new identifier to their own modules", async function () {
        requireTrained(this);
        await openEditorWithSelection("2026-11-20 08:15:02 ERROR db: connection pool exhausted after 30 s");
        const log = await runCommand<Answer>("conpet.runOnSelection", {mode: "show"});
        assert.equal(log.routed, true);
        assert.equal(log.task, logTask, `routed to ${log.task}: ${JSON.stringify(log.routes)}`);
        assert.ok(["error", "warning", "info"].includes(log.output), `a label of the task, got ${JSON.stringify(log.output)}`);
        // The answer's own probability and the route's are two numbers, neither passed off as the other.
        assert.ok(log.answerProbability !== null && log.answerProbability > 0 && log.answerProbability <= 1);
        assert.equal(log.routeProbability, log.routes.find((route) => route.task === logTask)?.probability);

        const editor = await openEditorWithSelection("send_welcome_email", 0, 18, "python");
        const camel = await runCommand<Answer>("conpet.runOnSelection", {mode: "insert"});
        assert.equal(camel.task, camelTask, `routed to ${camel.task}: ${JSON.stringify(camel.routes)}`);
        assert.equal(camel.answerProbability, null, "generated text has no answer probability");
        assert.ok(editor.document.getText().startsWith("send_welcome_email\n"), "the answer was inserted below the selection");
        assert.equal(editor.document.lineCount, 2);
        assert.equal(editor.document.getText(editor.selection), "send_welcome_email", "the selection did not grow over the inserted answer");
    });

    test("Replace applies to the text that was answered, not to where the selection moved meanwhile", async function () {
        requireTrained(this);
        const answered = "2026-11-20 08:15:02 ERROR db: connection pool exhausted";
        const other = "2026-11-20 08:15:09 INFO api: started";
        const editor = await openEditorWithSelection(`${answered}\n${other}`, 0, answered.length);
        const running = runCommand<Answer>("conpet.runOnSelection", {mode: "replace"});
        // The user selects another line while the model answers.
        await new Promise((resolve) => setTimeout(resolve, 0));
        editor.selection = new vscode.Selection(1, 0, 1, other.length);
        const answer = await running;
        assert.equal(editor.document.lineAt(0).text, answer.output, "the answered line is replaced");
        assert.equal(editor.document.lineAt(1).text, other, "the line selected afterwards is untouched");
    });

    test("without a mode, the answer stays on offer (after its notification is gone) until it is applied once", async function () {
        requireTrained(this);
        const line = "2026-11-20 08:15:07 WARN cache: hit ratio dropped to 41%";
        const editor = await openEditorWithSelection(line);
        // Returns once the answer is shown, without waiting for a click on the notification.
        const answer = await runCommand<Answer>("conpet.runOnSelection");
        editor.selection = new vscode.Selection(0, 0, 0, 0);
        assert.equal(await runCommand("conpet.applyAnswer", {action: "replace"}), true);
        assert.equal(editor.document.getText(), answer.output);
        assert.equal(await runCommand("conpet.applyAnswer", {action: "replace"}), false, "an answer is applied once");
    });

    test("Run Task answers with the named task", async function () {
        requireTrained(this);
        const answer = await runCommand<Answer>("conpet.runTask", {task: logTask, input: "2026-11-20 INFO api: started in 2.1 s", mode: "show"});
        assert.equal(answer.task, logTask);
        assert.equal(answer.routed, false);
        assert.ok(["error", "warning", "info"].includes(answer.output));
    });

    test("a killed engine is reported and the next run restarts it", async function () {
        requireTrained(this);
        const pid = await vscode.commands.executeCommand<number | null>(testCommandIds.getEnginePid);
        assert.equal(typeof pid, "number");
        process.kill(pid!, "SIGKILL");
        await waitFor(async () => (await getTestStatus()).lastError?.code === "ENGINE_CRASHED", "the crash is reported");
        assert.equal((await getTestStatus()).modelInfo, null);

        const answer = await runCommand<Answer>("conpet.runOnSelection", {input: "2026-11-20 08:16:40 WARN api: slow response from upstream", mode: "show"});
        assert.equal(answer.task, logTask);
        const restarted = await vscode.commands.executeCommand<number | null>(testCommandIds.getEnginePid);
        assert.equal(typeof restarted, "number");
        assert.notEqual(restarted, pid);
    });

    test("a new instruction makes the task's module stale, and Train relearns only that task, opening with an estimate from the first Train's runs", async function () {
        requireTrained(this);
        await runCommand("conpet.changeInstruction", {task: logTask, instruction: "Name the level of this log line"});
        const state = async (name: string) => (await getTestStatus()).tasks.find((task) => task.name === name)?.state;
        assert.equal(await state(logTask), "stale");
        assert.equal(await state(camelTask), "ready");
        const result = await runCommand<{learned: {task: string}[]; estimateAtStart: {seconds: number; fromEarlierRuns?: boolean} | null}>("conpet.train", {});
        assert.deepEqual(result.learned.map((item) => item.task), [logTask]);
        // The first Train recorded its runs' throughput: this one opened with an estimate from it, not "estimating…".
        assert.ok(result.estimateAtStart !== null, "an estimate before the first step, from the earlier runs");
        assert.equal(result.estimateAtStart.fromEarlierRuns, true);
        assert.ok(result.estimateAtStart.seconds > 0 && Number.isFinite(result.estimateAtStart.seconds));
        assert.equal(await state(logTask), "ready");
    });
});
