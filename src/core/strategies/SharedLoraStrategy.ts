/**
 * The single-LoRA modes (static ConPET and the sequential and joint baselines): one adapter shared
 * by all tasks, a prompt without a task instruction, and classification by scoring every label
 * learned so far. Subclasses only decide what one training run contains.
 */
import type {TrainJob, TrainSample} from "../../vocabulary/trainerProtocol";
import {formatCompletion, formatPrompt} from "../formatPrompt";
import {getReadyTaskIds} from "../moduleStates/getTaskModuleStates";
import {parseModuleCoverage, serializeModuleCoverage, withLearnedTask} from "../moduleStates/moduleCoverage";
import type {ModuleRecord, Task} from "../../vocabulary/types";
import type {ConpetStrategy, LearnTaskOptions, LearnTaskResult, Prediction, PredictOptions, StrategyContext} from "./types";
import {generateAnswers} from "./utils/generateAnswers";
import {getLabelProbabilities, scoreLabels} from "./utils/scoreLabels";
import {toLearnTaskResult, trainAdapter} from "./utils/trainAdapter";

export type SharedRunPlan = {
    samples: TrainSample[];
    replay?: TrainJob["replay"];
    /** Continue from the current shared adapter, or start fresh. */
    continueTraining: boolean;
    steps: number;
};

export abstract class SharedLoraStrategy implements ConpetStrategy {
    public abstract readonly mode: "static" | "sequential" | "joint";

    public constructor(protected readonly context: StrategyContext) {}

    /** What to train on when `task` arrives after the tasks in `learned` (in learning order). */
    protected abstract planRun(task: Task, learned: readonly number[]): Promise<SharedRunPlan>;

    public getLearnedTaskIds(): Promise<number[]> {
        return getReadyTaskIds(this.context.store, {mode: this.mode, baseModelFingerprint: this.context.modelFingerprint});
    }

    /** One LoRA answers for every task: nothing routes between them. */
    public retrainStaleSelector(): Promise<boolean> {
        return Promise.resolve(false);
    }

    public route(): Promise<null> {
        return Promise.resolve(null);
    }

    public async learnTask(task: Task, options: LearnTaskOptions = {}): Promise<LearnTaskResult> {
        const {store, settings} = this.context;
        const module = await this._getModule();
        const coverage = parseModuleCoverage(module?.samplesHash);
        const learned = coverage.tasks.map((t) => t.id).filter((id) => id !== task.id);
        const plan = await this.planRun(task, learned);
        const hash = await store.getSamplesHash(task.id);
        const {done, module: registered} = await trainAdapter(this.context, {
            ...options,
            taskId: task.id,
            taskName: task.name,
            phase: "task",
            samples: plan.samples,
            replay: plan.replay,
            initAdapterPath: plan.continueTraining && module != null ? store.resolveModulePath(module) : undefined,
            steps: plan.steps,
            name: `shared-${this.mode}`,
            register: (result, lossCurve, sourceFile) => store.registerModule({
                sourceFile,
                taskId: null,
                kind: "shared-lora",
                baseModelFingerprint: this.context.modelFingerprint,
                rank: settings.lora.rank,
                alpha: settings.lora.alpha,
                targetModules: settings.lora.targetModules,
                trainableParameters: result.trainableParameters,
                metrics: {finalLoss: lossCurve.at(-1)?.loss ?? result.finalLoss, trainSeconds: result.seconds, tokensPerSecond: result.tokensPerSecond},
                samplesHash: serializeModuleCoverage(withLearnedTask(coverage, {id: task.id, hash})),
                trainedAt: new Date().toISOString()
            })
        });
        return toLearnTaskResult(done, [registered.id]);
    }

    public async predict(inputs: readonly string[], options: PredictOptions = {}): Promise<Prediction[]> {
        const module = await this._getModule();
        const {tasks: learned} = parseModuleCoverage(module?.samplesHash);
        const tasks = (await this.context.store.listTasks()).filter((t) => learned.some((l) => l.id === t.id));
        return this._answer(module, tasks, inputs, options);
    }

    public async predictForTask(task: Task, inputs: readonly string[], options: PredictOptions = {}): Promise<Prediction[]> {
        return this._answer(await this._getModule(), [task], inputs, options);
    }

    /** Formats a sample for the shared LoRA: no task instruction (evaluation is task-agnostic). */
    protected toTrainSample(sample: {taskId: number; input: string; output: string}): TrainSample {
        const {settings, promptTemplate} = this.context;
        return {
            prompt: formatPrompt({instruction: null, input: sample.input, template: promptTemplate, maxInputChars: settings.maxInputChars}),
            completion: formatCompletion(sample.output),
            group: sample.taskId
        };
    }

    private async _answer(module: ModuleRecord | null, tasks: readonly Task[], inputs: readonly string[], options: PredictOptions): Promise<Prediction[]> {
        const {engine, settings, store, promptTemplate} = this.context;
        if (module == null || tasks.length === 0)
            return inputs.map(() => ({output: "", taskId: null, task: null, moduleId: null, confidence: 0, routes: []}));
        const adapterPath = store.resolveModulePath(module);
        const prompts = inputs.map((input) => formatPrompt({instruction: null, input, template: promptTemplate, maxInputChars: settings.maxInputChars}));
        const classifyTasks = tasks.filter((t) => t.kind === "classify");

        if (classifyTasks.length === tasks.length) {
            // Labels of all learned tasks; a label two tasks share is scored once, owned by the first.
            const owners = new Map<string, Task>();
            for (const task of classifyTasks)
                for (const label of task.labels)
                    if (!owners.has(label))
                        owners.set(label, task);
            const labels = [...owners.keys()];
            const scores = await scoreLabels(engine, {prompts, labels, adapterPath, scoring: settings.labelScoring, signal: options.signal});
            return scores.map((row) => {
                const probabilities = getLabelProbabilities(row);
                const ranked = labels.map((label, j) => ({label, task: owners.get(label)!.name, taskId: owners.get(label)!.id, score: row[j]!, probability: probabilities[j]!}))
                    .sort((a, b) => b.score - a.score);
                const best = ranked[0]!;
                return {
                    output: best.label,
                    taskId: best.taskId,
                    task: best.task,
                    moduleId: module.id,
                    confidence: best.probability,
                    routes: [],
                    labelScores: ranked.map(({label, task, score}) => ({label, task, score}))
                };
            });
        }

        // Generation (or a mix of kinds): the shared LoRA writes the answer; a task is named only
        // when the answer is one of a classification task's labels.
        const answers = await generateAnswers(engine, prompts, {adapters: [{filePath: adapterPath, scale: 1}], maxTokens: settings.maxGenerateTokens, signal: options.signal, onText: options.onText});
        const generateTask = tasks.length === 1 ? tasks[0]! : undefined;
        return answers.map((output) => {
            const owner = classifyTasks.find((t) => t.labels.includes(output)) ?? generateTask;
            return {output, taskId: owner?.id ?? null, task: owner?.name ?? null, moduleId: module.id, confidence: 1, routes: []};
        });
    }

    private async _getModule(): Promise<ModuleRecord | null> {
        return (await this.context.store.getModule(null, "shared-lora", this.context.modelFingerprint)) ?? null;
    }
}
