/**
 * Baseline for the benchmark (the upper bound): one fresh LoRA trained on all learned tasks' data
 * at once, with the step budget of all of them (steps per task × tasks), so its cost grows with
 * the number of tasks.
 */
import {createStoreReplaySource} from "../replay/createStoreReplaySource";
import {ReplaySampler} from "../replay/ReplaySampler";
import type {Task} from "../../vocabulary/types";
import {SharedLoraStrategy, type SharedRunPlan} from "./SharedLoraStrategy";

export class JointBaselineStrategy extends SharedLoraStrategy {
    public readonly mode = "joint";

    protected override async planRun(task: Task, learned: readonly number[]): Promise<SharedRunPlan> {
        const {store, settings} = this.context;
        const sampler = new ReplaySampler({source: createStoreReplaySource(store), seed: settings.seed + task.id});
        const taskIds = [...learned, task.id];
        const samples = [];
        for (const taskId of taskIds) {
            const set = await sampler.buildTrainingSet({
                newTaskId: taskId, oldTaskIds: [], steps: 0, batchSize: settings.batchSize, replayRatio: 0, maxNewSamples: settings.maxSamplesPerTask
            });
            samples.push(...set.samples);
        }
        return {samples: samples.map((sample) => this.toTrainSample(sample)), continueTraining: false, steps: settings.stepsPerTask * taskIds.length};
    }
}
