import path from "node:path";
import * as vscode from "vscode";
import {Conpet} from "../../core/Conpet/Conpet";
import {ConpetError, DisposedError} from "../../vocabulary/errors";
import {EngineClient, type EngineCrash} from "../../engine/client/EngineClient";
import {getGpuBackendEnvironment, type GpuBackendLocation} from "../../gpuBackend/getGpuBackendEnvironment";
import {readInstalledGpuBackend, type InstalledGpuBackend} from "../../gpuBackend/readInstalledGpuBackend";
import {readPinnedBackendPackages} from "../../gpuBackend/readPinnedBackendPackages";
import type {ModelInfo} from "../../vocabulary/engineProtocol";
import {ConpetStore} from "../../store/ConpetStore";
import {TrainerClient} from "../../trainer/TrainerClient";
import type {ExtensionSettings} from "../settings/getExtensionSettings";
import {checkModelFile} from "./checkModelFile";

export type ConpetServicesOptions = {
    /** Folder of `conpet.db` and `adapters/`. */
    storeDirectory: string;
    /** `dist/engine.mjs`, beside the extension bundle. */
    engineEntryPath: string;
    /** The `conpet-train` executable. */
    trainerBinaryPath: string;
    /** Where "Enable GPU Acceleration" puts the backend the engine and the trainer run on. */
    gpuBackend: GpuBackendLocation;
    getSettings: () => ExtensionSettings;
    output: vscode.LogOutputChannel;
};

/**
 * Owns the long-lived parts behind the UI and creates each on first use: the store when a view or
 * command first needs it, the engine process on the first model request (never at activation),
 * and the `Conpet` service once a model is selected. `onDidChangeData` fires after anything
 * changes what the views show; `dispose` ends the engine and trainer processes.
 */
export class ConpetServices implements vscode.Disposable {
    private readonly _onDidChangeData = new vscode.EventEmitter<void>();
    private readonly _onDidChangeModelInfo = new vscode.EventEmitter<ModelInfo | null>();
    private readonly _onDidCrashEngine = new vscode.EventEmitter<EngineCrash>();
    private _store: Promise<ConpetStore> | undefined;
    private _engine: EngineClient | undefined;
    private _trainer: TrainerClient | undefined;
    private _conpet: {key: string; conpet: Promise<Conpet>} | undefined;
    private _currentConpet: Conpet | undefined;
    private _modelInfo: ModelInfo | null = null;
    private _disposed = false;

    /** Fires after tasks, samples, modules or runs changed. */
    public readonly onDidChangeData = this._onDidChangeData.event;
    /** Fires when the loaded model (and so the backend) is known or gone. */
    public readonly onDidChangeModelInfo = this._onDidChangeModelInfo.event;
    /** Fires when the engine process died; the next request restarts it. */
    public readonly onDidCrashEngine = this._onDidCrashEngine.event;

    public constructor(private readonly _options: ConpetServicesOptions) {}

    public get storeDirectory(): string {
        return this._options.storeDirectory;
    }

    /** What the engine reported after its last load; `null` until a model was loaded. */
    public get modelInfo(): ModelInfo | null {
        return this._modelInfo;
    }

    public get engineIfStarted(): EngineClient | undefined {
        return this._engine;
    }

    public get gpuBackendLocation(): GpuBackendLocation {
        return this._options.gpuBackend;
    }

    /** The backend "Enable GPU Acceleration" installed (read from disk: another window may have changed it). */
    public getInstalledGpuBackend(): InstalledGpuBackend {
        try {
            return readInstalledGpuBackend(this._options.gpuBackend.root, readPinnedBackendPackages(this._options.gpuBackend.pinsPath));
        } catch (err) {
            return {state: "unusable", directory: this._options.gpuBackend.root, reason: err instanceof Error ? err.message : String(err)};
        }
    }

    /**
     * Ends the engine process (if it runs) so that nothing holds the GPU backend's libraries; the next request
     * starts it on whatever backend is installed then. Resolves once the process is gone.
     */
    public async stopEngine(): Promise<void> {
        await this._engine?.restart();
    }

    /** Starts the engine again with the model it had (on the backend installed now) and reports the new model info; `null` if no model was loaded. */
    public async reloadEngine(): Promise<ModelInfo | null> {
        if (this._engine === undefined || this._modelInfo === null)
            return null;
        await this._engine.restart();
        this._setModelInfo(await this._engine.info({}));
        return this._modelInfo;
    }

    public getSettings(): ExtensionSettings {
        return this._options.getSettings();
    }

    public getStore(): Promise<ConpetStore> {
        this._throwIfDisposed();
        if (this._store === undefined) {
            const store = ConpetStore.open({directory: this._options.storeDirectory});
            // A failed open (corrupt database, unwritable folder) is retried on the next use.
            store.catch(() => {
                if (this._store === store)
                    this._store = undefined;
            });
            this._store = store;
        }
        return this._store;
    }

    public getEngine(): EngineClient {
        this._throwIfDisposed();
        if (this._engine === undefined) {
            const output = this._options.output;
            const engine = new EngineClient({
                entryPath: this._options.engineEntryPath,
                env: () => getGpuBackendEnvironment(this._options.gpuBackend, (message) => output.warn(`[engine] ${message}`)),
                onLog: (level, message) => {
                    // llama.cpp's loader warns about every optional special token a GGUF leaves unset; harmless, and many lines.
                    const harmless = /bad special token/.test(message);
                    const log = harmless ? output.debug : level === "error" ? output.error : level === "warn" ? output.warn : level === "debug" ? output.debug : output.info;
                    log.call(output, `[engine] ${message}`);
                }
            });
            engine.onDidCrash((crash) => {
                output.error(`[engine] the engine process stopped unexpectedly (exit code ${crash.exitCode ?? "none"}, signal ${crash.signal ?? "none"}). The next request restarts it and reloads the model.`);
                if (crash.stderrTail.trim() !== "")
                    output.error(`[engine] last output:\n${crash.stderrTail}`);
                this._setModelInfo(null);
                this._onDidCrashEngine.fire(crash);
            });
            this._engine = engine;
        }
        return this._engine;
    }

    public getTrainer(): TrainerClient {
        this._throwIfDisposed();
        this._trainer ??= new TrainerClient({
            binaryPath: this._options.trainerBinaryPath,
            onLog: (text) => this._options.output.info(`[trainer] ${text.trimEnd()}`),
            // The engine's backend, so that inference and training run on the one that was installed.
            env: () => getGpuBackendEnvironment(this._options.gpuBackend)
        });
        return this._trainer;
    }

    /**
     * The service that trains and answers, for the model currently selected. A new one is created
     * when the model or a setting it depends on changes. Throws `MODEL_NOT_SELECTED` when no model is
     * selected, and `MODEL_NOT_FOUND`/`MODEL_INVALID` when the file is gone or not a GGUF file.
     */
    public async getConpet(): Promise<Conpet> {
        this._throwIfDisposed();
        const settings = this.getSettings();
        if (settings.modelPath === "")
            throw new ConpetError("MODEL_NOT_SELECTED", "No model is selected. Pick a .gguf file with \"ConPET: Select Model…\".");
        await checkModelFile(settings.modelPath);
        const key = JSON.stringify(settings);
        if (this._conpet !== undefined && this._conpet.key !== key && this._currentConpet?.isTraining === true)
            // A settings change must not abort a running training: it applies to the next operation after it.
            return this._conpet.conpet;
        if (this._conpet?.key !== key) {
            const previous = this._conpet;
            const conpet = this._createConpet(settings);
            conpet.then((created) => {
                if (this._conpet?.conpet === conpet)
                    this._currentConpet = created;
            }, () => {
                if (this._conpet?.conpet === conpet)
                    this._conpet = undefined;
            });
            this._conpet = {key, conpet};
            previous?.conpet.then((old) => old.dispose(), () => undefined);
        }
        return this._conpet.conpet;
    }

    /** Asks the engine what it loaded, if it runs; never starts it. */
    public async refreshModelInfo(): Promise<ModelInfo | null> {
        if (this._engine === undefined)
            return this._modelInfo;
        try {
            this._setModelInfo(await this._engine.info({}));
        } catch (err) {
            this._options.output.warn(`[engine] info failed: ${String(err)}`);
        }
        return this._modelInfo;
    }

    public notifyDataChanged(): void {
        if (!this._disposed)
            this._onDidChangeData.fire();
    }

    public dispose(): void {
        if (this._disposed)
            return;
        this._disposed = true;
        this._conpet?.conpet.then((conpet) => conpet.dispose(), () => undefined);
        this._trainer?.dispose();
        this._engine?.dispose();
        this._store?.then((store) => store.dispose(), () => undefined);
        this._onDidChangeData.dispose();
        this._onDidChangeModelInfo.dispose();
        this._onDidCrashEngine.dispose();
    }

    private async _createConpet(settings: ExtensionSettings): Promise<Conpet> {
        const {modelPathSource: _modelPathSource, storageLocation: _storageLocation, ...conpetSettings} = settings;
        const store = await this.getStore();
        const conpet = await Conpet.create({
            onLog: (message) => this._options.output.info(`[core] ${message}`),
            store,
            engine: this.getEngine(),
            trainer: this.getTrainer(),
            // What another window or the CLI says while this window trains the shared store.
            ownerLabel: "VS Code window",
            settings: conpetSettings
        });
        // `create` loaded the model: the backend and memory are known now.
        await this.refreshModelInfo();
        return conpet;
    }

    private _setModelInfo(info: ModelInfo | null): void {
        this._modelInfo = info;
        this._onDidChangeModelInfo.fire(info);
    }

    private _throwIfDisposed(): void {
        if (this._disposed)
            throw new DisposedError("ConPET services");
    }
}

/** The store folder: `conpet.storageLocation` when set, else the extension's global storage. */
export function resolveStoreDirectory(settings: ExtensionSettings, globalStorage: vscode.Uri): string {
    if (settings.storageLocation !== "")
        return path.resolve(settings.storageLocation.replace(/^~(?=$|[\\/])/, process.env.HOME ?? "~"));
    return globalStorage.fsPath;
}

