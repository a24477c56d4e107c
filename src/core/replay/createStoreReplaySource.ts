import type {CoreStore} from "../dependencyTypes";
import type {ReplaySource} from "./ReplaySampler";

/**
 * A replay source over the store's train samples. A task's samples are read once and kept for the
 * source's lifetime (one training pass); the per-task cap bounds what that holds.
 */
export function createStoreReplaySource(store: Pick<CoreStore, "listSamples">): ReplaySource {
    const loaded = new Map<number, Promise<{input: string; output: string}[]>>();
    const load = (taskId: number) => {
        let samples = loaded.get(taskId);
        if (samples === undefined) {
            samples = store.listSamples(taskId, {split: "train"});
            loaded.set(taskId, samples);
        }
        return samples;
    };
    return {
        async countSamples(taskId) {
            return (await load(taskId)).length;
        },
        async getSamples(taskId, indices) {
            const samples = await load(taskId);
            return indices.map((index) => {
                const sample = samples[index];
                if (sample === undefined)
                    throw new RangeError(`Task ${taskId} has no train sample at ${index}`);
                return {input: sample.input, output: sample.output};
            });
        }
    };
}
