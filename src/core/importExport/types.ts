export type ImportExamplesOptions = {
    /**
     * Suite folder: import only the task of this name. JSONL file: the task of lines that have no
     * `task` field. Defaults to `undefined` (every task of the suite; lines must name their task).
     */
    task?: string;
    /** Most train samples kept per task (reservoir sampling beyond it). Defaults to `undefined` (no cap). */
    cap?: number;
    /** Seed of the reservoir. Defaults to a random seed. */
    seed?: number;
    /** Aborting before the data is written cancels the import. Defaults to none. */
    signal?: AbortSignal;
};

export type ImportedTask = {
    taskId: number;
    name: string;
    created: boolean;
    /** Samples read from the files, per split. */
    train: number;
    test: number;
    /** What the store did with them (see `AddSamplesResult`). */
    added: number;
    evicted: number;
    skipped: number;
    /** Samples the task already had, or repeated in the files: not stored again. */
    duplicates: number;
};

export type ImportResult = {
    source: string;
    format: "suite" | "jsonl";
    tasks: ImportedTask[];
};
