/**
 * How many optimizer steps a task's run gets: `stepsPerTask`, unless the task is small. A run of
 * `stepsPerTask` steps draws `stepsPerTask × batchSize` rows (1,600 at the defaults); for thirty
 * examples that is 53 passes, and 100 steps (27 passes) classified within noise of 200 on the shared
 * suites (bench/conpet/README.md, "Step budget"), so a task trains `epochsPerTask` passes over its
 * samples, within `minimumBudgetSteps` and `stepsPerTask`. The budget depends on the new task's samples only, never on
 * the number of old tasks (replay fills the rest of each batch), so the cost per task stays fixed.
 */
import {createStoreReplaySource} from "../../replay/createStoreReplaySource";
import {ReplaySampler} from "../../replay/ReplaySampler";
import type {ConpetSettings} from "../../settings/conpetSettingsSchema";
import type {CoreStore} from "../../dependencyTypes";

/**
 * The fewest steps a budgeted run takes: on thirty examples per task, 40 steps lost 14 points of
 * code-lang accuracy and 75 steps up to 7 (one of two seeds) against 200, while 100 stayed within
 * 2.5 (bench/conpet/README.md); smaller tasks do not go below what was measured to be enough.
 */
export const minimumBudgetSteps = 100;

export type StepBudgetSettings = Pick<ConpetSettings, "stepsPerTask" | "epochsPerTask" | "batchSize" | "maxSamplesPerTask">;

/**
 * Steps for a run on `sampleCount` stored samples of the new task: `ceil(epochs × samples / batch)`,
 * at least `minimumBudgetSteps` and at most `stepsPerTask`. `epochsPerTask` 0 turns the budget off.
 */
export function getTaskSteps(settings: StepBudgetSettings, sampleCount: number): number {
    const {stepsPerTask, epochsPerTask, batchSize, maxSamplesPerTask} = settings;
    if (epochsPerTask === 0)
        return stepsPerTask;
    const samples = Math.min(Math.max(0, sampleCount), maxSamplesPerTask);
    const steps = Math.ceil(epochsPerTask * samples / batchSize);
    return Math.min(stepsPerTask, Math.max(minimumBudgetSteps, steps));
}

/**
 * A task's run as the strategies start it: the replay sampler over the store (seeded by the task)
 * and the task's step budget from its stored train samples.
 */
export async function planTaskRun(store: Pick<CoreStore, "listSamples">, settings: StepBudgetSettings & Pick<ConpetSettings, "seed">, taskId: number): Promise<{sampler: ReplaySampler; steps: number}> {
    const source = createStoreReplaySource(store);
    const steps = getTaskSteps(settings, await source.countSamples(taskId));
    return {sampler: new ReplaySampler({source, seed: settings.seed + taskId}), steps};
}
