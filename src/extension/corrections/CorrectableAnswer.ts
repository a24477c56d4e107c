/**
 * An answer the user can correct: the input, what ConPET answered, and the task whose module
 * answered (`null`: the plain base model, in the chat). A `RunAnswer` is one.
 */
export type CorrectableAnswer = {input: string; output: string; task: string | null};
