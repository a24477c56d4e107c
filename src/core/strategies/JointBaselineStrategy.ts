/**
 * Baseline for the benchmark (the upper bound): one fresh LoRA trained on all learned tasks' data
 * at once, with the step budget of all of them (the sum of each task's, `getTaskSteps`), so its cost grows with
 * the number of tasks.
 */
import {createStoreReplaySource} from "../replay/createStoreReplaySource";
import {ReplaySampler} from "../replay/ReplaySampler";
import type {Task} from "../../vocabulary/types";
import {SharedLoraStrategy, type SharedRunPlan} from "./SharedLoraStrategy";
import {getTaskSteps} from "./utils/taskStepBudget";

export class JointBaselineStrategy extends SharedLoraStrategy {
    public readonly mode = "joint";

    protected override async planRun(task: Task, learned: readonly number[]): Promise<SharedRunPlan> {
        const {store, settings} = this.context;
        const source = createStoreReplaySource(store);
        const sampler = new ReplaySampler({source, seed: settings.seed + task.id});
        const taskIds = [...learned, task.id];
        const samples = [];
        let steps = 0;
        for (const taskId of taskIds) {
            steps += getTaskSteps(settings, await source.countSamples(taskId));
            const set = await sampler.buildTrainingSet({
                newTaskId: taskId, oldTaskIds: [], steps: 0, batchSize: settings.batchSize, replayRatio: 0, maxNewSamples: settings.maxSamplesPerTask
            });
            samples.push(...set.samples);
        }
        return {samples: samples.map((sample) => this.toTrainSample(sample)), continueTraining: false, steps};
    }
}
