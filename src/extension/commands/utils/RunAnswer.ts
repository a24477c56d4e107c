/** An answer shown to the user, kept for the panel and the test hooks. */
export type RunAnswer = {
    input: string;
    output: string;
    /** The task whose module answered. */
    task: string;
    moduleId: number | null;
    /** The selector's probability for `task` (1 for Run Task…, where the user named it). */
    confidence: number;
    routes: {task: string; probability: number}[];
    routed: boolean;
};
