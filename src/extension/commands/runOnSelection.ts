import * as vscode from "vscode";
import {commandIds, maxRunInputBytes} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {getSelectionInput} from "../prompts/getSelectionInput";
import {presentAnswer, type AnswerMode} from "../answers/presentAnswer";
import type {RunAnswer} from "../answers/RunAnswer";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";
import {requireTrust} from "../trust/requireTrust";
import {toRunAnswer} from "../answers/toRunAnswer";

/** Args for `conpet.runOnSelection` when called without UI. */
export type RunOnSelectionArgs = {
    /** Use this text instead of the editor's selection. */
    input?: string;
    /** `replace` the selection, `insert` below it, or `show` only. Asked in the notification when missing. */
    mode?: AnswerMode;
};

/** `ConPET: Run on Selection`: the selector routes the selection to a task module, which answers. */
export function registerRunOnSelectionCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.runOnSelection, async (rawArgs): Promise<RunAnswer> => {
        const args = getPlainArgs(rawArgs) as RunOnSelectionArgs;
        requireTrust("Running the model");
        const {text, target} = getSelectionInput(args.input, maxRunInputBytes, "the model's input");
        const conpet = await deps.services.getConpet();
        const prediction = await vscode.window.withProgress(
            {location: vscode.ProgressLocation.Window, title: "ConPET: answering…"},
            () => conpet.predict(text)
        );
        void deps.services.refreshModelInfo();
        const answer = toRunAnswer(text, prediction, true);
        await presentAnswer(deps, answer, target, args.mode);
        return answer;
    });
}
