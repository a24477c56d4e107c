import type {TaskSummary} from "./TasksModel";

/** Tasks Train would learn: new or changed, with training samples (an empty task has nothing to learn). */
export function countTasksToTrain(tasks: readonly TaskSummary[]): number {
    return tasks.filter((task) => task.trainSamples > 0 && (task.state === "untrained" || task.state === "stale")).length;
}
