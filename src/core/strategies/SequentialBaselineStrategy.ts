/**
 * Baseline for the benchmark: one LoRA fine-tuned task after task on the new task's samples only,
 * without replay; it shows the catastrophic forgetting ConPET avoids.
 */
import type {Task} from "../../vocabulary/types";
import {SharedLoraStrategy, type SharedRunPlan} from "./SharedLoraStrategy";
import {planTaskRun} from "./utils/taskStepBudget";

export class SequentialBaselineStrategy extends SharedLoraStrategy {
    public readonly mode = "sequential";

    protected override async planRun(task: Task): Promise<SharedRunPlan> {
        const {store, settings} = this.context;
        const {sampler, steps} = await planTaskRun(store, settings, task.id);
        const set = await sampler.buildTrainingSet({
            newTaskId: task.id, oldTaskIds: [], steps, batchSize: settings.batchSize, replayRatio: 0, maxNewSamples: settings.maxSamplesPerTask
        });
        return {samples: set.samples.map((sample) => this.toTrainSample(sample)), continueTraining: true, steps};
    }
}
