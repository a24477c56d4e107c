/**
 * Everything ConPET keeps on disk: an SQLite file (`conpet.db`) with tasks, samples, modules,
 * training runs and evaluations, and the adapter files beside it in `adapters/`. Every multi-row
 * change is one transaction; see docs/ARCHITECTURE.md ("Store API").
 */
import {createHash} from "node:crypto";
import {randomUUID} from "node:crypto";
import {mkdir, open as openFile, rename, stat} from "node:fs/promises";
import path from "node:path";
import {hasGgufMagic} from "../vocabulary/gguf";
import {ConpetError, DisposedError, InvalidInputError, TaskNotFoundError} from "../vocabulary/errors";
import {EventListeners} from "../vocabulary/EventListeners";
import type {
    AddSamplesResult, Evaluation, ImportBatch, ImportBatchResult, LossPoint, ModuleKind, ModuleRecord, NewSample, NewTask, Sample, Task, TaskPatch, TrainingRun
} from "../vocabulary/types";
import {removeFilesQuietly, removeStaleTempFiles, stageAdapterFile, unstageAdapterFile} from "./adapterFiles";
import {TaskExistsError, TrainingBusyError} from "./errors";
import {insertSamples} from "./insertSamples";
import {isProcessAlive} from "./isProcessAlive";
import {mapStoreError} from "./mapStoreError";
import {applyMigrations} from "./migrations";
import {toEvaluation, toModule, toRun, toSample, toTask} from "./rows";
import {deleteLease, isLeaseLive, readLease, renewLease, writeLease, type TrainingLease} from "./trainingLease";
import type {EvaluationRow, ModuleRow, RunRow, SampleRow, TaskRow} from "./rows";
import {SqliteDatabase} from "./SqliteDatabase";
import type {SqlExecutor, SqlValue} from "./SqliteDatabase";
import type {
    AddSamplesOptions, CountSamplesOptions, FinishRunOptions, ListRunsOptions,
    ListSamplesOptions, NewEvaluation, RegisterModuleOptions, StartRunOptions, TaskSampleCounts
} from "./types";
import {validateNewTask} from "../vocabulary/validateTask";
import {createWorkFileName, removeDeadWorkFiles, workFolderName} from "./workFiles";

export type ConpetStoreOptions = {
    /** The store folder; created if missing. Holds `conpet.db` and `adapters/`. */
    directory: string;
    /** How long a write waits for another process holding the file (the extension and the CLI can share it). Defaults to `5000` ms. */
    busyTimeoutMs?: number;
    /** Caps the database at this many pages (SQLite's `max_page_count`), to exercise a full disk in tests. @internal */
    maxPageCount?: number;
};

export const databaseFileName = "conpet.db";
export const adaptersFolderName = "adapters";
export const defaultBusyTimeoutMs = 5000;
/**
 * A training lease whose heartbeat is older than this is taken over even if its pid runs (a reused
 * pid, a process stopped in a debugger). `Conpet.train` renews it every 5 s.
 */
export const defaultTrainingLeaseStaleMs = 60_000;

/** What a module's file looks like on disk: `damaged` when its size differs from the registered one or a GGUF lost its header. */
export type ModuleFileState = "present" | "missing" | "damaged";

export type {TrainingLease};

/** The samples hash of a module whose task changed in another way than its samples: no samples hash to this. */
const staleSamplesHash = "stale";

/** Another process may have the store open: a run it started is only failed once that process is gone. */
const crashedRunError = "The process running this training ended before it finished.";

export class ConpetStore {
    public readonly directory: string;
    public readonly databasePath: string;
    public readonly adaptersDirectory: string;
    /** Scratch files of trainings in progress (`tmp/`); what a killed process left is removed at the next open. */
    public readonly workDirectory: string;
    /** @internal */ private readonly _db: SqliteDatabase;
    /** @internal */ private _disposePromise: Promise<void> | undefined;
    /** @internal */ private readonly _disposeListeners = new EventListeners<void>((err) => console.error("ConpetStore: an onDispose listener threw", err));

    /** Fires once when the store is disposed; `dispose()` on the returned handle removes the listener. */
    public readonly onDispose = this._disposeListeners.event;

    private constructor(directory: string, db: SqliteDatabase) {
        this.directory = directory;
        this.databasePath = db.path;
        this.adaptersDirectory = path.join(directory, adaptersFolderName);
        this.workDirectory = path.join(directory, workFolderName);
        this._db = db;
    }

    /**
     * Opens (or creates) the store in `directory`: WAL, foreign keys, schema migrations; removes
     * adapter files a killed process left half-moved and the work files (`tmp/`) of processes that
     * ended, and fails runs whose process is gone.
     */
    public static async open({directory, busyTimeoutMs = defaultBusyTimeoutMs, maxPageCount}: ConpetStoreOptions): Promise<ConpetStore> {
        const resolved = path.resolve(directory);
        const adapters = path.join(resolved, adaptersFolderName);
        try {
            await mkdir(adapters, {recursive: true});
        } catch (err) {
            throw mapStoreError(err, adapters);
        }
        const db = await SqliteDatabase.open(path.join(resolved, databaseFileName));
        try {
            await db.read(async (sql) => {
                await sql.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
                // Opening is lazy: this first read of the header is what tells a non-SQLite file apart.
                await sql.get("PRAGMA schema_version");
                await sql.get("PRAGMA journal_mode = WAL");
                // NORMAL is durable across application crashes in WAL mode, and much faster than FULL.
                await sql.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
                if (maxPageCount !== undefined)
                    await sql.get(`PRAGMA max_page_count = ${Math.trunc(maxPageCount)}`);
            });
            await applyMigrations(db);
            const store = new ConpetStore(resolved, db);
            await removeStaleTempFiles(adapters).catch((err: unknown) => {
                throw mapStoreError(err, adapters);
            });
            await removeDeadWorkFiles(store.workDirectory).catch((err: unknown) => {
                throw mapStoreError(err, store.workDirectory);
            });
            await store._failOrphanedRuns();
            return store;
        } catch (err) {
            await db.close().catch(() => undefined);
            throw err;
        }
    }

    public get disposed(): boolean {
        return this._disposePromise !== undefined;
    }

    /** Closes the database once pending operations finish; later calls throw `DisposedError`. Idempotent. */
    public dispose(): Promise<void> {
        if (this._disposePromise === undefined) {
            this._disposePromise = this._db.close();
            this._disposeListeners.fire();
            this._disposeListeners.clear();
        }
        return this._disposePromise;
    }

    // ---- tasks -------------------------------------------------------------------------------

    /** Validates and creates a task; `TASK_EXISTS` if the name is taken. */
    public createTask(task: NewTask): Promise<Task> {
        return this._transaction((sql) => this._insertTask(sql, task));
    }

    /** A task by id or by name; throws `TaskNotFoundError`. */
    public async getTask(idOrName: number | string): Promise<Task> {
        const task = await this._read((sql) => this._findTask(sql, idOrName));
        if (task === undefined)
            throw new TaskNotFoundError(idOrName);
        return task;
    }

    public findTask(name: string): Promise<Task | undefined> {
        return this._read((sql) => this._findTask(sql, name));
    }

    /** Every task, in creation order. */
    public async listTasks(): Promise<Task[]> {
        const rows = await this._read((sql) => sql.all<TaskRow>("SELECT * FROM tasks ORDER BY id"));
        return rows.map(toTask);
    }

    public updateTask(id: number, patch: TaskPatch): Promise<Task> {
        return this._transaction(async (sql) => {
            const current = await this._requireTask(sql, id);
            const next = validateNewTask({...current, ...patch});
            const clash = await sql.get<{id: number}>("SELECT id FROM tasks WHERE name = ? AND id <> ?", [next.name, id]);
            if (clash !== undefined)
                throw new TaskExistsError(next.name);
            await sql.run(
                "UPDATE tasks SET name = ?, instruction = ?, kind = ?, labels = ?, updated_at = ? WHERE id = ?",
                [next.name, next.instruction, next.kind, JSON.stringify(next.labels), new Date().toISOString(), id]
            );
            return this._requireTask(sql, id);
        });
    }

    /** Deletes the task with its samples and modules, then the modules' adapter files. */
    public async deleteTask(id: number): Promise<void> {
        const files = await this._transaction(async (sql) => {
            await this._requireTask(sql, id);
            const modules = await sql.all<{file: string}>("SELECT file FROM modules WHERE task_id = ?", [id]);
            await sql.run("DELETE FROM tasks WHERE id = ?", [id]);
            return modules.map((module) => this._resolveFile(module.file));
        });
        await removeFilesQuietly(files);
    }

    // ---- samples -----------------------------------------------------------------------------

    /** Adds samples to a task in one transaction (all or none); see `AddSamplesOptions.cap`. */
    public addSamples(taskId: number, samples: readonly NewSample[], options: AddSamplesOptions = {}): Promise<AddSamplesResult> {
        return this._transaction(async (sql) => insertSamples(sql, await this._requireTask(sql, taskId), samples, options));
    }

    /**
     * Creates tasks and adds samples to new or existing ones, all in one transaction: an import
     * either lands whole or not at all.
     */
    public importBatches(batches: readonly ImportBatch[], options: AddSamplesOptions = {}): Promise<ImportBatchResult[]> {
        return this._transaction(async (sql) => {
            const results: ImportBatchResult[] = [];
            for (const batch of batches) {
                const task = batch.create ? await this._insertTask(sql, batch.task) : await this._findTask(sql, batch.task.name);
                if (task === undefined)
                    throw new TaskNotFoundError(batch.task.name);
                const added = await insertSamples(sql, task, batch.samples, options);
                results.push({taskId: task.id, name: task.name, created: batch.create, ...added});
            }
            return results;
        });
    }

    /** Samples of a task in insertion order. */
    public async listSamples(taskId: number, {split, limit, offset = 0}: ListSamplesOptions = {}): Promise<Sample[]> {
        const params: SqlValue[] = [taskId];
        let query = "SELECT * FROM samples WHERE task_id = ?";
        if (split !== undefined) {
            query += " AND split = ?";
            params.push(split);
        }
        query += " ORDER BY id LIMIT ? OFFSET ?";
        params.push(limit ?? -1, offset);
        const rows = await this._read((sql) => sql.all<SampleRow>(query, params));
        return rows.map(toSample);
    }

    public async countSamples({taskId, split, sourceKind, createdAfter}: CountSamplesOptions = {}): Promise<number> {
        const filters = ([["task_id = ?", taskId], ["split = ?", split], ["json_extract(source, '$.kind') = ?", sourceKind], ["created_at > ?", createdAfter]] as const)
            .filter(([, value]) => value !== undefined);
        const where = filters.length === 0 ? "" : ` WHERE ${filters.map(([condition]) => condition).join(" AND ")}`;
        const params: SqlValue[] = filters.map(([, value]) => value!);
        const row = await this._read((sql) => sql.get<{count: number}>(`SELECT count(*) AS count FROM samples${where}`, params));
        return row?.count ?? 0;
    }

    /** Train and test counts of every task (tasks without samples included), in one query. */
    public async countSamplesByTask(): Promise<TaskSampleCounts[]> {
        return this._read((sql) => sql.all<TaskSampleCounts>(
            `SELECT t.id AS taskId,
                (SELECT count(*) FROM samples s WHERE s.task_id = t.id AND s.split = 'train') AS train,
                (SELECT count(*) FROM samples s WHERE s.task_id = t.id AND s.split = 'test') AS test
             FROM tasks t ORDER BY t.id`
        ));
    }

    /** sha256 of the task's train samples (input and output, in order): a module trained on another hash is stale. */
    public async getSamplesHash(taskId: number): Promise<string> {
        const rows = await this._read((sql) => sql.all<{input: string; output: string}>(
            "SELECT input, output FROM samples WHERE task_id = ? AND split = 'train' ORDER BY id", [taskId]
        ));
        const hash = createHash("sha256");
        for (const row of rows)
            hash.update(JSON.stringify([row.input, row.output])).update("\n");
        return hash.digest("hex");
    }

    /** Deletes samples by id (ids that don't exist are ignored); returns how many were deleted. */
    public deleteSamples(ids: readonly number[]): Promise<number> {
        return this._transaction(async (sql) => {
            let deleted = 0;
            for (const id of ids)
                deleted += (await sql.run("DELETE FROM samples WHERE id = ?", [id])).changes;
            return deleted;
        });
    }

    /** A sample by id, or `undefined` when there is none. */
    public async getSample(id: number): Promise<Sample | undefined> {
        const row = await this._read((sql) => sql.get<SampleRow>("SELECT * FROM samples WHERE id = ?", [id]));
        return row === undefined ? undefined : toSample(row);
    }

    /**
     * Changes a sample's expected output (for classification, one of its task's labels); returns the
     * updated sample. A changed training sample changes the task's samples hash, so its module goes stale.
     */
    public updateSampleOutput(id: number, output: string): Promise<Sample> {
        return this._transaction(async (sql) => {
            const row = await sql.get<SampleRow>("SELECT * FROM samples WHERE id = ?", [id]);
            if (row === undefined)
                throw new InvalidInputError(`There is no sample ${id}; it may have been deleted.`);
            const task = await this._requireTask(sql, row.task_id);
            if (task.kind === "classify" && !task.labels.includes(output))
                throw new InvalidInputError(`${JSON.stringify(output)} is not a label of "${task.name}"; use one of: ${task.labels.join(", ")}.`);
            if (output.trim() === "")
                throw new InvalidInputError("The expected output is empty.");
            await sql.run("UPDATE samples SET output = ? WHERE id = ?", [output, id]);
            return toSample({...row, output});
        });
    }

    /**
     * Marks what was learned of a task as stale while its samples stay the same (its instruction changed,
     * so the prompt its module learned on is gone): the task's own module and its entry in a shared module
     * get a samples hash no samples have, so Train relearns the task. Returns how many modules changed.
     */
    public markTaskModulesStale(taskId: number): Promise<number> {
        return this._transaction(async (sql) => {
            await this._requireTask(sql, taskId);
            let changed = (await sql.run("UPDATE modules SET samples_hash = ? WHERE task_id = ? AND kind = 'task-lora'", [staleSamplesHash, taskId])).changes;
            for (const row of await sql.all<{id: number; samples_hash: string}>("SELECT id, samples_hash FROM modules WHERE kind = 'shared-lora'")) {
                const state = JSON.parse(row.samples_hash) as {tasks?: {id: number; hash: string}[]};
                const entry = state.tasks?.find((task) => task.id === taskId);
                if (entry === undefined)
                    continue;
                entry.hash = staleSamplesHash;
                changed += (await sql.run("UPDATE modules SET samples_hash = ? WHERE id = ?", [JSON.stringify(state), row.id])).changes;
            }
            return changed;
        });
    }

    // ---- modules -----------------------------------------------------------------------------

    /**
     * Moves a finished adapter into `adapters/` and registers it, replacing the module of the same
     * task and kind. The file gets its final name inside the inserting transaction, so a crash
     * never leaves a registered half-written file; if the insert fails, the source file is put back.
     */
    public async registerModule({sourceFile, trainedAt, ...record}: RegisterModuleOptions): Promise<ModuleRecord> {
        this._throwIfDisposed();
        const size = await stat(sourceFile).then((stats) => stats.size, (err: unknown) => {
            throw new InvalidInputError(`The adapter file ${sourceFile} cannot be read: ${(err as Error).message}`, {sourceFile});
        });
        // Named by id, not by the task's name: a valid name of multi-byte characters can exceed the file system's 255 bytes.
        const stem = record.taskId === null ? record.kind : `task-${record.taskId}.${record.kind}`;
        const uniquePart = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
        const fileName = `${stem}.${uniquePart}${path.extname(sourceFile) || ".gguf"}`;
        const relativeFile = `${adaptersFolderName}/${fileName}`;
        const finalPath = this._resolveFile(relativeFile);

        const staged = await stageAdapterFile(sourceFile, finalPath).catch((err: unknown) => {
            throw mapStoreError(err, this.adaptersDirectory);
        });
        let replacedFiles: string[];
        let module: ModuleRecord;
        try {
            [module, replacedFiles] = await this._transaction(async (sql) => {
                const sameSlot = "task_id IS ? AND kind = ? AND base_model_fingerprint = ?";
                const slot = [record.taskId, record.kind, record.baseModelFingerprint];
                const replaced = await sql.all<{file: string}>(`SELECT file FROM modules WHERE ${sameSlot}`, slot);
                await sql.run(`DELETE FROM modules WHERE ${sameSlot}`, slot);
                const {lastId} = await sql.run(
                    `INSERT INTO modules (task_id, kind, file, base_model_fingerprint, rank, alpha, target_modules,
                        trainable_parameters, size_bytes, metrics, samples_hash, trained_at)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
                    [record.taskId, record.kind, relativeFile, record.baseModelFingerprint, record.rank, record.alpha,
                        JSON.stringify(record.targetModules), record.trainableParameters, size, JSON.stringify(record.metrics),
                        record.samplesHash, trainedAt ?? new Date().toISOString()]
                );
                await rename(staged.tempPath, finalPath);
                const row = await sql.get<ModuleRow>("SELECT * FROM modules WHERE id = ?", [lastId]);
                return [toModule(row!), replaced.map((old) => this._resolveFile(old.file))] as const;
            });
        } catch (err) {
            await unstageAdapterFile(staged, finalPath);
            if (isForeignKeyError(err) && record.taskId !== null)
                throw new TaskNotFoundError(record.taskId);
            throw err;
        }
        await removeFilesQuietly(replacedFiles.filter((file) => file !== finalPath));
        if (!staged.moved)
            await removeFilesQuietly([sourceFile]);
        return module;
    }

    /**
     * Modules in task order, then shared modules and selectors; of every base model unless
     * `baseModelFingerprint` picks one (modules of several base models coexist).
     */
    public async listModules({baseModelFingerprint}: {baseModelFingerprint?: string} = {}): Promise<ModuleRecord[]> {
        const where = baseModelFingerprint === undefined ? "" : "WHERE base_model_fingerprint = ?";
        const rows = await this._read((sql) => sql.all<ModuleRow>(
            `SELECT * FROM modules ${where} ORDER BY task_id IS NULL, task_id, kind, id`, baseModelFingerprint === undefined ? [] : [baseModelFingerprint]
        ));
        return rows.map(toModule);
    }

    /**
     * The module of a task (or, with `taskId` null, the shared module or selector) of a kind, trained
     * on the base model `baseModelFingerprint`; without it, the newest of any base model.
     */
    public async getModule(taskId: number | null, kind: ModuleKind, baseModelFingerprint?: string): Promise<ModuleRecord | undefined> {
        const row = await this._read((sql) => baseModelFingerprint === undefined
            ? sql.get<ModuleRow>("SELECT * FROM modules WHERE task_id IS ? AND kind = ? ORDER BY id DESC", [taskId, kind])
            : sql.get<ModuleRow>("SELECT * FROM modules WHERE task_id IS ? AND kind = ? AND base_model_fingerprint = ?", [taskId, kind, baseModelFingerprint]));
        return row === undefined ? undefined : toModule(row);
    }

    /** Whether a module's file is still as it was registered (it may have been deleted or cut outside ConPET). */
    public async checkModuleFile(module: Pick<ModuleRecord, "file" | "sizeBytes">): Promise<ModuleFileState> {
        const filePath = this._resolveFile(module.file);
        let handle;
        try {
            handle = await openFile(filePath, "r");
        } catch (err) {
            return (err as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "damaged";
        }
        try {
            const {size, isFile} = await handle.stat().then((stats) => ({size: stats.size, isFile: stats.isFile()}));
            if (!isFile || size !== module.sizeBytes)
                return "damaged";
            if (!filePath.endsWith(".gguf"))
                return "present";
            return await hasGgufMagic(handle) ? "present" : "damaged";
        } finally {
            await handle.close();
        }
    }

    /** A fresh path in the work folder (`tmp/`, created if missing) named after this process, for a file that is registered or removed later. */
    public async createWorkFilePath(stem: string, extension: string): Promise<string> {
        await mkdir(this.workDirectory, {recursive: true}).catch((err: unknown) => {
            throw mapStoreError(err, this.workDirectory);
        });
        return path.join(this.workDirectory, createWorkFileName(stem, extension));
    }

    /** The absolute path of a module's file. */
    public resolveModulePath(module: Pick<ModuleRecord, "file">): string {
        return this._resolveFile(module.file);
    }

    // ---- training runs -----------------------------------------------------------------------

    public startRun({taskId = null, details = {}}: StartRunOptions = {}): Promise<TrainingRun> {
        return this._transaction(async (sql) => {
            const {lastId} = await sql.run(
                "INSERT INTO runs (task_id, status, pid, started_at, details) VALUES (?, 'running', ?, ?, ?)",
                [taskId, process.pid, new Date().toISOString(), JSON.stringify(details)]
            );
            return this._requireRun(sql, lastId);
        });
    }

    /** Appends points to a run's loss curve. */
    public appendLoss(runId: number, points: readonly LossPoint[]): Promise<void> {
        return this._transaction(async (sql) => {
            const run = await this._requireRun(sql, runId);
            await sql.run("UPDATE runs SET loss_curve = ? WHERE id = ?", [JSON.stringify([...run.lossCurve, ...points]), runId]);
        });
    }

    public finishRun(runId: number, {status, error = null, details = {}, moduleId = null}: FinishRunOptions): Promise<TrainingRun> {
        return this._transaction(async (sql) => {
            const run = await this._requireRun(sql, runId);
            await sql.run(
                "UPDATE runs SET status = ?, error = ?, details = ?, module_id = ?, finished_at = ? WHERE id = ?",
                [status, error, JSON.stringify({...run.details, ...details}), moduleId, new Date().toISOString(), runId]
            );
            return this._requireRun(sql, runId);
        });
    }

    /** Runs, newest first. */
    public async listRuns({limit = 50}: ListRunsOptions = {}): Promise<TrainingRun[]> {
        const rows = await this._read((sql) => sql.all<RunRow>("SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit]));
        return rows.map(toRun);
    }

    // ---- training lease ----------------------------------------------------------------------

    /**
     * Takes the store's training lease for this process, or throws `TRAINING_BUSY` while another
     * live process holds it. A lease whose owner ended, or stopped renewing it for `staleMs`, is
     * taken over. Renew it every `trainingLeaseHeartbeatMs` and release it when done.
     */
    public acquireTrainingLease({label, staleMs = defaultTrainingLeaseStaleMs}: {label: string; staleMs?: number}): Promise<TrainingLease> {
        return this._transaction(async (sql) => {
            const current = await readLease(sql);
            if (current !== undefined && isLeaseLive(current, staleMs))
                throw new TrainingBusyError(current.pid, current.label, current.progress);
            const now = new Date().toISOString();
            const lease = {token: randomUUID(), pid: process.pid, label, startedAt: now, heartbeatAt: now};
            await writeLease(sql, lease);
            return {...lease, progress: null};
        });
    }

    /** Renews the lease's heartbeat and records the owner's progress (shown by other windows); false if the lease was taken over. */
    public renewTrainingLease(token: string, progress?: unknown): Promise<boolean> {
        return this._transaction((sql) => renewLease(sql, token, progress));
    }

    /** Gives the lease up (a lease taken over since is left alone). Idempotent. */
    public releaseTrainingLease(token: string): Promise<void> {
        return this._transaction((sql) => deleteLease(sql, token));
    }

    /** The live lease of whoever trains the store now (another process, or this one), or undefined. */
    public async getTrainingLease({staleMs = defaultTrainingLeaseStaleMs}: {staleMs?: number} = {}): Promise<TrainingLease | undefined> {
        const lease = await this._read(readLease);
        return lease !== undefined && isLeaseLive(lease, staleMs) ? lease : undefined;
    }

    // ---- evaluations -------------------------------------------------------------------------

    public addEvaluation(evaluation: NewEvaluation): Promise<Evaluation> {
        return this._transaction(async (sql) => {
            const {lastId} = await sql.run(
                "INSERT INTO evaluations (created_at, mode, tasks, accuracy_matrix, selector_accuracy, details) VALUES (?, ?, ?, ?, ?, ?)",
                [new Date().toISOString(), evaluation.mode, JSON.stringify(evaluation.tasks), JSON.stringify(evaluation.accuracyMatrix),
                    evaluation.selectorAccuracy, JSON.stringify(evaluation.details)]
            );
            return toEvaluation((await sql.get<EvaluationRow>("SELECT * FROM evaluations WHERE id = ?", [lastId]))!);
        });
    }

    /** Evaluations, oldest first. */
    public async listEvaluations(): Promise<Evaluation[]> {
        const rows = await this._read((sql) => sql.all<EvaluationRow>("SELECT * FROM evaluations ORDER BY id"));
        return rows.map(toEvaluation);
    }

    // ---- internals ---------------------------------------------------------------------------

    /** @internal */
    private async _insertTask(sql: SqlExecutor, task: NewTask): Promise<Task> {
        const valid = validateNewTask(task);
        if (await sql.get("SELECT id FROM tasks WHERE name = ?", [valid.name]) !== undefined)
            throw new TaskExistsError(valid.name);
        const now = new Date().toISOString();
        const {lastId} = await sql.run(
            "INSERT INTO tasks (name, instruction, kind, labels, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            [valid.name, valid.instruction, valid.kind, JSON.stringify(valid.labels), now, now]
        );
        return this._requireTask(sql, lastId);
    }

    /** @internal */
    private async _findTask(sql: SqlExecutor, idOrName: number | string): Promise<Task | undefined> {
        const row = typeof idOrName === "number"
            ? await sql.get<TaskRow>("SELECT * FROM tasks WHERE id = ?", [idOrName])
            : await sql.get<TaskRow>("SELECT * FROM tasks WHERE name = ?", [idOrName.trim()]);
        return row === undefined ? undefined : toTask(row);
    }

    /** @internal */
    private async _requireTask(sql: SqlExecutor, id: number): Promise<Task> {
        const task = await this._findTask(sql, id);
        if (task === undefined)
            throw new TaskNotFoundError(id);
        return task;
    }

    /** @internal */
    private async _requireRun(sql: SqlExecutor, id: number): Promise<TrainingRun> {
        const row = await sql.get<RunRow>("SELECT * FROM runs WHERE id = ?", [id]);
        if (row === undefined)
            throw new InvalidInputError(`No training run with id ${id}.`, {runId: id});
        return toRun(row);
    }

    /** @internal */
    private async _failOrphanedRuns(): Promise<void> {
        const running = await this._db.read((sql) => sql.all<{id: number; pid: number}>("SELECT id, pid FROM runs WHERE status = 'running'"));
        const orphaned = running.filter((run) => !isProcessAlive(run.pid));
        if (orphaned.length === 0)
            return;
        await this._db.transaction(async (sql) => {
            const now = new Date().toISOString();
            for (const run of orphaned)
                await sql.run("UPDATE runs SET status = 'failed', error = ?, finished_at = ? WHERE id = ?", [crashedRunError, now, run.id]);
        });
    }

    /** @internal */
    private _resolveFile(relativeFile: string): string {
        return path.join(this.directory, ...relativeFile.split("/"));
    }

    /** @internal */
    private _read<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
        if (this.disposed)
            return Promise.reject(new DisposedError("ConpetStore"));
        return this._db.read(fn);
    }

    /** @internal */
    private _transaction<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
        if (this.disposed)
            return Promise.reject(new DisposedError("ConpetStore"));
        return this._db.transaction(fn);
    }

    /** @internal */
    private _throwIfDisposed(): void {
        if (this._disposePromise !== undefined)
            throw new DisposedError("ConpetStore");
    }
}

function isForeignKeyError(err: unknown): boolean {
    const cause = err instanceof ConpetError ? err.cause : err;
    return typeof cause === "object" && cause !== null && (cause as {code?: unknown}).code === "SQLITE_CONSTRAINT" &&
        /FOREIGN KEY/i.test(String((cause as {message?: unknown}).message));
}
