/**
 * One chat answer, for VS Code's language model API and the `@conpet` participant: the routed
 * model sends the last user message through the selector to its task module (a classify task
 * answers its label, a generate task its module's text), and what no task claims with at least
 * `minRouteProbability` goes to the plain base model; the base model answers the whole
 * conversation. Model work runs in the engine; this only decides who answers.
 */
import type {Conpet} from "../Conpet/Conpet";
import type {CoreEngine} from "../dependencyTypes";
import type {Prediction, PredictionRoute} from "../strategies/types";
import {ConpetError, InvalidInputError} from "../../vocabulary/errors";
import {formatChatTranscript, type ChatTurn} from "./formatChatTranscript";
import {TextStreamer} from "./TextStreamer";

/** `routed`: ConPET's task modules, the base model for what none claims. `base`: the plain base model. */
export type ChatTarget = "routed" | "base";

/**
 * The selector's probability a task needs to answer a chat message; below it the base model
 * answers. The selector has no "none of these" class, so an unrelated message can still reach it
 * with one task's label: raise it to keep such messages away from the modules.
 */
export const defaultMinRouteProbability = 0.5;

/** Tokens the base model writes at most for a chat answer (the engine also stops at the context's end). */
export const defaultChatMaxTokens = 256;

export type AnswerChatOptions = {
    target: ChatTarget;
    /** The conversation, oldest first; the last user message is the one routed. */
    turns: readonly ChatTurn[];
    /** See `defaultMinRouteProbability`. Defaults to `0.5`. */
    minRouteProbability?: number;
    /** Most tokens of a base-model answer. Defaults to `defaultChatMaxTokens` (256). */
    maxTokens?: number;
    signal?: AbortSignal;
    /** Pieces of the answer as they are written; together they are the final `text`. */
    onText?(piece: string): void;
};

/** Why the base model answered: it was asked for, no module is trained for the loaded model, or no task claimed the message. */
export type BaseModelReason = "requested" | "not-trained" | "unclaimed";

export type ChatAnswer = {
    text: string;
    /** The input that was routed: the last user message. */
    input: string;
    /** The task module's prediction, or `null` when the base model answered. */
    prediction: Prediction | null;
    /** Set when the base model answered. */
    baseModelReason: BaseModelReason | null;
    /** The selector's choices; `null` for the base model target, the modes without a selector, or when nothing is trained. */
    routes: PredictionRoute[] | null;
};

export async function answerChat(conpet: Conpet, engine: CoreEngine, options: AnswerChatOptions): Promise<ChatAnswer> {
    const {target, turns, minRouteProbability = defaultMinRouteProbability, maxTokens = defaultChatMaxTokens, signal} = options;
    if (!(minRouteProbability >= 0 && minRouteProbability <= 1))
        throw new InvalidInputError(`minRouteProbability must be a number from 0 to 1, not ${String(minRouteProbability)}.`);
    if (!Number.isInteger(maxTokens) || maxTokens < 1)
        throw new InvalidInputError(`maxTokens must be a whole number of at least 1, not ${String(maxTokens)}.`);
    const input = [...turns].reverse().find((turn) => turn.role === "user")?.text.trim() ?? "";
    if (input === "")
        throw new InvalidInputError("The request has no user message with text to answer.");
    const streamer = new TextStreamer((piece) => options.onText?.(piece));

    let routes: PredictionRoute[] | null = null;
    let baseModelReason: BaseModelReason = "requested";
    if (target === "routed") {
        try {
            routes = await conpet.route(input, {signal});
            // Static mode has no selector (`routes` null): its one module answers everything, as in Run on Selection.
            if (routes === null || (routes[0]?.probability ?? 0) >= minRouteProbability) {
                const prediction = await conpet.predict(input, {signal, onText: (text) => streamer.push(text)});
                streamer.finish(prediction.output);
                return {text: prediction.output, input, prediction, baseModelReason: null, routes};
            }
            baseModelReason = "unclaimed";
        } catch (err) {
            if (!ConpetError.is(err, "NOT_TRAINED"))
                throw err;
            baseModelReason = "not-trained";
        }
    }

    const {prompt, stopStrings} = formatChatTranscript(turns);
    const {text} = await engine.generate({prompt, adapters: [], maxTokens, temperature: 0, stopStrings}, {
        signal,
        onProgress: (progress) => {
            if (progress.text !== undefined)
                streamer.push(progress.text);
        }
    });
    const answer = text.trim();
    streamer.finish(answer);
    return {text: answer, input, prediction: null, baseModelReason, routes};
}
