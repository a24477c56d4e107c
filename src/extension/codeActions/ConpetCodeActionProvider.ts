import * as vscode from "vscode";
import type {PredictionRoute} from "../../core/strategies/types";
import {commandIds, maxRunInputBytes} from "../constants";
import type {ConpetServices} from "../services/ConpetServices";
import {createAbortSignal} from "../utils/createAbortSignal";
import {formatPercent} from "../utils/formatPercent";

/**
 * The lightbulb on a selection: "ConPET: <task> (87%)" for the selector's top tasks (running that
 * task on the selection) and "Add Selection to <task>…". It routes only when the engine already has
 * the selected model loaded: it never starts the engine, loads a model or trains. Otherwise it offers
 * Run on Selection, which loads the model on demand, and Add Selection to Task….
 */
export class ConpetCodeActionProvider implements vscode.CodeActionProvider {
    public static readonly kind = vscode.CodeActionKind.Refactor.append("conpet");

    /** The last routing, so moving the cursor back and forth over one selection routes it once. */
    private _last: {key: string; routes: Promise<PredictionRoute[] | null>} | undefined;

    public constructor(private readonly _services: ConpetServices, private readonly _output: vscode.LogOutputChannel) {}

    public async provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, _context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
        if (range.isEmpty)
            return [];
        const text = document.getText(range);
        if (text.trim() === "" || Buffer.byteLength(text, "utf8") > maxRunInputBytes)
            return [];
        const routes = await this._routeIfLoaded(text, token);
        if (token.isCancellationRequested)
            return [];
        if (routes === undefined || routes === null || routes.length === 0) {
            const actions = [createAction("ConPET: Add Selection to Task…", commandIds.addSelectionToTask)];
            if (vscode.workspace.isTrusted && this._services.getSettings().modelPath !== "")
                actions.unshift(createAction(routes === undefined ? "ConPET: Run on Selection (loads the model)" : "ConPET: Run on Selection", commandIds.runOnSelection));
            return actions;
        }
        return [
            ...routes.map((route) => createAction(`ConPET: ${route.task} (${formatPercent(route.probability)})`, commandIds.runTask, route.task)),
            ...routes.map((route) => createAction(`ConPET: Add Selection to ${route.task}…`, commandIds.addSelectionToTask, route.task))
        ];
    }

    /**
     * The selector's top tasks, or `undefined` when routing would first have to start the engine or
     * load the model (or may not run: an untrusted workspace); `null` without a selector (static mode).
     */
    private async _routeIfLoaded(text: string, token: vscode.CancellationToken): Promise<PredictionRoute[] | null | undefined> {
        const {modelPath} = this._services.getSettings();
        if (!vscode.workspace.isTrusted || modelPath === "" || this._services.modelInfo?.modelPath !== modelPath)
            return undefined;
        const key = `${modelPath}\n${text}`;
        if (this._last?.key !== key) {
            const cancellation = createAbortSignal(token);
            const routes = this._services.getConpet()
                .then((conpet) => conpet.route(text, {signal: cancellation.signal}))
                .finally(() => cancellation.dispose());
            this._last = {key, routes};
            // A failed or cancelled routing is not kept: the next request tries again.
            routes.catch(() => {
                if (this._last?.routes === routes)
                    this._last = undefined;
            });
        }
        try {
            return await this._last.routes;
        } catch (err) {
            this._output.debug(`Code actions: no routing for the selection: ${err instanceof Error ? err.message : String(err)}`);
            return undefined;
        }
    }
}

/**
 * `task` is passed as the command's argument the way a tree node's task is, not as a plain args
 * object: the command then reports its own failures without rethrowing them to the lightbulb.
 */
function createAction(title: string, command: string, task?: string): vscode.CodeAction {
    const action = new vscode.CodeAction(title, ConpetCodeActionProvider.kind);
    action.command = {title, command, arguments: task === undefined ? [] : [task]};
    return action;
}
