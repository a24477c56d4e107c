/**
 * Dynamic replay (ConPET): a training run for a new task mixes the new task's samples with samples
 * replayed from old tasks, drawing an old task uniformly and then one of its samples uniformly.
 * The number of replayed samples depends only on the step budget (`steps × round(ratio ×
 * batchSize)`), never on how many old tasks exist, so learning the tenth task costs what the
 * first did.
 */
import {createRandom, type Random} from "../../vocabulary/createRandom";

/** Where replay reads the stored training samples of a task (the store, or plain arrays). */
export type ReplaySource = {
    countSamples(taskId: number): Promise<number>;
    /** Samples at the given positions (0-based, in the source's stable order). */
    getSamples(taskId: number, indices: readonly number[]): Promise<{input: string; output: string}[]>;
};

export type ReplaySample = {taskId: number; input: string; output: string; replayed: boolean};

export type BuildTrainingSetOptions = {
    newTaskId: number;
    /** Tasks to replay from; the new task is ignored if listed. */
    oldTaskIds: readonly number[];
    steps: number;
    batchSize: number;
    /** Share of each batch replayed from old tasks, 0 to 0.9 (the least share when `balanced`). */
    replayRatio: number;
    /** Raise the share to n/(n+1) for n old tasks (see `getReplayRatio`). Defaults to `false`. */
    balanced?: boolean;
    /** Cap on the new task's samples taken into the run. Defaults to all of them. */
    maxNewSamples?: number;
};

export type TrainingSet = {
    samples: ReplaySample[];
    newCount: number;
    replayCount: number;
    /** Samples per batch drawn from old tasks; `0` when there are none. */
    replayPerBatch: number;
    /** The share of each batch replayed, for the trainer's batch mix; `0` when there are no old tasks. */
    replayRatio: number;
};

export type ReplaySamplerOptions = {
    source: ReplaySource;
    /** Defaults to `42`. */
    seed?: number;
};

export class ReplaySampler {
    private readonly _source: ReplaySource;
    private readonly _random: Random;

    public constructor({source, seed = 42}: ReplaySamplerOptions) {
        this._source = source;
        this._random = createRandom(seed);
    }

    /** The samples of one training run: the new task's (up to a cap) and a fixed-size replay pool. */
    public async buildTrainingSet({newTaskId, oldTaskIds, steps, batchSize, replayRatio, balanced = false, maxNewSamples}: BuildTrainingSetOptions): Promise<TrainingSet> {
        const newTotal = await this._source.countSamples(newTaskId);
        const newIndices = maxNewSamples !== undefined && newTotal > maxNewSamples
            ? this._random.shuffle(range(newTotal)).slice(0, maxNewSamples).sort((a, b) => a - b)
            : range(newTotal);
        const newSamples = (await this._source.getSamples(newTaskId, newIndices))
            .map((sample) => ({taskId: newTaskId, input: sample.input, output: sample.output, replayed: false}));

        const old = oldTaskIds.filter((id) => id !== newTaskId);
        const ratio = old.length === 0 ? 0 : getReplayRatio(replayRatio, old.length, balanced);
        const replayPerBatch = Math.round(ratio * batchSize);
        const replayed = await this.sampleUniform(old, steps * replayPerBatch);
        return {samples: [...newSamples, ...replayed], newCount: newSamples.length, replayCount: replayed.length, replayPerBatch, replayRatio: ratio};
    }

    /**
     * `count` draws (with replacement): a task uniformly among `taskIds` with samples, then a
     * sample uniformly within it. Reads only the drawn samples from the source.
     */
    public async sampleUniform(taskIds: readonly number[], count: number): Promise<ReplaySample[]> {
        if (count <= 0 || taskIds.length === 0)
            return [];
        const counts = await Promise.all(taskIds.map((id) => this._source.countSamples(id)));
        const candidates = taskIds.filter((_, i) => (counts[i] ?? 0) > 0);
        const countOf = new Map(taskIds.map((id, i) => [id, counts[i] ?? 0]));
        if (candidates.length === 0)
            return [];

        const draws: {taskId: number; index: number}[] = [];
        for (let i = 0; i < count; i++) {
            const taskId = candidates[this._random.int(candidates.length)]!;
            draws.push({taskId, index: this._random.int(countOf.get(taskId)!)});
        }
        return this._resolve(draws);
    }

    /** Up to `perTask` distinct samples of each task, chosen uniformly (the selector's bounded replay). */
    public async samplePerTask(taskIds: readonly number[], perTask: number): Promise<ReplaySample[]> {
        const result: ReplaySample[] = [];
        for (const taskId of taskIds) {
            const total = await this._source.countSamples(taskId);
            const indices = total > perTask
                ? this._random.shuffle(range(total)).slice(0, perTask).sort((a, b) => a - b)
                : range(total);
            const samples = await this._source.getSamples(taskId, indices);
            result.push(...samples.map((sample) => ({taskId, input: sample.input, output: sample.output, replayed: false})));
        }
        return result;
    }

    private async _resolve(draws: {taskId: number; index: number}[]): Promise<ReplaySample[]> {
        const byTask = new Map<number, number[]>();
        for (const draw of draws)
            byTask.set(draw.taskId, [...(byTask.get(draw.taskId) ?? []), draw.index]);
        const fetched = new Map<number, Map<number, {input: string; output: string}>>();
        for (const [taskId, indices] of byTask) {
            const unique = [...new Set(indices)].sort((a, b) => a - b);
            const samples = await this._source.getSamples(taskId, unique);
            fetched.set(taskId, new Map(unique.map((index, i) => [index, samples[i]!])));
        }
        return draws.map(({taskId, index}) => {
            const sample = fetched.get(taskId)!.get(index)!;
            return {taskId, input: sample.input, output: sample.output, replayed: true};
        });
    }
}

/** A replay source over samples held in memory (a suite being benchmarked, or tests). */
export function createArrayReplaySource(samplesByTask: ReadonlyMap<number, readonly {input: string; output: string}[]>): ReplaySource {
    return {
        async countSamples(taskId) {
            return samplesByTask.get(taskId)?.length ?? 0;
        },
        async getSamples(taskId, indices) {
            const samples = samplesByTask.get(taskId) ?? [];
            return indices.map((index) => {
                const sample = samples[index];
                if (sample === undefined)
                    throw new RangeError(`Task ${taskId} has no sample at ${index}`);
                return sample;
            });
        }
    };
}

/**
 * The share of each batch replayed when `oldTaskCount` tasks came before, within 0 to 0.9 (the new
 * task always keeps a tenth). Balanced replay raises `ratio` to n/(n+1) for n old tasks, so the new
 * task and every old one weigh the same in the run, as in joint training: with a fixed half, a
 * shared LoRA learns the newest task's labels as far more likely than each old task's (Static on
 * code-lang: 58 points of forgetting at 0.5, see bench/conpet/README.md). The cost of a run is
 * unchanged: only the mix of its fixed number of samples moves.
 */
export function getReplayRatio(ratio: number, oldTaskCount: number, balanced: boolean): number {
    const share = balanced ? Math.max(ratio, oldTaskCount / (oldTaskCount + 1)) : ratio;
    return Math.min(0.9, Math.max(0, share));
}

function range(n: number): number[] {
    return Array.from({length: n}, (_, i) => i);
}
