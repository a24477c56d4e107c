// Module states in the sidebar and the panel follow the core's one rule for the loaded base model:
// a deleted adapter file is `missing`, a module of another base model `stale`; Retrain All relearns
// every task for this model; another process's training of the store shows in this window.
import assert from "node:assert/strict";
import {rmSync, writeFileSync} from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import type {ConpetStore} from "../../src/store/ConpetStore";
import {activateExtension} from "./builders/activateExtension";
import {getTestModelPath} from "./builders/getTestModelPath";
import {openExtensionStore} from "./builders/openStore";
import {runCommand} from "./builders/runCommand";
import {setConpetSettings} from "./builders/settings";
import {createTempFolder} from "./builders/tempFolder";
import {getLastError, getTestStatus} from "./builders/testHooks";
import {uniqueName} from "./builders/uniqueName";
import {waitFor, waitForPanelState} from "./builders/waitFor";

suite("module states for the loaded base model", function () {
    // Retrain All trains three small tasks on 2 shared CPU cores.
    this.timeout(600_000);
    let restoreSettings: () => Promise<void>;
    let store: ConpetStore;
    let fingerprint: string;
    const temp = createTempFolder();
    const ready = uniqueName("ready");
    const lost = uniqueName("lost");
    const otherBase = uniqueName("other-base");

    suiteSetup(async () => {
        await activateExtension();
        const modelPath = getTestModelPath();
        assert.ok(modelPath, "the reference model stories260K.gguf is missing (set CONPET_TEST_MODEL_PATH)");
        restoreSettings = await setConpetSettings({modelPath: "", threads: 1, gpuLayers: 0, mode: "dynamic", "training.stepsPerTask": 10});
        // Earlier suites leave tasks in the shared test store; Retrain All would train them all.
        for (const task of (await getTestStatus()).tasks)
            await runCommand("conpet.deleteTask", {task: task.name, confirmed: true});
        await runCommand("conpet.selectModel", {path: modelPath, load: true});
        const loaded = (await getTestStatus()).modelInfo;
        assert.ok(loaded, "Select Model loaded the model");
        fingerprint = loaded.fingerprint;
        store = await openExtensionStore();
        for (const name of [ready, lost, otherBase]) {
            await runCommand("conpet.createTask", {name, instruction: "Answer yes or no", labels: ["yes", "no"]});
            await runCommand("conpet.addSelectionToTask", {task: name, input: `is ${name} done?`, output: "yes"});
            await runCommand("conpet.addSelectionToTask", {task: name, input: `is ${name} late?`, output: "no"});
        }
    });

    suiteTeardown(async () => {
        for (const name of [ready, lost, otherBase])
            await runCommand("conpet.deleteTask", {task: name, confirmed: true}).catch(() => undefined);
        await store?.dispose();
        temp.dispose();
        await restoreSettings?.();
    });

    /** A module as a training would leave it (an adapter file that starts like a GGUF), trained on `baseModelFingerprint`. */
    async function registerModule(taskName: string, baseModelFingerprint: string) {
        const task = await store.getTask(taskName);
        const sourceFile = path.join(temp.path, `${task.id}-${baseModelFingerprint}.gguf`);
        writeFileSync(sourceFile, "GGUF adapter");
        return await store.registerModule({
            sourceFile, taskId: task.id, kind: "task-lora", baseModelFingerprint, rank: 8, alpha: 16,
            targetModules: ["attn_q"], trainableParameters: 1, metrics: {}, samplesHash: await store.getSamplesHash(task.id)
        });
    }

    test("a deleted adapter file shows missing and a module of another base model stale, in the sidebar and the panel", async () => {
        await registerModule(ready, fingerprint);
        rmSync(store.resolveModulePath(await registerModule(lost, fingerprint)));
        await registerModule(otherBase, "llama-123-0000000000000000");
        await runCommand("conpet.refresh");

        const tasks = (await getTestStatus()).tasks;
        const byName = (name: string) => tasks.find((task) => task.name === name);
        assert.equal(byName(ready)?.state, "ready");
        assert.deepEqual([byName(lost)?.state, byName(lost)?.description], ["missing", "2 samples · module file missing: train again"]);
        assert.deepEqual([byName(otherBase)?.state, byName(otherBase)?.description], ["stale", "2 samples · trained on another base model: train again for this one"]);
        assert.equal((await getTestStatus()).tasksToTrain, 2, "Train would learn the missing and the stale task");

        await runCommand("conpet.openPanel");
        const panel = await waitForPanelState((state) => state.tasks.length === 3);
        assert.deepEqual(panel.tasks.map((task) => [task.name, task.state, task.reason]), [[ready, "ready", null], [lost, "missing", "file-missing"], [otherBase, "stale", "other-base-model"]]);
        await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    });

    test("Retrain All Tasks relearns every task for this model, the ready one too", async () => {
        const before = new Map((await getTestStatus()).tasks.map((task) => [task.name, task.moduleId]));
        const result = await runCommand<{learned: {task: string}[]}>("conpet.retrainAll");
        assert.deepEqual(result.learned.map((item) => item.task).sort(), [ready, lost, otherBase].sort());
        for (const task of (await getTestStatus()).tasks) {
            assert.equal(task.state, "ready", `${task.name} is ${task.state}`);
            assert.notEqual(task.moduleId, before.get(task.name), `${task.name} has a new module`);
        }
    });

    test("another process's training of the store shows in the status bar and the panel, and Train there says so", async () => {
        // The test holds the lease as `conpet train` in a terminal would, reporting its progress at its heartbeat.
        const lease = await store.acquireTrainingLease({label: "conpet train"});
        try {
            await store.renewTrainingLease(lease.token, {phase: "task", task: "log-level", taskIndex: 0, taskCount: 1, step: 40, totalSteps: 200, fraction: 0.2});
            await waitFor(async () => (await getTestStatus()).trainingElsewhere === "Training in another window: log-level 40/200", "the other training is shown");
            await runCommand("conpet.openPanel");
            const panel = await waitForPanelState((state) => state.trainingElsewhere !== null);
            assert.equal(panel.trainingElsewhere, "Training in another window: log-level 40/200");
            await vscode.commands.executeCommand("workbench.action.closeAllEditors");
            await assert.rejects(runCommand("conpet.train", {}), /Training in another window/);
            assert.equal((await getLastError())?.code, "TRAINING_BUSY");
        } finally {
            await store.releaseTrainingLease(lease.token);
        }
        await waitFor(async () => (await getTestStatus()).trainingElsewhere === null, "the other training's end is shown");
    });
});
