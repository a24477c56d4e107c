import {ConpetError} from "../../vocabulary/errors";

/** The engine process died (a llama.cpp abort, out of memory, or killed) while requests were pending. */
export class EngineCrashedError extends ConpetError {
    public constructor(
        public readonly exitCode: number | null,
        public readonly signal: NodeJS.Signals | null,
        /** The last lines the process wrote to stderr: llama.cpp prints its assertion there before aborting. */
        public readonly stderrTail: string
    ) {
        const how = signal !== null ? `was killed by ${signal}` : `exited with code ${exitCode}`;
        const tail = stderrTail.trim() === "" ? "" : ` Last output: ${stderrTail.trim().split("\n").slice(-3).join(" | ")}`;
        super("ENGINE_CRASHED", `The model engine process ${how}. It restarts on the next request.${tail}`, {data: {exitCode, signal, stderrTail}});
    }
}
