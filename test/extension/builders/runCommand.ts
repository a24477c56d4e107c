import * as vscode from "vscode";

/** Runs a command as a real `Promise` (VS Code returns a `Thenable`, which `assert.rejects` does not take). */
export function runCommand<T = unknown>(command: string, ...args: unknown[]): Promise<T> {
    return Promise.resolve(vscode.commands.executeCommand<T>(command, ...args));
}
