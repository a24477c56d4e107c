/**
 * Static ConPET: one shared LoRA trained continually; each new task's run mixes its samples with
 * replayed samples of the tasks learned before (dynamic replay), at the task's step budget (`getTaskSteps`).
 */
import type {Task} from "../../vocabulary/types";
import {SharedLoraStrategy, type SharedRunPlan} from "./SharedLoraStrategy";
import {planTaskRun} from "./utils/taskStepBudget";

export class StaticConpetStrategy extends SharedLoraStrategy {
    public readonly mode = "static";

    protected override async planRun(task: Task, learned: readonly number[]): Promise<SharedRunPlan> {
        const {store, settings} = this.context;
        const {sampler, steps} = await planTaskRun(store, settings, task.id);
        const set = await sampler.buildTrainingSet({
            newTaskId: task.id,
            oldTaskIds: learned,
            steps,
            batchSize: settings.batchSize,
            replayRatio: settings.replayRatio,
            balanced: settings.balancedReplay,
            maxNewSamples: settings.maxSamplesPerTask
        });
        return {
            samples: set.samples.map((sample) => this.toTrainSample(sample)),
            replay: set.replayCount > 0 ? {newGroup: task.id, ratio: set.replayRatio} : undefined,
            continueTraining: true,
            steps
        };
    }
}
