/**
 * Dynamic ConPET (the default): a LoRA module per task, trained on that task alone and frozen
 * afterwards; a selector, retrained over all tasks whenever one changes, routes each input to its
 * top-k modules. Classification: each selected module scores its own task's labels with its own
 * task prompt, and the label with the highest route probability × label probability over their
 * union wins. Generation: the top-1 module answers, or a mix of the top-k adapters scaled by
 * selector probability (`mixAdapters`).
 */
import {readFile} from "node:fs/promises";
import {ConpetError} from "../../vocabulary/errors";
import {formatCompletion, formatPrompt} from "../formatPrompt";
import {getReadyTaskIds} from "../moduleStates/getTaskModuleStates";
import {parseModuleCoverage} from "../moduleStates/moduleCoverage";
import {EmbeddingSelector} from "../Selector/EmbeddingSelector";
import {LoraSelector} from "../Selector/LoraSelector";
import type {SelectorRoute, TaskSelector} from "../Selector/types";
import type {ModuleRecord, Task} from "../../vocabulary/types";
import type {ConpetStrategy, LearnTaskOptions, LearnTaskResult, Prediction, PredictionRoute, PredictOptions, StrategyContext} from "./types";
import {generateAnswers} from "./utils/generateAnswers";
import {getLabelProbabilities, scoreLabels} from "./utils/scoreLabels";
import {toLearnTaskResult, trainAdapter} from "./utils/trainAdapter";
import {planTaskRun} from "./utils/taskStepBudget";
import {trainSelector} from "./utils/trainSelector";

type Candidate = {task: Task; module: ModuleRecord; probability: number};

export class DynamicConpetStrategy implements ConpetStrategy {
    public readonly mode = "dynamic";
    private _selector: {moduleId: number; selector: TaskSelector} | undefined;

    public constructor(private readonly _context: StrategyContext) {}

    public getLearnedTaskIds(): Promise<number[]> {
        return getReadyTaskIds(this._context.store, {mode: this.mode, baseModelFingerprint: this._context.modelFingerprint});
    }

    public async learnTask(task: Task, options: LearnTaskOptions = {}): Promise<LearnTaskResult> {
        const {store, settings} = this._context;
        const hash = await store.getSamplesHash(task.id);
        const {sampler, steps} = await planTaskRun(store, settings, task.id);
        const set = await sampler.buildTrainingSet({
            newTaskId: task.id, oldTaskIds: [], steps, batchSize: settings.batchSize, replayRatio: 0, maxNewSamples: settings.maxSamplesPerTask
        });
        if (set.newCount === 0)
            throw new ConpetError("EMPTY_DATA", `Task "${task.name}" has no training samples. Add examples before training it.`, {data: {task: task.name}});

        // The module is trained alone on its task; replacing it is atomic in the store (a failed
        // run leaves the previous module in place).
        const {done, module} = await trainAdapter(this._context, {
            ...options,
            taskId: task.id,
            taskName: task.name,
            phase: "task",
            samples: set.samples.map((sample) => ({prompt: this._formatPrompt(task, sample.input), completion: formatCompletion(sample.output), group: task.id})),
            steps,
            name: `task-${task.id}`,
            register: (result, lossCurve, sourceFile) => store.registerModule({
                sourceFile,
                taskId: task.id,
                kind: "task-lora",
                baseModelFingerprint: this._context.modelFingerprint,
                rank: settings.lora.rank,
                alpha: settings.lora.alpha,
                targetModules: settings.lora.targetModules,
                trainableParameters: result.trainableParameters,
                metrics: {finalLoss: lossCurve.at(-1)?.loss ?? result.finalLoss, trainSeconds: result.seconds, tokensPerSecond: result.tokensPerSecond},
                samplesHash: hash,
                trainedAt: new Date().toISOString()
            })
        });

        const selector = await this.retrainSelector(task, options);
        return toLearnTaskResult(done, [module.id, selector.module.id], selector.seconds);
    }

    /** Retrains the selector over every task that has a module, after `changedTask` changed. */
    public async retrainSelector(changedTask: Task, options: LearnTaskOptions = {}): Promise<{module: ModuleRecord; seconds: number}> {
        const {tasks} = await this._getModules();
        const result = await trainSelector(this._context, tasks.map(({task, module}) => ({task, hash: module.samplesHash})), changedTask, options);
        this._selector = undefined;
        return result;
    }

    public async retrainStaleSelector({signal}: {signal?: AbortSignal} = {}): Promise<boolean> {
        const {store, settings, modelFingerprint} = this._context;
        const selector = await store.getModule(null, "selector", modelFingerprint);
        const covered = parseModuleCoverage(selector?.samplesHash).tasks.map((t) => t.id).sort((a, b) => a - b).join(",");
        const withModules = (await store.listModules({baseModelFingerprint: modelFingerprint})).filter((m) => m.kind === "task-lora" && m.taskId != null).map((m) => m.taskId!);
        const expected = [...withModules].sort((a, b) => a - b).join(",");
        const kindChanged = selector != null && (parseModuleCoverage(selector.samplesHash).selectorKind ?? "embedding") !== settings.selectorKind;
        const fileLost = selector != null && await store.checkModuleFile(selector) !== "present";
        if (withModules.length === 0 || (covered === expected && !kindChanged && !fileLost))
            return false;
        await this.retrainSelector(await store.getTask(withModules.at(-1)!), {signal});
        return true;
    }

    public async predict(inputs: readonly string[], options: PredictOptions = {}): Promise<Prediction[]> {
        const {settings} = this._context;
        const selector = await this._getSelector();
        const {byTaskId} = await this._getModules();
        const routes = await selector.route(inputs, {topK: settings.topK, signal: options.signal});
        const candidates = routes.map((row) => row.flatMap((route) => {
            const entry = byTaskId.get(route.taskId);
            return entry === undefined ? [] : [{...entry, probability: route.probability}];
        }));
        return this._answer(inputs, candidates, options);
    }

    public async predictForTask(task: Task, inputs: readonly string[], options: PredictOptions = {}): Promise<Prediction[]> {
        const module = await this._context.store.getModule(task.id, "task-lora", this._context.modelFingerprint);
        if (module == null)
            throw new ConpetError("NOT_TRAINED", `Task "${task.name}" has no trained module yet. Run "ConPET: Train" first.`, {data: {task: task.name}});
        return this._answer(inputs, inputs.map(() => [{task, module, probability: 1}]), options);
    }

    /** The selector's choices for each input (for selector accuracy), without answering. */
    public async route(inputs: readonly string[], options: PredictOptions = {}): Promise<SelectorRoute[][]> {
        return (await this._getSelector()).route(inputs, {topK: this._context.settings.topK, signal: options.signal});
    }

    private async _answer(inputs: readonly string[], candidates: Candidate[][], options: PredictOptions): Promise<Prediction[]> {
        const {engine, settings, store} = this._context;
        const predictions: Prediction[] = inputs.map((_, i) => ({
            output: "", taskId: null, task: null, moduleId: null, confidence: 0,
            routes: (candidates[i] ?? []).map((c): PredictionRoute => ({taskId: c.task.id, task: c.task.name, probability: c.probability}))
        }));

        const generateIndices: number[] = [];
        const classifyRows = candidates.map((row, i) => {
            if (row[0]?.task.kind === "generate") {
                generateIndices.push(i);
                return [];
            }
            return row.filter((c) => c.task.kind === "classify" && c.task.labels.length > 0);
        });

        // Modules are scored rank by rank, and a lower-ranked module only where it can still change the answer:
        // its labels' joint probability is at most its route probability, so once an input's best joint
        // probability reaches that, scoring it is skipped (exact: the answer is the same as scoring every module).
        const labelScores = inputs.map(() => [] as {label: string; task: Task; module: ModuleRecord; score: number; probability: number; routeProbability: number}[]);
        const bestJoint = inputs.map(() => 0);
        const ranks = Math.max(0, ...classifyRows.map((row) => row.length));
        for (let rank = 0; rank < ranks; rank++) {
            // One `score` call per module, with its own prompt, for every input that needs it at this rank.
            const scoreJobs = new Map<number, {candidate: Candidate; inputIndices: number[]}>();
            classifyRows.forEach((row, i) => {
                const candidate = row[rank];
                if (candidate === undefined || (rank > 0 && candidate.probability <= bestJoint[i]!))
                    return;
                const job = scoreJobs.get(candidate.task.id) ?? {candidate, inputIndices: []};
                job.inputIndices.push(i);
                scoreJobs.set(candidate.task.id, job);
            });
            for (const {candidate, inputIndices} of scoreJobs.values()) {
                const {task, module} = candidate;
                const prompts = inputIndices.map((i) => this._formatPrompt(task, inputs[i]!));
                const scores = await scoreLabels(engine, {prompts, labels: task.labels, adapterPath: store.resolveModulePath(module), scoring: settings.labelScoring, signal: options.signal});
                scores.forEach((row, r) => {
                    const i = inputIndices[r]!;
                    const probabilities = getLabelProbabilities(row);
                    const routeProbability = classifyRows[i]![rank]!.probability;
                    task.labels.forEach((label, j) => {
                        labelScores[i]!.push({label, task, module, score: row[j]!, probability: probabilities[j]!, routeProbability});
                        bestJoint[i] = Math.max(bestJoint[i]!, routeProbability * probabilities[j]!);
                    });
                });
            }
        }
        labelScores.forEach((scores, i) => {
            if (scores.length === 0)
                return;
            // Raw log-probabilities of different modules are not comparable (a module sure of a
            // wrong task's label outscores the right module): rank by the joint probability
            // p(task | input) · p(label | input, task) instead. With top-1 it is the plain argmax.
            scores.sort((a, b) => b.routeProbability * b.probability - a.routeProbability * a.probability);
            const best = scores[0]!;
            Object.assign(predictions[i]!, {
                output: best.label,
                taskId: best.task.id,
                task: best.task.name,
                moduleId: best.module.id,
                confidence: best.routeProbability * best.probability,
                labelScores: scores.map((s) => ({label: s.label, task: s.task.name, score: s.score}))
            });
        });

        for (const i of generateIndices) {
            const row = candidates[i]!;
            const top = row[0]!;
            const mixed = settings.mixAdapters ? row.filter((c) => c.task.kind === "generate") : [top];
            const total = mixed.reduce((sum, c) => sum + c.probability, 0) || 1;
            const adapters = mixed.map((c) => ({filePath: store.resolveModulePath(c.module), scale: mixed.length === 1 ? 1 : c.probability / total}));
            const {onText} = options;
            const [output] = await generateAnswers(engine, [this._formatPrompt(top.task, inputs[i]!)], {
                adapters, maxTokens: settings.maxGenerateTokens, signal: options.signal, onText: onText && ((_, text) => onText(i, text))
            });
            Object.assign(predictions[i]!, {output: output ?? "", taskId: top.task.id, task: top.task.name, moduleId: top.module.id, confidence: top.probability});
        }
        return predictions;
    }

    private _formatPrompt(task: Task, input: string): string {
        const {settings, promptTemplate} = this._context;
        return formatPrompt({instruction: task.instruction, input, template: promptTemplate, maxInputChars: settings.maxInputChars});
    }

    private async _getModules(): Promise<{tasks: {task: Task; module: ModuleRecord}[]; byTaskId: Map<number, {task: Task; module: ModuleRecord}>}> {
        const {store} = this._context;
        // Only modules of the loaded base model: an adapter never meets a model it was not trained on.
        const [tasks, modules] = await Promise.all([store.listTasks(), store.listModules({baseModelFingerprint: this._context.modelFingerprint})]);
        const moduleOf = new Map(modules.filter((m) => m.kind === "task-lora" && m.taskId != null).map((m) => [m.taskId!, m]));
        const entries = tasks.flatMap((task) => {
            const module = moduleOf.get(task.id);
            return module === undefined ? [] : [{task, module}];
        });
        return {tasks: entries, byTaskId: new Map(entries.map((e) => [e.task.id, e]))};
    }

    private async _getSelector(): Promise<TaskSelector> {
        const {store, engine, settings, embeddingCache, promptTemplate} = this._context;
        const module = await store.getModule(null, "selector", this._context.modelFingerprint);
        if (module == null)
            throw new ConpetError("NOT_TRAINED", "No task is trained yet, so nothing can be routed. Run \"ConPET: Train\" first.");
        if (this._selector?.moduleId === module.id)
            return this._selector.selector;
        const coverage = parseModuleCoverage(module.samplesHash);
        const filePath = store.resolveModulePath(module);
        let selector: TaskSelector;
        if (coverage.selectorKind === "lora") {
            const names = new Map((await store.listTasks()).map((t) => [t.id, t.name]));
            const tasks = coverage.tasks.filter((t) => names.has(t.id)).map((t) => ({id: t.id, name: names.get(t.id)!}));
            selector = new LoraSelector({engine, adapterPath: filePath, tasks, maxInputChars: settings.maxInputChars, template: promptTemplate});
        } else {
            try {
                selector = EmbeddingSelector.fromJSON(engine, JSON.parse(await readFile(filePath, "utf8")), embeddingCache);
            } catch (err) {
                if (!ConpetError.is(err, "NOT_TRAINED"))
                    throw err;
                return this._retrainOutdatedSelector();
            }
        }
        this._selector = {moduleId: module.id, selector};
        return selector;
    }

    /** A selector file of an earlier format is retrained from the stored samples: milliseconds, and no user action. */
    private async _retrainOutdatedSelector(): Promise<TaskSelector> {
        const {tasks} = await this._getModules();
        const lastTask = tasks.at(-1)?.task;
        if (lastTask === undefined)
            throw new ConpetError("NOT_TRAINED", "No task is trained yet, so nothing can be routed. Run \"ConPET: Train\" first.");
        this._context.onLog?.("The selector was saved by an earlier version; retraining it from the stored samples.");
        await this.retrainSelector(lastTask);
        return this._getSelector();
    }
}
