/**
 * The extension host's and the CLI's handle on the engine process. It must not import
 * node-llama-cpp: the model lives in a child process (`dist/engine.mjs`), so a llama.cpp abort
 * never takes VS Code down. The process starts on the first request; if it dies, pending requests
 * reject with `ENGINE_CRASHED`, `onDidCrash` fires, and the next request starts a new process and
 * reloads the last loaded model first.
 */
import {fork, type ChildProcess} from "node:child_process";
import {CancelledError, ConpetError, DisposedError, errorFromPayload} from "../../vocabulary/errors";
import {EngineCrashedError} from "./EngineCrashedError";
import {EngineTimeoutError} from "./EngineTimeoutError";
import type {EngineCancel, EngineEvent, EngineMethod, EngineMethods, EngineProgress, EngineRequest, LoadParams} from "../../vocabulary/engineProtocol";
import {EventListeners} from "../../vocabulary/EventListeners";

/** Timeout of ordinary requests (generate, score, embed, …): the longest silence of an engine that still works. */
export const defaultRequestTimeoutMs = 120_000;
/** Timeout of `load`: a multi-GB model from a slow disk takes minutes. */
export const defaultLoadTimeoutMs = 600_000;
/** How long a cancelled or timed-out request may keep the engine busy before the client restarts it. */
export const defaultStuckGraceMs = 30_000;
/** Bytes of the engine's stderr kept for crash reports. */
const stderrTailBytes = 8192;

export type EngineLogLevel = "debug" | "info" | "warn" | "error";

export type EngineClientOptions = {
    /** Path of the bundled engine entry, `dist/engine.mjs` (see `resolveEngineEntryPath`). */
    entryPath: string;
    /**
     * How long a request (except `load` and `download`) may go without the engine answering it or
     * reporting progress on any work (score, embed and generate report every 250 ms while they
     * advance), in ms; 0 disables it. Defaults to `defaultRequestTimeoutMs` (2 minutes).
     */
    requestTimeoutMs?: number;
    /** Timeout of `load` (including a transparent reload after a crash), in ms; 0 disables it. Defaults to `defaultLoadTimeoutMs` (10 minutes). */
    loadTimeoutMs?: number;
    /** After a cancel or timeout, how long the engine may stay busy with that request before it is killed and restarted. Defaults to `defaultStuckGraceMs` (30 s). */
    stuckGraceMs?: number;
    /** Receives the engine's and llama.cpp's log lines and the process's stdout/stderr. Defaults to none. */
    onLog?: (level: EngineLogLevel, message: string) => void;
    /**
     * Extra environment variables for the engine process; a function is called at each start (after `restart`, a
     * crash), so what it returns can change (the GPU backend installed on demand). Defaults to `{}`.
     */
    env?: Record<string, string> | (() => Record<string, string>);
};

export type EngineCallOptions = {
    signal?: AbortSignal;
    /** Progress of `load`, `download` and the model work; `generate`'s carries the answer so far (`text`). */
    onProgress?: (progress: EngineProgress) => void;
    /** Overrides the client's timeout for this call, in ms; 0 disables it. */
    timeoutMs?: number;
};

export type EngineCrash = {exitCode: number | null; signal: NodeJS.Signals | null; stderrTail: string; error: EngineCrashedError};

type Pending = {
    method: EngineMethod;
    resolve(value: unknown): void;
    reject(error: ConpetError): void;
    /** Restarts the request's timeout: the engine is alive and advancing. */
    restartTimer(): void;
    onProgress?: EngineCallOptions["onProgress"];
};

export class EngineClient {
    private readonly crashListeners = new EventListeners<EngineCrash>();
    private readonly disposeListeners = new EventListeners<void>();
    /** Fires when the engine process dies unexpectedly (not on `dispose`). */
    public readonly onDidCrash = this.crashListeners.event;
    /** Fires once on `dispose()`. */
    public readonly onDispose = this.disposeListeners.event;

    private readonly options: Required<Omit<EngineClientOptions, "onLog">> & Pick<EngineClientOptions, "onLog">;
    private child?: ChildProcess;
    private starting?: Promise<void>;
    private nextId = 1;
    private readonly pending = new Map<number, Pending>();
    /** Requests given up on (cancelled or timed out) that the engine may still be working on. */
    private readonly abandoned = new Map<number, NodeJS.Timeout>();
    private lastLoad?: LoadParams;
    private stderrTail = "";
    private disposed = false;

    public constructor(options: EngineClientOptions) {
        this.options = {
            requestTimeoutMs: defaultRequestTimeoutMs,
            loadTimeoutMs: defaultLoadTimeoutMs,
            stuckGraceMs: defaultStuckGraceMs,
            env: {},
            ...options
        };
    }

    /** The engine process id while it runs. */
    public get pid(): number | undefined {
        return this.child?.pid;
    }

    public async load(params: LoadParams, options?: EngineCallOptions): Promise<EngineMethods["load"]["result"]> {
        try {
            const info = await this.request("load", params, options);
            this.lastLoad = {...params};
            return info;
        } catch (err) {
            // Only a load the engine rejected before touching the loaded model (validation) leaves
            // the previous model in place; after any other failure (a crash included) a restart must
            // not silently bring the previous model back, the caller asked for another one.
            if (!(ConpetError.is(err) && err.data?.previousModelKept === true))
                this.lastLoad = undefined;
            throw err;
        }
    }

    public info(params: EngineMethods["info"]["params"] = {}, options?: EngineCallOptions): Promise<EngineMethods["info"]["result"]> {
        return this.request("info", params, options);
    }

    public generate(params: EngineMethods["generate"]["params"], options?: EngineCallOptions): Promise<EngineMethods["generate"]["result"]> {
        return this.request("generate", params, options);
    }

    public score(params: EngineMethods["score"]["params"], options?: EngineCallOptions): Promise<EngineMethods["score"]["result"]> {
        return this.request("score", params, options);
    }

    public embed(params: EngineMethods["embed"]["params"], options?: EngineCallOptions): Promise<EngineMethods["embed"]["result"]> {
        return this.request("embed", params, options);
    }

    public tokenize(params: EngineMethods["tokenize"]["params"], options?: EngineCallOptions): Promise<EngineMethods["tokenize"]["result"]> {
        return this.request("tokenize", params, options);
    }

    /** Downloads a model (no timeout unless given); progress through `onProgress`. */
    public download(params: EngineMethods["download"]["params"], options?: EngineCallOptions): Promise<EngineMethods["download"]["result"]> {
        return this.request("download", params, {timeoutMs: 0, ...options});
    }

    public detectGpus(params: EngineMethods["detectGpus"]["params"] = {}, options?: EngineCallOptions): Promise<EngineMethods["detectGpus"]["result"]> {
        return this.request("detectGpus", params, options);
    }

    /**
     * Ends the engine process, if one runs, so that the next request starts a new one with a fresh `env` (a GPU
     * backend installed or removed) and reloads the last loaded model. Requests still pending reject with
     * `CANCELLED`. Resolves once the old process has exited, so its files (the backend's libraries) are free.
     */
    public async restart(): Promise<void> {
        this.ensureNotDisposed();
        await this.starting?.catch(() => undefined);
        const child = this.child;
        if (child === undefined)
            return;
        // onExit ignores a process that is no longer `this.child`: this end is not a crash.
        this.child = undefined;
        for (const timer of this.abandoned.values())
            clearTimeout(timer);
        this.abandoned.clear();
        this.rejectAll(new CancelledError("The engine restarted to switch its GPU backend; run the request again."));
        if (child.exitCode !== null || child.signalCode !== null)
            return;
        await new Promise<void>((resolve) => {
            child.once("exit", () => resolve());
            child.kill("SIGKILL");
        });
    }

    /** Kills the engine process; pending requests reject with `DISPOSED`. Idempotent. */
    public dispose(): void {
        if (this.disposed)
            return;
        this.disposed = true;
        this.rejectAll(new DisposedError("The engine client"));
        for (const timer of this.abandoned.values())
            clearTimeout(timer);
        this.abandoned.clear();
        const child = this.child;
        this.child = undefined;
        child?.kill("SIGKILL");
        this.crashListeners.clear();
        this.disposeListeners.fire();
        this.disposeListeners.clear();
    }

    private async request<M extends EngineMethod>(method: M, params: EngineMethods[M]["params"], options: EngineCallOptions = {}): Promise<EngineMethods[M]["result"]> {
        this.ensureNotDisposed();
        if (options.signal?.aborted)
            throw new CancelledError();
        await this.ensureStarted(method === "load");
        return await this.send(method, params, options);
    }

    private async ensureStarted(skipReload: boolean): Promise<void> {
        while (this.child === undefined || this.starting !== undefined) {
            this.ensureNotDisposed();
            if (this.starting === undefined) {
                this.starting = this.start(skipReload).finally(() => {
                    this.starting = undefined;
                });
            }
            await this.starting;
            if (this.child !== undefined)
                return;
        }
    }

    private async start(skipReload: boolean): Promise<void> {
        this.stderrTail = "";
        const child = fork(this.options.entryPath, [], {
            // Inside VS Code, process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it plain Node.
            execPath: process.execPath,
            // Don't inherit loaders or inspector flags (tsx in tests, --inspect in a debug session).
            execArgv: [],
            env: {...process.env, ELECTRON_RUN_AS_NODE: "1", ...(typeof this.options.env === "function" ? this.options.env() : this.options.env)},
            stdio: ["ignore", "pipe", "pipe", "ipc"],
            serialization: "json"
        });
        this.child = child;
        child.on("message", (message) => this.onMessage(message));
        child.on("exit", (exitCode, signal) => this.onExit(child, exitCode, signal));
        child.on("error", (err) => this.log("error", `Engine process error: ${err.message}`));
        child.stdout?.setEncoding("utf8").on("data", (chunk: string) => this.log("info", chunk.trimEnd()));
        child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
            this.stderrTail = (this.stderrTail + chunk).slice(-stderrTailBytes);
            this.log("warn", chunk.trimEnd());
        });

        if (!skipReload && this.lastLoad !== undefined) {
            this.log("info", `Engine restarted; reloading ${this.lastLoad.modelPath}`);
            await this.send("load", this.lastLoad, {});
        }
    }

    private send<M extends EngineMethod>(method: M, params: EngineMethods[M]["params"], {signal, onProgress, timeoutMs}: EngineCallOptions): Promise<EngineMethods[M]["result"]> {
        const child = this.child;
        if (child === undefined)
            return Promise.reject(new EngineCrashedError(null, null, this.stderrTail));
        const id = this.nextId++;
        const timeout = timeoutMs ?? (method === "load" ? this.options.loadTimeoutMs : this.options.requestTimeoutMs);

        return new Promise<EngineMethods[M]["result"]>((resolve, reject) => {
            let timer: NodeJS.Timeout | undefined;
            const restartTimer = (): void => {
                clearTimeout(timer);
                if (timeout > 0)
                    timer = setTimeout(() => giveUp(new EngineTimeoutError(method, timeout)), timeout);
            };
            const settle = (): void => {
                clearTimeout(timer);
                signal?.removeEventListener("abort", onAbort);
                this.pending.delete(id);
            };
            const giveUp = (error: ConpetError): void => {
                if (!this.pending.has(id))
                    return;
                settle();
                reject(error);
                this.abandon(id, child);
            };
            const onAbort = (): void => giveUp(new CancelledError());

            this.pending.set(id, {
                method,
                resolve: (value) => {
                    settle();
                    resolve(value as EngineMethods[M]["result"]);
                },
                reject: (error) => {
                    settle();
                    reject(error);
                },
                restartTimer,
                ...(onProgress === undefined ? {} : {onProgress})
            });
            restartTimer();
            signal?.addEventListener("abort", onAbort, {once: true});

            const request = {id, method, params} as EngineRequest;
            child.send(request, (err) => {
                if (err !== null && this.pending.has(id))
                    this.pending.get(id)!.reject(new EngineCrashedError(child.exitCode, child.signalCode, `${this.stderrTail}\n${err.message}`));
            });
        });
    }

    /** Asks the engine to stop working on `id`; if it is still busy with it after the grace period, it is stuck: restart it. */
    private abandon(id: number, child: ChildProcess): void {
        if (child !== this.child || !child.connected)
            return;
        const cancel: EngineCancel = {cancel: id};
        child.send(cancel, () => undefined);
        this.abandoned.set(id, setTimeout(() => {
            this.abandoned.delete(id);
            if (this.child === child) {
                this.log("error", `The engine did not stop request ${id} within ${this.options.stuckGraceMs} ms; restarting it.`);
                child.kill("SIGKILL");
            }
        }, this.options.stuckGraceMs));
    }

    private onMessage(message: unknown): void {
        if (typeof message !== "object" || message === null)
            return;
        // A timeout measures silence, not length: the engine serialises model work, so a request queued
        // behind a long batch waits as long as that batch keeps reporting progress (or finishes).
        if (!("event" in message) || (message as EngineEvent).event === "progress")
            for (const pending of this.pending.values())
                pending.restartTimer();
        if ("event" in message) {
            const event = message as EngineEvent;
            if (event.event === "log")
                this.log(event.data.level, event.data.message);
            else if (event.event === "progress") {
                try {
                    this.pending.get(event.id)?.onProgress?.(event.data);
                } catch (err) {
                    this.log("warn", `A progress listener threw: ${err instanceof Error ? err.message : String(err)}`);
                }
            }
            return;
        }
        const {id} = message as {id?: unknown};
        if (typeof id !== "number")
            return;
        const abandonedTimer = this.abandoned.get(id);
        if (abandonedTimer !== undefined) {
            clearTimeout(abandonedTimer);
            this.abandoned.delete(id);
        }
        const pending = this.pending.get(id);
        if (pending === undefined)
            return;
        if ("error" in message)
            pending.reject(errorFromPayload((message as {error: unknown}).error));
        else
            pending.resolve((message as {result?: unknown}).result ?? null);
    }

    private onExit(child: ChildProcess, exitCode: number | null, signal: NodeJS.Signals | null): void {
        for (const [id, timer] of this.abandoned) {
            clearTimeout(timer);
            this.abandoned.delete(id);
        }
        if (this.child !== child)
            return;
        this.child = undefined;
        const error = new EngineCrashedError(exitCode, signal, this.stderrTail);
        this.log("error", error.message);
        this.rejectAll(error);
        if (!this.disposed)
            this.crashListeners.fire({exitCode, signal, stderrTail: this.stderrTail, error});
    }

    private rejectAll(error: ConpetError): void {
        for (const pending of [...this.pending.values()])
            pending.reject(error);
        this.pending.clear();
    }

    private ensureNotDisposed(): void {
        if (this.disposed)
            throw new DisposedError("The engine client");
    }

    private log(level: EngineLogLevel, message: string): void {
        if (message === "")
            return;
        try {
            this.options.onLog?.(level, message);
        } catch {
            // A broken log sink must not break requests.
        }
    }
}
