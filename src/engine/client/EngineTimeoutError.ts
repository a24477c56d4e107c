import {ConpetError} from "../../vocabulary/errors";

/** The engine neither answered a request nor reported progress on any work for `timeoutMs`; the request was cancelled in the engine. */
export class EngineTimeoutError extends ConpetError {
    public constructor(public readonly method: string, public readonly timeoutMs: number) {
        super("ENGINE_TIMEOUT", `The model engine made no progress on "${method}" for ${Math.round(timeoutMs / 1000 * 10) / 10}s: it is stuck or the machine is overloaded. Try again; if it keeps happening, restart the engine or raise the timeout.`, {data: {method, timeoutMs}});
    }
}
