import {writeFile} from "node:fs/promises";
import {EmbeddingSelector} from "../../Selector/EmbeddingSelector";
import {LoraSelector} from "../../Selector/LoraSelector";
import type {ModuleRecord, Task} from "../../../vocabulary/types";
import type {LearnTaskOptions, StrategyContext} from "../types";
import {parseModuleCoverage, serializeModuleCoverage, type ModuleCoverage} from "../../moduleStates/moduleCoverage";
import {planTaskRun} from "./taskStepBudget";
import {trainAdapter} from "./trainAdapter";

/**
 * Retrains the selector over `tasks` (those with a module) after `changedTask` was learned, and
 * registers it as the store's `selector` module. Embedding: a softmax on a bounded number of
 * samples per task (milliseconds). LoRA: a trainer run on the changed task's samples plus a
 * fixed replay pool from the others, continuing from the previous selector adapter.
 */
export async function trainSelector(context: StrategyContext, tasks: readonly {task: Task; hash: string}[], changedTask: Task, options: LearnTaskOptions = {}): Promise<{module: ModuleRecord; seconds: number}> {
    const {store, settings, engine} = context;
    const started = performance.now();
    // The LoRA selector learns the changed task's samples (plus replay) at that task's step budget.
    const {sampler, steps} = await planTaskRun(store, settings, changedTask.id);
    const previous = await store.getModule(null, "selector", context.modelFingerprint);
    const previousCoverage = parseModuleCoverage(previous?.samplesHash);
    const coverage: ModuleCoverage = {tasks: tasks.map(({task, hash}) => ({id: task.id, hash})), selectorKind: settings.selectorKind};
    const common = {
        taskId: null,
        kind: "selector" as const,
        baseModelFingerprint: context.modelFingerprint,
        samplesHash: serializeModuleCoverage(coverage),
        trainedAt: new Date().toISOString()
    };

    if (settings.selectorKind === "embedding") {
        const samples = await sampler.samplePerTask(tasks.map(({task}) => task.id), settings.selectorSamplesPerTask);
        const selector = await EmbeddingSelector.train({
            engine, samples, cache: context.embeddingCache, maxInputChars: settings.maxInputChars, seed: settings.seed, signal: options.signal
        });
        const json = selector.toJSON();
        const sourceFile = await store.createWorkFilePath("selector", "json");
        await writeFile(sourceFile, JSON.stringify(json));
        const seconds = (performance.now() - started) / 1000;
        const {classes, dimension} = json.classifier.model;
        const heldOut = selector.heldOut;
        const module = await store.registerModule({
            ...common,
            sourceFile,
            rank: 0,
            alpha: 0,
            targetModules: [],
            trainableParameters: classes * (dimension + 1),
            metrics: {trainSeconds: seconds, ...(heldOut === null ? {} : {heldOutAccuracy: heldOut.accuracy, calibrationError: heldOut.calibrationError})}
        });
        return {module, seconds};
    }

    const names = new Map(tasks.map(({task}) => [task.id, task.name]));
    // Continuing a LoRA selector replays the tasks it already knows; a fresh one learns them all.
    const oldTaskIds = previousCoverage.selectorKind === "lora"
        ? previousCoverage.tasks.map((t) => t.id).filter((id) => names.has(id))
        : tasks.map(({task}) => task.id);
    const set = await sampler.buildTrainingSet({
        newTaskId: changedTask.id,
        oldTaskIds,
        steps,
        batchSize: settings.batchSize,
        replayRatio: settings.replayRatio,
        balanced: settings.balancedReplay,
        maxNewSamples: settings.maxSamplesPerTask
    });
    const continueFrom = previous != null && previousCoverage.selectorKind === "lora" ? store.resolveModulePath(previous) : undefined;
    const {module, done} = await trainAdapter(context, {
        ...options,
        taskId: null,
        taskName: changedTask.name,
        phase: "selector",
        samples: set.samples.map((sample) => LoraSelector.toTrainSample(sample, names.get(sample.taskId)!, {maxInputChars: settings.maxInputChars, template: context.promptTemplate})),
        replay: set.replayCount > 0 ? {newGroup: changedTask.id, ratio: set.replayRatio} : undefined,
        initAdapterPath: continueFrom,
        steps,
        name: "selector",
        register: (result, lossCurve, sourceFile) => store.registerModule({
            ...common,
            sourceFile,
            rank: settings.lora.rank,
            alpha: settings.lora.alpha,
            targetModules: settings.lora.targetModules,
            trainableParameters: result.trainableParameters,
            metrics: {finalLoss: lossCurve.at(-1)?.loss ?? result.finalLoss, trainSeconds: result.seconds, tokensPerSecond: result.tokensPerSecond}
        })
    });
    return {module, seconds: done.seconds};
}
