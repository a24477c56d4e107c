/**
 * Every failure a caller can act on has a code here. Errors cross the engine RPC and the
 * trainer's JSON lines as `{code, message, data?}` (classes don't survive the trip); the
 * receiving side maps the code back to a class with `errorFromPayload`.
 */
export type ErrorCode =
    | "MODEL_NOT_FOUND"
    | "MODEL_INVALID"
    | "MODEL_UNSUPPORTED"
    | "MODEL_NOT_SELECTED"
    | "ENGINE_CRASHED"
    | "ENGINE_TIMEOUT"
    | "TRAINER_CRASHED"
    | "TRAINER_NOT_BUILT"
    | "CANCELLED"
    | "OUT_OF_MEMORY"
    | "DISK_FULL"
    | "NOT_WRITABLE"
    | "STORE_INVALID"
    | "INVALID_INPUT"
    | "EMPTY_DATA"
    | "SAMPLE_TOO_LONG"
    | "TASK_NOT_FOUND"
    | "TASK_EXISTS"
    | "NOT_TRAINED"
    | "MODULE_MISSING"
    | "ADAPTER_INVALID"
    | "ADAPTER_MISMATCH"
    | "TRAINING_BUSY"
    | "DOWNLOAD_FAILED"
    | "INTEGRITY_MISMATCH"
    | "GPU_BACKEND_UNAVAILABLE"
    | "DISPOSED"
    | "INTERNAL";

export type ErrorPayload = {
    code: ErrorCode;
    message: string;
    data?: Record<string, unknown>;
};

export class ConpetError extends Error {
    public readonly code: ErrorCode;
    public readonly data?: Record<string, unknown>;

    public constructor(code: ErrorCode, message: string, options?: {data?: Record<string, unknown>; cause?: unknown}) {
        super(message, options?.cause === undefined ? undefined : {cause: options.cause});
        this.name = new.target.name;
        this.code = code;
        if (options?.data !== undefined)
            this.data = options.data;
    }

    public static is(err: unknown, code?: ErrorCode): err is ConpetError {
        return err instanceof ConpetError && (code === undefined || err.code === code);
    }

    public toPayload(): ErrorPayload {
        return this.data === undefined
            ? {code: this.code, message: this.message}
            : {code: this.code, message: this.message, data: this.data};
    }
}

export class ModelNotFoundError extends ConpetError {
    public constructor(public readonly modelPath: string) {
        super("MODEL_NOT_FOUND", `Model file not found: ${modelPath}. Pick an existing .gguf file with "ConPET: Select Model…".`, {data: {modelPath}});
    }
}

export class InvalidInputError extends ConpetError {
    public constructor(message: string, data?: Record<string, unknown>) {
        super("INVALID_INPUT", message, data === undefined ? undefined : {data});
    }
}

export class CancelledError extends ConpetError {
    public constructor(message = "The operation was cancelled.") {
        super("CANCELLED", message);
    }
}

export class DisposedError extends ConpetError {
    public constructor(what = "Object") {
        super("DISPOSED", `${what} is disposed.`);
    }
}

export class TaskNotFoundError extends ConpetError {
    public constructor(public readonly task: string | number) {
        super("TASK_NOT_FOUND", `No task named ${JSON.stringify(String(task))}. Create it first or check the name.`, {data: {task}});
    }
}

const errorCodes: ReadonlySet<string> = new Set<ErrorCode>([
    "MODEL_NOT_FOUND", "MODEL_INVALID", "MODEL_UNSUPPORTED", "MODEL_NOT_SELECTED",
    "ENGINE_CRASHED", "ENGINE_TIMEOUT", "TRAINER_CRASHED", "TRAINER_NOT_BUILT", "CANCELLED", "OUT_OF_MEMORY",
    "DISK_FULL", "NOT_WRITABLE", "STORE_INVALID", "INVALID_INPUT", "EMPTY_DATA", "SAMPLE_TOO_LONG", "TASK_NOT_FOUND", "TASK_EXISTS",
    "NOT_TRAINED", "MODULE_MISSING", "ADAPTER_INVALID", "ADAPTER_MISMATCH", "TRAINING_BUSY", "DOWNLOAD_FAILED", "INTEGRITY_MISMATCH",
    "GPU_BACKEND_UNAVAILABLE", "DISPOSED", "INTERNAL"
]);

export function isErrorCode(value: unknown): value is ErrorCode {
    return typeof value === "string" && errorCodes.has(value);
}

/** Turns a payload that crossed a process boundary back into an error; unknown codes become `INTERNAL`. */
export function errorFromPayload(payload: unknown): ConpetError {
    if (typeof payload === "object" && payload !== null) {
        const {code, message, data} = payload as Partial<ErrorPayload>;
        const text = typeof message === "string" ? message : "Unknown error";
        const extra = typeof data === "object" && data !== null ? {data} : undefined;
        if (code === "CANCELLED")
            return new CancelledError(text);
        return new ConpetError(isErrorCode(code) ? code : "INTERNAL", text, extra);
    }
    return new ConpetError("INTERNAL", String(payload));
}

/** Wraps anything thrown into a payload that can cross a process boundary. */
export function errorToPayload(err: unknown): ErrorPayload {
    if (err instanceof ConpetError)
        return err.toPayload();
    if (err instanceof Error)
        return {code: "INTERNAL", message: err.message};
    return {code: "INTERNAL", message: String(err)};
}

/** A module's file was deleted or damaged outside ConPET; training the task again replaces it. */
export class ModuleMissingError extends ConpetError {
    /** `tasks`: the tasks whose modules are affected; empty for the selector. */
    public constructor(public readonly tasks: readonly string[], public readonly reason: "missing" | "damaged") {
        const subject = tasks.length === 0 ? "the selector" : `${tasks.length === 1 ? "task" : "tasks"} ${tasks.map((name) => JSON.stringify(name)).join(", ")}`;
        super(
            "MODULE_MISSING",
            `The module file of ${subject} is ${reason === "missing" ? "missing (deleted)" : "damaged"}. Run "ConPET: Train" (conpet train) to learn it again.`,
            {data: {tasks, reason}}
        );
    }
}
