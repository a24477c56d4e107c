/**
 * Baseline for the benchmark: one LoRA fine-tuned task after task on the new task's samples only,
 * without replay; it shows the catastrophic forgetting ConPET avoids.
 */
import {createStoreReplaySource} from "../replay/createStoreReplaySource";
import {ReplaySampler} from "../replay/ReplaySampler";
import type {Task} from "../../vocabulary/types";
import {SharedLoraStrategy, type SharedRunPlan} from "./SharedLoraStrategy";

export class SequentialBaselineStrategy extends SharedLoraStrategy {
    public readonly mode = "sequential";

    protected override async planRun(task: Task): Promise<SharedRunPlan> {
        const {store, settings} = this.context;
        const sampler = new ReplaySampler({source: createStoreReplaySource(store), seed: settings.seed + task.id});
        const set = await sampler.buildTrainingSet({
            newTaskId: task.id, oldTaskIds: [], steps: settings.stepsPerTask, batchSize: settings.batchSize, replayRatio: 0, maxNewSamples: settings.maxSamplesPerTask
        });
        return {samples: set.samples.map((sample) => this.toTrainSample(sample)), continueTraining: true, steps: settings.stepsPerTask};
    }
}
