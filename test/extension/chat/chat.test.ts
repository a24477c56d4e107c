// ConPET in VS Code's chat, the lightbulb and the correction loop, in the real extension host on the
// reference model (stories260K): the `conpet` models through `vscode.lm.selectChatModels` (routed
// answers, streaming, token counts, cancellation, honest context sizes), the `@conpet` participant's
// handler, code actions that route only a loaded model, and a correction stored, waiting and trained.
import assert from "node:assert/strict";
import {copyFileSync} from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import {chatIds, testCommandIds} from "../../../src/extension/constants";
import {EngineClient} from "../../../src/engine/client/EngineClient";
import type {RecordedChatPart} from "../../../src/extension/chat/participant/recordChatRequest";
import {activateExtension} from "../builders/activateExtension";
import {getTestModelPath} from "../builders/getTestModelPath";
import {closeAllEditors, openEditorWithSelection} from "../builders/openEditor";
import {openExtensionStore} from "../builders/openStore";
import {runCommand} from "../builders/runCommand";
import {setConpetSettings} from "../builders/settings";
import {createTempFolder} from "../builders/tempFolder";
import {getTaskStatus, getTestStatus} from "../builders/testHooks";
import {uniqueName} from "../builders/uniqueName";

type Answer = {input: string; output: string; task: string; routed: boolean; routes: {task: string; probability: number}[]};
type ChatRun = {parts: RecordedChatPart[]; result: vscode.ChatResult; followups: vscode.ChatFollowup[]};
type Correction = {task: string; input: string; output: string; added: boolean; replaced: number; state: string; pendingCorrections: number};

const labels = ["error", "warning", "info"];
const errorLine = "2026-11-20 08:15:02 ERROR db: connection pool exhausted after 30 s";

suite("chat, code actions and corrections on the reference model", function () {
    // Loading, training two small tasks twice and answering on 2 shared CPU cores.
    this.timeout(600_000);
    let restoreSettings: () => Promise<void>;
    let extensionPath: string;
    const logTask = uniqueName("log-level");
    const camelTask = uniqueName("snake-to-camel");

    suiteSetup(async function () {
        extensionPath = (await activateExtension()).extensionPath;
        const modelPath = getTestModelPath();
        assert.ok(modelPath, "the reference model stories260K.gguf is missing (set CONPET_TEST_MODEL_PATH)");
        restoreSettings = await setConpetSettings({modelPath: "", threads: 1, gpuLayers: 0, "training.stepsPerTask": 40});
        for (const task of (await getTestStatus()).tasks)
            await runCommand("conpet.deleteTask", {task: task.name, confirmed: true});
        await runCommand("conpet.selectModel", {path: modelPath, load: true});
        const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
        await runCommand("conpet.createTask", {name: logTask, instruction: "Classify this log line by its level", labels});
        await runCommand("conpet.importExamples", {path: path.join(folder, "examples", "log-level.jsonl"), task: logTask});
        await runCommand("conpet.createTask", {name: camelTask, instruction: "Convert the snake_case identifier to camelCase", kind: "generate"});
        await runCommand("conpet.importExamples", {path: path.join(folder, "examples", "snake-to-camel.jsonl"), task: camelTask});
        const trained = await runCommand<{learned: {task: string}[]}>("conpet.train", {});
        assert.deepEqual(trained.learned.map((item) => item.task), [logTask, camelTask]);
    });

    suiteTeardown(async () => {
        await closeAllEditors();
        await restoreSettings?.();
    });

    async function selectModel(id: string): Promise<vscode.LanguageModelChat> {
        const [model] = await vscode.lm.selectChatModels({vendor: chatIds.vendor, id});
        assert.ok(model, `no ${id} model`);
        return model;
    }

    /** Sends one user message and collects the streamed fragments. */
    async function ask(model: vscode.LanguageModelChat, text: string, options: vscode.LanguageModelChatRequestOptions = {}, token?: vscode.CancellationToken): Promise<string[]> {
        const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(text)], options, token);
        const fragments: string[] = [];
        for await (const fragment of response.text)
            fragments.push(fragment);
        return fragments;
    }

    function chat(prompt: string, command?: string, history?: {prompt: string; command?: string}[]): Promise<ChatRun> {
        return runCommand<ChatRun>(testCommandIds.chat, {prompt, command, history});
    }

    function markdownOf(run: ChatRun): string {
        return run.parts.flatMap((part) => part.kind === "markdown" ? [part.value] : []).join("");
    }

    test("the manifest contributes the vendor and the participant the code registers", async () => {
        const manifest = vscode.extensions.getExtension("conpet.conpet-vscode")!.packageJSON as {
            engines: {vscode: string};
            contributes: {languageModelChatProviders: {vendor: string}[]; chatParticipants: {id: string; name: string; commands: {name: string}[]}[]};
        };
        assert.deepEqual(manifest.contributes.languageModelChatProviders.map((provider) => provider.vendor), [chatIds.vendor]);
        const [participant] = manifest.contributes.chatParticipants;
        assert.equal(participant?.id, chatIds.participant);
        assert.deepEqual(participant?.commands.map((command) => command.name), ["tasks", "add", "train"]);
        // The stable language model chat provider API came with VS Code 1.104.
        assert.equal(manifest.engines.vscode, "^1.104.0");
    });

    test("selectChatModels({vendor: \"conpet\"}) offers the routed model and the base model, sized by the loaded context", async () => {
        const models = await vscode.lm.selectChatModels({vendor: chatIds.vendor});
        assert.deepEqual(models.map((model) => model.id).sort(), [chatIds.baseModel, chatIds.routedModel]);
        const contextSize = ((await getTestStatus()).modelInfo as unknown as {contextSize: number}).contextSize;
        for (const model of models) {
            assert.equal(model.vendor, chatIds.vendor);
            assert.equal(model.version, "stories260K");
            assert.equal(model.maxInputTokens, contextSize - Math.min(256, Math.floor(contextSize / 2)), `${model.id} of a ${contextSize}-token context`);
        }
        assert.equal(models.find((model) => model.id === chatIds.routedModel)?.name, "ConPET (routed)");
    });

    test("the routed model answers a log line with its task's label, as Run on Selection does", async () => {
        const fragments = await ask(await selectModel(chatIds.routedModel), errorLine);
        const text = fragments.join("");
        assert.ok(labels.includes(text), `a label, got ${JSON.stringify(text)}`);
        const viaCommand = await runCommand<Answer>("conpet.runOnSelection", {input: errorLine, mode: "show"});
        assert.equal(viaCommand.task, logTask);
        assert.equal(text, viaCommand.output);
    });

    test("a snake_case identifier goes to the generate module; its answer equals Run on Selection's", async () => {
        const input = "make it camelCase: send_welcome_email";
        const text = (await ask(await selectModel(chatIds.routedModel), input)).join("");
        const viaCommand = await runCommand<Answer>("conpet.runOnSelection", {input, mode: "show"});
        assert.equal(viaCommand.task, camelTask, JSON.stringify(viaCommand.routes));
        assert.equal(text, viaCommand.output);
    });

    test("the base model writes on, streamed; a cancel ends the request early", async () => {
        const base = await selectModel(chatIds.baseModel);
        // As long as the context allows: long enough that a cancel at the first fragment lands mid-way.
        const options = {modelOptions: {maxTokens: 500}};
        const fragments = await ask(base, "Once upon a time", options);
        const full = fragments.join("");
        assert.ok(full.length > 400, full);
        assert.ok(fragments.length > 1, `streamed in ${fragments.length} fragments`);

        const source = new vscode.CancellationTokenSource();
        const response = await base.sendRequest([vscode.LanguageModelChatMessage.User("Once upon a time")], options, source.token);
        let received = "";
        const reading = (async () => {
            for await (const fragment of response.text) {
                received += fragment;
                source.cancel();
            }
        })();
        await reading.catch(() => undefined);
        assert.ok(received.length < full.length, `stopped at ${received.length} of ${full.length} characters`);
        source.dispose();
    });

    test("token counts come from the model's own tokenizer in the engine", async () => {
        const model = await selectModel(chatIds.routedModel);
        const engine = new EngineClient({entryPath: path.join(extensionPath, "dist", "engine.mjs")});
        try {
            await engine.load({modelPath: getTestModelPath()!, gpuLayers: 0, threads: 1});
            for (const text of ["Once upon a time", errorLine, "send_welcome_email"]) {
                const {tokens} = await engine.tokenize({text, addBos: false});
                assert.equal(await model.countTokens(text), tokens.length, text);
            }
            assert.equal(await model.countTokens(vscode.LanguageModelChatMessage.User("Once upon a time")), await model.countTokens("Once upon a time"));
        } finally {
            engine.dispose();
        }
    });

    test("@conpet answers a message with the module that answered and how sure it was, and offers Correct…", async () => {
        const run = await chat(errorLine);
        const text = markdownOf(run);
        assert.match(text, new RegExp(`Answered by the \\*\\*${logTask.replace(/-/g, "\\\\-")}\\*\\* module · \\d+% likely · selector \\d+% sure`), text);
        assert.ok(labels.some((label) => text.startsWith(label)), text);
        const button = run.parts.find((part) => part.kind === "button");
        assert.ok(button?.kind === "button" && button.title === "Correct…" && button.command === "conpet.correctAnswer");
        assert.deepEqual((button.arguments[0] as {answer: {task: string; input: string}}).answer.task, logTask);
        assert.deepEqual(run.followups.map((followup) => followup.command), ["tasks"]);
    });

    test("@conpet /tasks lists both modules as ready", async () => {
        const text = markdownOf(await chat("", "tasks"));
        assert.match(text, new RegExp(`\\| ${logTask.replace(/-/g, "\\\\-")} \\| classify: error, warning, info \\| ready \\|`), text);
        assert.match(text, new RegExp(`\\| ${camelTask.replace(/-/g, "\\\\-")} \\| generate \\| ready \\|`), text);
    });

    test("@conpet /add stores the selection, or else the previous message, as an example; /train learns it", async () => {
        const line = "2026-11-20 08:20:00 WARN disk: 91% full on /var";
        await openEditorWithSelection(line);
        const before = (await getTaskStatus(logTask))!.trainSamples;
        const added = await chat(`${logTask} warning`, "add");
        assert.match(markdownOf(added), /Added to/);
        assert.deepEqual(added.followups.map((followup) => followup.command), ["train"]);
        assert.equal((await getTaskStatus(logTask))!.trainSamples, before + 1);
        assert.equal((await getTaskStatus(logTask))!.state, "stale");

        await closeAllEditors();
        const fromHistory = await chat(`${logTask} info`, "add", [{prompt: "2026-11-20 08:21:00 INFO cron: nightly job done"}]);
        assert.match(markdownOf(fromHistory), /nightly job done → info/);
        const unknown = await chat("no-such-task error", "add", [{prompt: "x"}]);
        assert.match(unknown.result.errorDetails?.message ?? "", /No task is named like the start of/);

        const trained = await chat("", "train");
        assert.match(markdownOf(trained), new RegExp(`Learned \\*\\*${logTask.replace(/-/g, "\\\\-")}\\*\\*`));
        assert.equal((await getTaskStatus(logTask))!.state, "ready");
    });

    test("the lightbulb routes a selection when the model is loaded: ConPET: <task> (NN%) and Add Selection to <task>…", async () => {
        const editor = await openEditorWithSelection(errorLine);
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", editor.document.uri, editor.selection);
        const titles = actions.map((action) => action.title).filter((title) => title.startsWith("ConPET"));
        assert.match(titles[0] ?? "", new RegExp(`^ConPET: ${logTask} \\(\\d+%\\)$`), JSON.stringify(titles));
        assert.ok(titles.includes(`ConPET: Add Selection to ${logTask}…`), JSON.stringify(titles));

        const run = actions.find((action) => action.title === titles[0])!.command!;
        await runCommand(run.command, ...(run.arguments ?? []));
        const answer = await vscode.commands.executeCommand<Answer>(testCommandIds.getLastResult);
        assert.equal(answer.task, logTask);
        assert.equal(answer.input, errorLine);
    });

    test("the lightbulb never loads a model: with another model file selected it only offers Run on Selection, which would", async () => {
        const folder = createTempFolder();
        const copy = path.join(folder.path, "other-copy.gguf");
        copyFileSync(getTestModelPath()!, copy);
        const restore = await setConpetSettings({modelPath: copy});
        try {
            const loadedBefore = (await getTestStatus()).modelInfo?.modelPath;
            const editor = await openEditorWithSelection(errorLine);
            const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", editor.document.uri, editor.selection);
            const titles = actions.map((action) => action.title).filter((title) => title.startsWith("ConPET"));
            assert.deepEqual(titles, ["ConPET: Run on Selection (loads the model)", "ConPET: Add Selection to Task…"]);
            assert.equal((await getTestStatus()).modelInfo?.modelPath, loadedBefore, "the engine still has the model it had");
        } finally {
            await restore();
            folder.dispose();
        }
    });

    test("Correct Last Answer stores the right label as a correction sample; the task is stale with one correction waiting until Train", async () => {
        const answer = await runCommand<Answer>("conpet.runOnSelection", {input: errorLine, mode: "show"});
        assert.equal(answer.task, logTask);
        const right = labels.find((label) => label !== answer.output)!;
        const correction = await runCommand<Correction>("conpet.correctAnswer", {task: logTask, output: right});
        assert.deepEqual([correction.added, correction.state, correction.pendingCorrections], [true, "stale", 1]);
        const status = await getTaskStatus(logTask);
        assert.equal(status?.state, "stale");
        assert.match(status?.description ?? "", /1 correction waiting/);

        const store = await openExtensionStore();
        try {
            const task = await store.getTask(logTask);
            const [stored] = (await store.listSamples(task.id, {split: "train"})).filter((sample) => sample.source?.kind === "correction");
            assert.equal(stored?.input, errorLine);
            assert.equal(stored?.output, right);
            assert.deepEqual(stored?.source?.answered, {task: logTask, output: answer.output});
        } finally {
            await store.dispose();
        }

        const trained = await runCommand<{learned: {task: string}[]}>("conpet.train", {});
        assert.deepEqual(trained.learned.map((item) => item.task), [logTask]);
        const after = await getTaskStatus(logTask);
        assert.equal(after?.state, "ready");
        assert.doesNotMatch(after?.description ?? "", /correction/);
        const again = await runCommand<Answer>("conpet.runOnSelection", {input: errorLine, mode: "show"});
        assert.equal(again.output, right, `after the correction and 40 training steps ${JSON.stringify(errorLine)} is answered ${again.output} (was ${answer.output}, corrected to ${right})`);
    });

    test("a base-model answer from the chat is corrected with the right task: the input becomes its example", async () => {
        const input = "make it camelCase: parse_http_header";
        const correction = await runCommand<Correction>("conpet.correctAnswer", {answer: {input, output: "Once upon a time", task: null}, task: camelTask, output: "parseHttpHeader"});
        assert.deepEqual([correction.task, correction.added, correction.state, correction.pendingCorrections], [camelTask, true, "stale", 1]);
        await assert.rejects(runCommand("conpet.correctAnswer", {answer: {input: 42, output: "x", task: null}, task: camelTask, output: "y"}), /must be \{input, output, task\}/);
    });
});
