import type {RunAnswer} from "./RunAnswer";

/** The fields of a `Conpet.predict`/`runTask` result the UI shows; `task` may be a name or a task object. */
export type PredictionLike = {
    output: string;
    task?: unknown;
    moduleId?: number | null;
    confidence?: number;
    routes?: readonly {task: unknown; probability: number}[];
};

/** `confidence` is the selector's probability for the answering task when routed (what "how sure" means to the user). */
export function toRunAnswer(input: string, prediction: PredictionLike, routed: boolean, taskName?: string): RunAnswer {
    const task = taskName ?? getTaskName(prediction.task);
    const routes = (prediction.routes ?? []).map((route) => ({task: getTaskName(route.task), probability: route.probability}));
    const route = routes.find((candidate) => candidate.task === task);
    return {
        input,
        output: prediction.output,
        task,
        moduleId: prediction.moduleId ?? null,
        confidence: routed && route !== undefined ? route.probability : prediction.confidence ?? 1,
        routes,
        routed
    };
}

function getTaskName(task: unknown): string {
    if (typeof task === "string")
        return task;
    if (typeof task === "object" && task !== null && typeof (task as {name?: unknown}).name === "string")
        return (task as {name: string}).name;
    return String(task ?? "?");
}
