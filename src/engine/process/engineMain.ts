/**
 * Entry of the engine process (bundled to `dist/engine.mjs`; forked by `EngineClient`). It owns
 * node-llama-cpp, so a llama.cpp abort takes down only this process. Every request gets exactly one
 * reply; a malformed message gets an `INVALID_INPUT` error (or, without a usable id, a log line).
 */
import {CancelledError, errorToPayload} from "../../vocabulary/errors";
import {gpuBackendEnvVar, parseGpuBackendSelection, type GpuBackendSelection} from "../../vocabulary/gpuBackend";
import {detectGpus} from "./detectGpus";
import {downloadModel} from "./downloadModel";
import {LlamaEngine} from "./LlamaEngine/LlamaEngine";
import {parseEngineRequest} from "./parseEngineRequest";
import {createProgressThrottle} from "./utils/createProgressThrottle";
import type {EngineEvent, EngineProgress, EngineReply, EngineRequest} from "../../vocabulary/engineProtocol";

/** Generation's progress carries the answer so far: often enough that a streamed answer reads as it is written. */
const generateProgressIntervalMs = 50;

function send(message: EngineReply | EngineEvent): void {
    try {
        process.send?.(message);
    } catch {
        // The parent is gone; the disconnect handler ends this process.
    }
}

function log(level: "debug" | "info" | "warn" | "error", message: string): void {
    send({event: "log", data: {level, message}});
}

function readGpuBackend(): GpuBackendSelection | undefined {
    try {
        return parseGpuBackendSelection(process.env[gpuBackendEnvVar]);
    } catch (err) {
        log("error", `Ignoring the GPU backend: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
    }
}

const gpuBackend = readGpuBackend();
const engine = new LlamaEngine({onLog: log, ...(gpuBackend === undefined ? {} : {gpuBackend})});
const running = new Map<number, AbortController>();

async function dispatch(request: EngineRequest, signal: AbortSignal, onProgress: (progress: EngineProgress) => void): Promise<unknown> {
    switch (request.method) {
        case "load":
            return await engine.load(request.params, signal, onProgress);
        case "info":
            return await engine.info();
        // Progress of the model work keeps the client's timeout alive while the work advances (see EngineClient).
        case "generate":
            return await engine.generate(request.params, signal, createProgressThrottle(onProgress, generateProgressIntervalMs));
        case "score":
            return await engine.score(request.params, signal, createProgressThrottle(onProgress));
        case "embed":
            return await engine.embed(request.params, signal, createProgressThrottle(onProgress));
        case "tokenize":
            return engine.tokenize(request.params);
        case "download": {
            const file = await downloadModel({...request.params, signal, onProgress});
            return {modelPath: file.modelPath};
        }
        case "detectGpus":
            return {gpus: await detectGpus()};
    }
}

async function handleMessage(message: unknown): Promise<void> {
    const parsed = parseEngineRequest(message);
    if (parsed.kind === "cancel") {
        running.get(parsed.id)?.abort();
        return;
    }
    if (parsed.kind === "invalid") {
        if (parsed.id === undefined)
            log("warn", `Ignored a malformed engine message: ${parsed.error.message}`);
        else
            send({id: parsed.id, error: parsed.error});
        return;
    }

    const {request} = parsed;
    if (running.has(request.id)) {
        send({id: request.id, error: {code: "INVALID_INPUT", message: `Request id ${request.id} is already in use.`}});
        return;
    }
    const controller = new AbortController();
    running.set(request.id, controller);
    try {
        const result = await dispatch(request, controller.signal, (data) => send({event: "progress", id: request.id, data}));
        send({id: request.id, result: result ?? null});
    } catch (err) {
        send({id: request.id, error: errorToPayload(controller.signal.aborted ? new CancelledError() : err)});
    } finally {
        running.delete(request.id);
    }
}

if (process.send === undefined) {
    process.stderr.write("engine.mjs is the ConPET engine process; it is started by EngineClient over IPC, not run directly.\n");
    process.exit(2);
}

process.on("message", (message) => void handleMessage(message));
// The parent (extension host or CLI) went away: nobody can use the model any more.
process.on("disconnect", () => {
    for (const controller of running.values())
        controller.abort();
    void engine.dispose().finally(() => process.exit(0));
});
process.on("unhandledRejection", (reason) => log("error", `Unhandled rejection in the engine: ${reason instanceof Error ? reason.stack ?? reason.message : String(reason)}`));
send({event: "log", data: {level: "debug", message: `Engine process ${process.pid} ready`}});
