import type {RunAnswer} from "./RunAnswer";

/** The fields of a `Conpet.predict`/`runTask` result the UI shows; `task` may be a name or a task object. */
export type PredictionLike = {
    output: string;
    task?: unknown;
    moduleId?: number | null;
    confidence?: number;
    routes?: readonly {task: unknown; probability: number}[];
    labelScores?: readonly unknown[];
};

/**
 * Splits the core's `confidence` (route probability × the label's probability) into the answer's own
 * probability and the route's, so the user never reads the router's certainty as the answer's.
 */
export function toRunAnswer(input: string, prediction: PredictionLike, routed: boolean, taskName?: string): RunAnswer {
    const task = taskName ?? getTaskName(prediction.task);
    const routes = (prediction.routes ?? []).map((route) => ({task: getTaskName(route.task), probability: route.probability}));
    const routeProbability = routed ? routes.find((candidate) => candidate.task === task)?.probability ?? null : null;
    const scored = prediction.labelScores !== undefined && prediction.labelScores.length > 0 && prediction.confidence !== undefined;
    return {
        input,
        output: prediction.output,
        task,
        moduleId: prediction.moduleId ?? null,
        answerProbability: scored ? Math.min(1, prediction.confidence! / (routeProbability !== null && routeProbability > 0 ? routeProbability : 1)) : null,
        routeProbability,
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
