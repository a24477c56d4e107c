import * as vscode from "vscode";
import {getMisplacedHostProblem} from "./getMisplacedHostProblem";

/**
 * Called first in `activate`: when VS Code placed the extension on the UI side of a remote window,
 * shows why and registers every contributed command to show it again instead of doing model work.
 * Returns whether activation must stop.
 */
export function refuseMisplacedHost(context: vscode.ExtensionContext): boolean {
    const side = context.extension.extensionKind === vscode.ExtensionKind.UI ? "ui" : "workspace";
    const problem = getMisplacedHostProblem(side, vscode.env.remoteName);
    if (problem === undefined)
        return false;
    const show = () => {
        void vscode.window.showErrorMessage(problem, "Open Settings").then((picked) => {
            if (picked !== undefined)
                void vscode.commands.executeCommand("workbench.action.openSettings", "remote.extensionKind");
        });
    };
    const commands = (context.extension.packageJSON as {contributes?: {commands?: {command: string}[]}}).contributes?.commands ?? [];
    for (const {command} of commands)
        context.subscriptions.push(vscode.commands.registerCommand(command, show));
    show();
    return true;
}
