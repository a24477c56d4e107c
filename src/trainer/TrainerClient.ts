import {spawn, type ChildProcess} from "node:child_process";
import {existsSync} from "node:fs";
import {rm, writeFile} from "node:fs/promises";
import path from "node:path";
import {CancelledError, ConpetError, DisposedError, errorFromPayload} from "../vocabulary/errors";
import {isAllocationFailureLog} from "./isAllocationFailureLog";
import {parseTrainerEvent} from "./parseTrainerEvent";
import type {TrainerDoneEvent, TrainerEvent, TrainJob} from "../vocabulary/trainerProtocol";
import {resolveTrainerBinaryPath} from "./resolveTrainerBinaryPath";
import {TrainerLineSplitter} from "./TrainerLineSplitter";

export type TrainerClientOptions = {
    /** The `conpet-train` executable. Defaults to `resolveTrainerBinaryPath()`. */
    binaryPath?: string;
    /** Receives the trainer's stderr (llama.cpp warnings and errors) and unparsable stdout lines. Defaults to `undefined`: dropped. */
    onLog?: (text: string) => void;
    /**
     * Extra environment of each trainer run, asked for at every start (the GPU backend installed on demand can
     * change while the client lives: `CONPET_GGML_BACKEND_DIRS` names its libraries). Defaults to none.
     */
    env?: () => Record<string, string>;
};

export type TrainOptions = {
    /** Aborting sends SIGTERM: the trainer stops at the next step and writes nothing at `outputPath`. */
    signal?: AbortSignal;
    /** Every event, in order (`started`, `progress`, `eval`, `warning`, `done`). */
    onEvent?: (event: TrainerEvent) => void;
};

/** How much of the trainer's stderr a `TRAINER_CRASHED` (or `OUT_OF_MEMORY`) error carries. */
const stderrTailLength = 4000;

/**
 * Runs `conpet-train` as a separate process (llama.cpp aborts the whole process on an internal
 * assertion, so training never runs inside the caller): writes the job beside its `outputPath`
 * (`<outputPath>.job.json`, so the samples it holds stay in the caller's work folder, the store's
 * `tmp/`, and go with whatever cleans that folder up after a kill), streams
 * the JSON-line events, and maps the outcome to the `done` event or a `ConpetError`.
 */
export class TrainerClient {
    public readonly binaryPath: string;
    private readonly _onLog?: (text: string) => void;
    private readonly _env?: () => Record<string, string>;
    private readonly _running = new Set<ChildProcess>();
    private _disposed = false;

    public constructor({binaryPath, onLog, env}: TrainerClientOptions = {}) {
        this.binaryPath = binaryPath ?? resolveTrainerBinaryPath();
        this._onLog = onLog;
        this._env = env;
    }

    /** Kills every running trainer (their runs reject with `CANCELLED`). Idempotent. */
    public dispose(): void {
        if (this._disposed)
            return;
        this._disposed = true;
        for (const child of this._running)
            child.kill("SIGTERM");
    }

    /** Trains; resolves with the `done` event, rejects with a `ConpetError`. */
    public async train(job: TrainJob, {signal, onEvent}: TrainOptions = {}): Promise<TrainerDoneEvent> {
        if (this._disposed)
            throw new DisposedError("TrainerClient");
        if (!existsSync(this.binaryPath))
            throw new ConpetError("TRAINER_NOT_BUILT", `The trainer is not built (${this.binaryPath} is missing). Run "npm run build:native".`, {data: {binaryPath: this.binaryPath}});
        if (signal?.aborted)
            throw new CancelledError("Training was cancelled.");
        const jobPath = `${job.outputPath}.job.json`;
        try {
            // The job holds the user's samples: readable by the user alone.
            await writeFile(jobPath, JSON.stringify(job), {mode: 0o600}).catch((err: NodeJS.ErrnoException) => {
                throw toJobWriteError(err, path.dirname(job.outputPath));
            });
            return await this._run(jobPath, signal, onEvent);
        } finally {
            await rm(jobPath, {force: true});
        }
    }

    private _run(jobPath: string, signal: AbortSignal | undefined, onEvent: TrainOptions["onEvent"]): Promise<TrainerDoneEvent> {
        return new Promise((resolve, reject) => {
            const child = spawn(this.binaryPath, [jobPath], {stdio: ["ignore", "pipe", "pipe"], ...(this._env === undefined ? {} : {env: {...process.env, ...this._env()}})});
            this._running.add(child);
            const splitter = new TrainerLineSplitter();
            let done: TrainerDoneEvent | undefined;
            let error: ConpetError | undefined;
            let cancelled = false;
            let stderrTail = "";
            let spawnError: Error | undefined;

            const handleLine = (line: string) => {
                const event = parseTrainerEvent(line);
                if (event === undefined) {
                    if (line.trim() !== "")
                        this._log(line);
                    return;
                }
                if (event.type === "done")
                    done = event;
                else if (event.type === "error")
                    error = errorFromPayload(event);
                if (onEvent !== undefined)
                    this._callSafely(() => onEvent(event));
            };
            const onAbort = () => {
                cancelled = true;
                child.kill("SIGTERM");
            };
            signal?.addEventListener("abort", onAbort, {once: true});

            child.stdout.on("data", (chunk: Buffer) => splitter.push(chunk).forEach(handleLine));
            child.stderr.on("data", (chunk: Buffer) => {
                const text = chunk.toString("utf8");
                stderrTail = (stderrTail + text).slice(-stderrTailLength);
                this._log(text);
            });
            child.on("error", (err) => {
                spawnError = err;
                if (child.pid === undefined) { // never started: no "close" follows
                    this._running.delete(child);
                    signal?.removeEventListener("abort", onAbort);
                    reject(new ConpetError("TRAINER_CRASHED", `The trainer could not start: ${err.message}`, {cause: err}));
                }
            });
            child.on("close", (code, exitSignal) => {
                splitter.end().forEach(handleLine);
                this._running.delete(child);
                signal?.removeEventListener("abort", onAbort);
                if (done !== undefined && code === 0)
                    resolve(done);
                else if (cancelled || this._disposed || error?.code === "CANCELLED")
                    reject(new CancelledError("Training was cancelled."));
                else if (error !== undefined)
                    reject(error);
                else {
                    const how = exitSignal !== null ? `was killed by ${exitSignal}` : `exited with code ${String(code)}`;
                    const cause = spawnError === undefined ? "" : ` (${spawnError.message})`;
                    const tail = stderrTail.trim().split("\n").slice(-5).join(" | ");
                    const data = {exitCode: code, signal: exitSignal, stderrTail};
                    if (isAllocationFailureLog(stderrTail))
                        reject(new ConpetError("OUT_OF_MEMORY", `The trainer ran out of memory (it ${how}). Lower batchSize, contextSize or the LoRA rank, or use a smaller model. ${tail}`.trim(), {data, cause: spawnError}));
                    else
                        reject(new ConpetError("TRAINER_CRASHED", `The trainer ${how}${cause}. ${tail}`.trim(), {data, cause: spawnError}));
                }
            });
        });
    }

    private _log(text: string): void {
        if (this._onLog !== undefined)
            this._callSafely(() => this._onLog?.(text));
    }

    private _callSafely(callback: () => void): void {
        try {
            callback();
        } catch (err) {
            console.error("TrainerClient: a callback threw", err);
        }
    }
}

/** The same codes the trainer gives for an output folder it cannot write, since the job file goes there first. */
function toJobWriteError(err: NodeJS.ErrnoException, directory: string): ConpetError {
    if (err.code === "ENOSPC")
        return new ConpetError("DISK_FULL", `The disk holding ${directory} is full. Free some space and train again.`, {data: {path: directory}, cause: err});
    const why = err.code === "ENOENT" ? "the folder does not exist" : err.message;
    return new ConpetError("NOT_WRITABLE", `Cannot write the training job to ${directory}: ${why}.`, {data: {path: directory}, cause: err});
}
