import * as vscode from "vscode";
import {ConpetError, TaskNotFoundError} from "../../vocabulary/errors";
import type {Task} from "../../vocabulary/types";
import type {ConpetServices} from "../services/ConpetServices";

/**
 * Resolves the task a command works on: from a tree node (`{task}`), a name or id in the args, or
 * a quick pick. Returns `undefined` when the user dismissed the pick.
 */
export async function pickTask(services: ConpetServices, arg: unknown, options: {placeHolder: string; allowCreate?: boolean; preferredTaskId?: number; preferredDescription?: string}): Promise<Task | "create" | undefined> {
    const store = await services.getStore();
    const ref = getTaskRef(arg);
    if (ref !== undefined)
        return typeof ref === "object" ? ref : await store.getTask(ref);

    const listed = await store.listTasks();
    // The preferred task (the one used last) comes first, so Enter picks it.
    const tasks = [...listed.filter((task) => task.id === options.preferredTaskId), ...listed.filter((task) => task.id !== options.preferredTaskId)];
    if (tasks.length === 0 && options.allowCreate !== true)
        throw new ConpetError("TASK_NOT_FOUND", "There are no tasks yet. Create one with \"ConPET: Create Task…\".");
    type Item = vscode.QuickPickItem & {task?: Task};
    const items: Item[] = tasks.map((task) => ({
        label: task.name,
        description: `${task.id === options.preferredTaskId ? `${options.preferredDescription ?? "last used"} · ` : ""}${task.kind === "classify" ? `classify: ${task.labels.join(", ")}` : "generate"}`,
        detail: task.instruction,
        task
    }));
    if (options.allowCreate === true)
        items.push({label: "$(add) New task…", description: "create a task for this sample", alwaysShow: true});
    const picked = await vscode.window.showQuickPick(items, {placeHolder: options.placeHolder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true});
    if (picked === undefined)
        return undefined;
    return picked.task ?? "create";
}

/** Like `pickTask` for callers that need an existing task (no "create"). */
export async function pickExistingTask(services: ConpetServices, arg: unknown, placeHolder: string): Promise<Task | undefined> {
    const task = await pickTask(services, arg, {placeHolder});
    if (task === "create")
        throw new TaskNotFoundError("");
    return task;
}

function getTaskRef(arg: unknown): Task | string | number | undefined {
    if (typeof arg === "string" || typeof arg === "number")
        return arg;
    if (typeof arg !== "object" || arg === null || !("task" in arg))
        return undefined;
    const task = (arg as {task: unknown}).task;
    if (typeof task === "string" || typeof task === "number")
        return task;
    if (typeof task === "object" && task !== null && typeof (task as Task).id === "number")
        return task as Task;
    return undefined;
}
