import * as vscode from "vscode";
import type {CommandDeps} from "../commands/CommandDeps";
import {ConpetCodeActionProvider} from "./ConpetCodeActionProvider";

/** The lightbulb's ConPET actions on a selection, in files and untitled editors of any language. */
export function registerCodeActions(deps: CommandDeps): void {
    deps.context.subscriptions.push(vscode.languages.registerCodeActionsProvider(
        [{scheme: "file"}, {scheme: "untitled"}],
        new ConpetCodeActionProvider(deps.services, deps.output),
        {providedCodeActionKinds: [ConpetCodeActionProvider.kind]}
    ));
}
