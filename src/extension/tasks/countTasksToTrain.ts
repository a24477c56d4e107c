import type {TaskSummary} from "./TasksModel";

/** Tasks Train would learn: new, changed or with a lost module file, with training samples (an empty task has nothing to learn). */
export function countTasksToTrain(tasks: readonly TaskSummary[]): number {
    return tasks.filter((task) => task.trainSamples > 0 && (task.state === "untrained" || task.state === "stale" || task.state === "missing")).length;
}
