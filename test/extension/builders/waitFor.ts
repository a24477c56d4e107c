import * as vscode from "vscode";
import {testCommandIds} from "../../../src/extension/constants";
import type {PanelState} from "../../../src/extension/panel/protocol";

/** Polls `check` every 100 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!await check()) {
        if (Date.now() > deadline)
            throw new Error(`Timed out waiting until ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

/** The state the panel was last sent, once it satisfies `predicate` (the panel must be open). */
export async function waitForPanelState(predicate: (state: PanelState) => boolean): Promise<PanelState> {
    let state: PanelState | null = null;
    await waitFor(async () => {
        state = await vscode.commands.executeCommand<PanelState | null>(testCommandIds.getPanelState) ?? null;
        return state !== null && predicate(state);
    }, "the panel received its state");
    return state!;
}
