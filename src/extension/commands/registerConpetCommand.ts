import * as vscode from "vscode";
import type {CommandDeps} from "./CommandDeps";

/**
 * Registers a command whose failures are reported the one way the UI reports errors (output
 * channel, then a notification with a next step). When the command was called programmatically
 * with a plain args object (tests, other extensions), the error is also rethrown so the caller
 * sees it; from the palette or a menu it is not, so VS Code does not show a second, generic error.
 */
export function registerConpetCommand(
    deps: Pick<CommandDeps, "errors" | "context">,
    id: string,
    handler: (...args: unknown[]) => Promise<unknown> | unknown
): vscode.Disposable {
    const disposable = vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
            return await handler(...args);
        } catch (err) {
            deps.errors.report(err, id);
            if (isPlainArgs(args[0]))
                throw err;
            return undefined;
        }
    });
    deps.context.subscriptions.push(disposable);
    return disposable;
}

/** A plain object literal: what a programmatic caller passes (tree nodes and URIs are class instances). */
export function isPlainArgs(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value))
        return false;
    const prototype = Object.getPrototypeOf(value) as unknown;
    return prototype === Object.prototype || prototype === null;
}

/** The plain args object of a command call, or `{}` when it was invoked from the UI. */
export function getPlainArgs(value: unknown): Record<string, unknown> {
    return isPlainArgs(value) ? value : {};
}
