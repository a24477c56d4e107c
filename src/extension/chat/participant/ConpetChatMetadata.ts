import type {CorrectableAnswer} from "../../corrections/CorrectableAnswer";

/** What a `@conpet` turn returns in `ChatResult.metadata`: the follow-ups are chosen from it. */
export type ConpetChatMetadata = {
    command: "answer" | "tasks" | "add" | "train";
    /** The answer given (`answer`), which its Correct… button corrects. */
    answer?: CorrectableAnswer;
    /** Tasks a training would learn now (new, changed, lost). */
    tasksToTrain?: number;
};
