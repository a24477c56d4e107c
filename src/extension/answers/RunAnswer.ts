/** An answer shown to the user, kept for the panel and the test hooks. */
export type RunAnswer = {
    input: string;
    output: string;
    /** The task whose module answered. */
    task: string;
    moduleId: number | null;
    /**
     * How probable the answer is: the label's probability among its task's labels (classification).
     * `null` for generated text, which has no such number.
     */
    answerProbability: number | null;
    /** The selector's probability for `task`; `null` when the user named the task (Run Task…) or nothing routed. */
    routeProbability: number | null;
    routes: {task: string; probability: number}[];
    routed: boolean;
};
