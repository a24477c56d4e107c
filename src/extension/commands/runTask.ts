import * as vscode from "vscode";
import {commandIds, maxRunInputBytes} from "../constants";
import type {CommandDeps} from "./CommandDeps";
import {getSelectionInput} from "../prompts/getSelectionInput";
import {pickExistingTask} from "../prompts/pickTask";
import {presentAnswer, type AnswerMode} from "../answers/presentAnswer";
import type {RunAnswer} from "../answers/RunAnswer";
import {getPlainArgs, registerConpetCommand} from "./registerConpetCommand";
import {requireTrust} from "../trust/requireTrust";
import {toRunAnswer} from "../answers/toRunAnswer";

/** Args for `conpet.runTask` when called without UI. */
export type RunTaskArgs = {
    /** Task name or id. Asked when missing. */
    task?: string | number;
    /** Defaults to the selection, or an input box when nothing is selected. */
    input?: string;
    mode?: AnswerMode;
};

/** `ConPET: Run Task…`: the task-aware path, the user names the task. */
export function registerRunTaskCommands(deps: CommandDeps): void {
    registerConpetCommand(deps, commandIds.runTask, async (rawArgs): Promise<RunAnswer | undefined> => {
        const args = getPlainArgs(rawArgs) as RunTaskArgs;
        requireTrust("Running the model");
        const task = await pickExistingTask(deps.services, args.task ?? rawArgs, "Run which task?");
        if (task === undefined)
            return undefined;
        let input = args.input;
        const editor = vscode.window.activeTextEditor;
        if (input === undefined && (editor === undefined || editor.selection.isEmpty)) {
            input = await vscode.window.showInputBox({title: `ConPET: ${task.name}`, prompt: task.instruction, ignoreFocusOut: true});
            if (input === undefined)
                return undefined;
        }
        const {text, target} = getSelectionInput(input, maxRunInputBytes, "the model's input");
        const conpet = await deps.services.getConpet();
        const prediction = await vscode.window.withProgress(
            {location: vscode.ProgressLocation.Window, title: `ConPET: ${task.name}…`},
            () => conpet.runTask(task.name, text)
        );
        void deps.services.refreshModelInfo();
        const answer = toRunAnswer(text, prediction, false, task.name);
        await presentAnswer(deps, answer, target, args.mode);
        return answer;
    });
}
