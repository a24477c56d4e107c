import type * as vscode from "vscode";

/** An `AbortSignal` that aborts when `token` is cancelled (or already is); dispose it when the work ends. */
export function createAbortSignal(token: vscode.CancellationToken): {signal: AbortSignal} & vscode.Disposable {
    const controller = new AbortController();
    if (token.isCancellationRequested)
        controller.abort();
    const subscription = token.onCancellationRequested(() => controller.abort());
    return {signal: controller.signal, dispose: () => subscription.dispose()};
}
