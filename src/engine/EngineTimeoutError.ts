import {ConpetError} from "../core/errors";

/** An engine request got no reply in time; it was cancelled in the engine. */
export class EngineTimeoutError extends ConpetError {
    public constructor(public readonly method: string, public readonly timeoutMs: number) {
        super("ENGINE_TIMEOUT", `The model engine did not answer "${method}" within ${Math.round(timeoutMs / 1000 * 10) / 10}s. Try a smaller input, or raise the timeout.`, {data: {method, timeoutMs}});
    }
}
