import * as vscode from "vscode";
import {UntrustedWorkspaceError} from "./UntrustedWorkspaceError";

/** Training, running the model and importing files run code on workspace data: trusted workspaces only. */
export function requireTrust(action: string): void {
    if (!vscode.workspace.isTrusted)
        throw new UntrustedWorkspaceError(action);
}
