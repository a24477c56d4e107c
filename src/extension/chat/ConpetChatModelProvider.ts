import path from "node:path";
import * as vscode from "vscode";
import {answerChat, defaultChatMaxTokens, defaultMinRouteProbability, type ChatTarget} from "../../core/chat/answerChat";
import {defaultEngineContextSize} from "../../vocabulary/engineProtocol";
import {ConpetError, InvalidInputError} from "../../vocabulary/errors";
import {conpetSettingsSchema} from "../../core/settings/conpetSettingsSchema";
import {chatIds, configSection} from "../constants";
import type {ConpetServices} from "../services/ConpetServices";
import {requireTrust} from "../trust/requireTrust";
import {createAbortSignal} from "../utils/createAbortSignal";
import {getMessageText, toChatTurns} from "./toChatTurns";

/** What a caller may pass in `modelOptions` of a request to a ConPET model. */
export type ConpetModelOptions = {
    /** The routed model's threshold: below it the base model answers (see `defaultMinRouteProbability`). */
    minRouteProbability?: number;
    /** Most tokens of a base-model answer. */
    maxTokens?: number;
};

/**
 * VS Code's language model chat provider for the vendor `conpet` (`vscode.lm`, the chat's model
 * picker): "ConPET (routed)" sends each request's last user message through the selector to the
 * task modules, and the base model answers what no task claims; the second model is the plain base
 * model. Answers stream as the engine writes them; token counts come from the model's tokenizer;
 * the model work runs in the engine process. No models are offered until a base model is selected.
 */
export class ConpetChatModelProvider implements vscode.LanguageModelChatProvider, vscode.Disposable {
    private readonly _onDidChange = new vscode.EventEmitter<void>();
    private readonly _disposables: vscode.Disposable[] = [];

    /** Fires when the selected model changes, and once it is loaded (its real context size is known then). */
    public readonly onDidChangeLanguageModelChatInformation = this._onDidChange.event;

    public constructor(private readonly _services: ConpetServices, private readonly _output: vscode.LogOutputChannel) {
        this._disposables.push(
            this._onDidChange,
            _services.onDidChangeModelInfo(() => this._onDidChange.fire()),
            vscode.workspace.onDidChangeConfiguration((event) => {
                if (event.affectsConfiguration(`${configSection}.${conpetSettingsSchema.modelPath.contributed.key}`))
                    this._onDidChange.fire();
            })
        );
    }

    public provideLanguageModelChatInformation(): vscode.LanguageModelChatInformation[] {
        const {modelPath} = this._services.getSettings();
        if (modelPath === "")
            return [];
        const loaded = this._services.modelInfo?.modelPath === modelPath ? this._services.modelInfo : null;
        // Until the engine loads the model, the engine's default context size is the most it can have (it is capped at the model's own).
        const contextSize = loaded?.contextSize ?? defaultEngineContextSize;
        const maxOutputTokens = Math.min(defaultChatMaxTokens, Math.floor(contextSize / 2));
        const fileName = path.basename(modelPath).replace(/\.gguf$/i, "");
        const common = {version: fileName, detail: fileName, maxInputTokens: contextSize - maxOutputTokens, maxOutputTokens, capabilities: {}};
        return [
            {
                ...common,
                id: chatIds.routedModel,
                name: "ConPET (routed)",
                family: "conpet",
                tooltip: `Your trained task modules on ${fileName}: the selector routes the last message to a task (a classify task answers its label, a generate task writes its answer); what no task claims with ${Math.round(defaultMinRouteProbability * 100)}% goes to the base model.`
            },
            {
                ...common,
                id: chatIds.baseModel,
                name: `${fileName} (base model)`,
                family: loaded?.architecture ?? "gguf",
                tooltip: `The plain base model ${fileName}, without task modules, in the engine ConPET runs.`
            }
        ];
    }

    public async provideLanguageModelChatResponse(model: vscode.LanguageModelChatInformation, messages: readonly vscode.LanguageModelChatRequestMessage[], options: vscode.ProvideLanguageModelChatResponseOptions, progress: vscode.Progress<vscode.LanguageModelResponsePart>, token: vscode.CancellationToken): Promise<void> {
        const target: ChatTarget = model.id === chatIds.baseModel ? "base" : "routed";
        await this._withSignal(token, `${model.id} answer`, async (signal) => {
            requireTrust("Running the model");
            if (options.toolMode === vscode.LanguageModelChatToolMode.Required && (options.tools?.length ?? 0) > 0)
                throw new InvalidInputError("ConPET's models do not call tools; send the request without requiring one.");
            const modelOptions = parseModelOptions(options.modelOptions);
            const conpet = await this._services.getConpet();
            const answer = await answerChat(conpet, this._services.getEngine(), {
                target, turns: toChatTurns(messages), ...modelOptions, signal,
                onText: (piece) => progress.report(new vscode.LanguageModelTextPart(piece))
            });
            const by = answer.prediction === null ? `the base model (${answer.baseModelReason})` : `task ${JSON.stringify(answer.prediction.task)}`;
            this._output.info(`Chat model ${model.id}: answered by ${by}: ${JSON.stringify(answer.text.slice(0, 200))}`);
        });
    }

    public async provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage, token: vscode.CancellationToken): Promise<number> {
        return this._withSignal(token, "token count", async (signal) => {
            requireTrust("Running the model");
            // The tokenizer lives with the model in the engine: it is loaded for the count if it was not yet.
            await this._services.getConpet();
            const {tokens} = await this._services.getEngine().tokenize({text: getMessageText(text), addBos: false}, {signal});
            return tokens.length;
        });
    }

    public dispose(): void {
        for (const disposable of this._disposables)
            disposable.dispose();
    }

    /** Runs `work` with an `AbortSignal` following `token`; a cancel surfaces as VS Code's `CancellationError`, other failures are logged and rethrown. */
    private async _withSignal<T>(token: vscode.CancellationToken, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
        const cancellation = createAbortSignal(token);
        try {
            return await work(cancellation.signal);
        } catch (err) {
            if (ConpetError.is(err, "CANCELLED") || cancellation.signal.aborted)
                throw new vscode.CancellationError();
            this._output.error(`Chat model ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
            throw err;
        } finally {
            cancellation.dispose();
        }
    }
}

function parseModelOptions(value: unknown): ConpetModelOptions {
    if (value === undefined || value === null)
        return {};
    const {minRouteProbability, maxTokens} = value as Record<string, unknown>;
    if (minRouteProbability !== undefined && typeof minRouteProbability !== "number")
        throw new InvalidInputError(`modelOptions.minRouteProbability must be a number from 0 to 1, not ${JSON.stringify(minRouteProbability)}.`);
    if (maxTokens !== undefined && typeof maxTokens !== "number")
        throw new InvalidInputError(`modelOptions.maxTokens must be a whole number, not ${JSON.stringify(maxTokens)}.`);
    return {minRouteProbability, maxTokens};
}
