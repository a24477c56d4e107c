/**
 * The classic baseline the product must clear (`conpet bench --mode classic`): no language model
 * at all, a TF-IDF word + character n-gram logistic regression (`TextClassifier`) trained jointly
 * on every seen task's stored samples, answering task-agnostically with a (task, label) pair. A
 * second classifier over task ids is the classic router, whose routing accuracy the selector is
 * measured against. Classification tasks only.
 */
import {ConpetError} from "../../vocabulary/errors";
import {TextClassifier} from "../Selector/TextClassifier";
import type {CoreStore} from "../dependencyTypes";
import type {Task} from "../../vocabulary/types";
import type {LearnTaskResult, Prediction} from "./types";

export type ClassicBaselineOptions = {
    store: CoreStore;
    /** Defaults to `42`. */
    seed?: number;
};

export class ClassicBaselineStrategy {
    public readonly mode = "classic";
    private readonly _tasks: Task[] = [];
    private _trained: {router: TextClassifier; joint: TextClassifier; pairs: {task: Task; label: string}[]} | undefined;

    public constructor(private readonly _options: ClassicBaselineOptions) {}

    public async learnTask(task: Task): Promise<LearnTaskResult> {
        if (task.kind !== "classify")
            throw new ConpetError("INVALID_INPUT", `The classic baseline answers classification tasks only; "${task.name}" is a generate task.`, {data: {task: task.name}});
        const started = performance.now();
        this._tasks.push(task);
        const samples = (await Promise.all(this._tasks.map(async (t, taskIndex) => (await this._options.store.listSamples(t.id, {split: "train"})).map((s) => ({...s, taskIndex})))))
            .flat();
        const pairs = this._tasks.flatMap((t) => t.labels.map((label) => ({task: t, label})));
        const pairIndex = new Map(pairs.map((p, i) => [`${p.task.id}\n${p.label}`, i]));
        const known = samples.filter((s) => pairIndex.has(`${s.taskId}\n${s.output.trim()}`));
        const texts = known.map((s) => s.input);
        const {seed = 42} = this._options;
        this._trained = {
            router: TextClassifier.train({texts, labels: known.map((s) => s.taskIndex), classes: this._tasks.length, seed}),
            joint: TextClassifier.train({texts, labels: known.map((s) => pairIndex.get(`${s.taskId}\n${s.output.trim()}`)!), classes: pairs.length, seed}),
            pairs
        };
        const seconds = (performance.now() - started) / 1000;
        return {trainSeconds: seconds, selectorSeconds: 0, tokens: 0, tokensPerSecond: 0, trainableParameters: 0, modelParameters: 0, peakRssMb: 0, finalLoss: null, moduleIds: []};
    }

    public async predict(inputs: readonly string[]): Promise<Prediction[]> {
        const trained = this._trained;
        if (trained === undefined)
            throw new ConpetError("NOT_TRAINED", "The classic baseline has learned no task yet.");
        return inputs.map((input) => {
            const joint = trained.joint.getProbabilities(input);
            const best = joint.indexOf(Math.max(...joint));
            const {task, label} = trained.pairs[best]!;
            const routes = trained.router.getProbabilities(input)
                .map((probability, k) => ({taskId: this._tasks[k]!.id, task: this._tasks[k]!.name, probability}))
                .sort((a, b) => b.probability - a.probability);
            return {output: label, taskId: task.id, task: task.name, moduleId: null, confidence: joint[best]!, routes};
        });
    }
}
