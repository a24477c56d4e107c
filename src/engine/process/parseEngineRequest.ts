/**
 * Validates a message that arrived over IPC before the engine acts on it: the engine must answer a
 * malformed request with an `INVALID_INPUT` error, never crash or hang on it. Pure (no
 * node-llama-cpp), so it is unit-tested without a model.
 */
import {errorToPayload, InvalidInputError, type ErrorPayload} from "../../vocabulary/errors";
import {isGpuLayersSetting, type AdapterRef, type EngineMethod, type EngineRequest, type GpuLayersSetting} from "../../vocabulary/engineProtocol";

export type ParsedEngineMessage =
    | {kind: "request"; request: EngineRequest}
    | {kind: "cancel"; id: number}
    /** `id` is set when the message carried a usable id, so the sender can still get its one reply. */
    | {kind: "invalid"; id?: number; error: ErrorPayload};

const engineMethods: ReadonlySet<string> = new Set<EngineMethod>(["load", "info", "generate", "score", "embed", "tokenize", "download", "detectGpus"]);

export function parseEngineRequest(message: unknown): ParsedEngineMessage {
    if (!isRecord(message))
        return invalid(undefined, "An engine message must be an object.");
    if ("cancel" in message) {
        if (!isRequestId(message.cancel))
            return invalid(undefined, "A cancel message needs the numeric id of the request to cancel.");
        return {kind: "cancel", id: message.cancel};
    }
    const id = isRequestId(message.id) ? message.id : undefined;
    if (id === undefined)
        return invalid(undefined, "An engine request needs a non-negative integer id.");
    if (typeof message.method !== "string" || !engineMethods.has(message.method))
        return invalid(id, `Unknown engine method ${JSON.stringify(message.method)}.`);
    const params = message.params ?? {};
    if (!isRecord(params))
        return invalid(id, `The params of "${message.method}" must be an object.`);
    try {
        return {kind: "request", request: {id, method: message.method, params: parseParams(message.method as EngineMethod, params)} as EngineRequest};
    } catch (err) {
        return {kind: "invalid", id, error: errorToPayload(err)};
    }
}

function parseParams(method: EngineMethod, params: Record<string, unknown>): EngineRequest["params"] {
    switch (method) {
        case "load":
            return {
                modelPath: requireString(params, "modelPath", {nonEmpty: true}),
                gpuLayers: parseGpuLayers(params.gpuLayers),
                threads: requireInteger(params, "threads", {min: 0, max: 1024}),
                ...optional("contextSize", optionalInteger(params, "contextSize", {min: 16, max: 1 << 20})),
                ...optional("sequences", optionalInteger(params, "sequences", {min: 1, max: 64}))
            };
        case "info":
        case "detectGpus":
            return {};
        case "generate":
            return {
                prompt: requireString(params, "prompt"),
                ...optional("adapters", parseAdapters(params.adapters)),
                ...optional("maxTokens", optionalInteger(params, "maxTokens", {min: 1, max: 1 << 20})),
                ...optional("temperature", optionalNumber(params, "temperature", {min: 0, max: 100})),
                ...optional("stopStrings", optionalStringArray(params, "stopStrings"))
            };
        case "score": {
            if (!Array.isArray(params.items))
                throw new InvalidInputError("score needs items: [{prompt, completions}].");
            const items = params.items.map((item: unknown, index) => {
                if (!isRecord(item) || typeof item.prompt !== "string" || !isStringArray(item.completions) || item.completions.length === 0)
                    throw new InvalidInputError(`score item ${index} must be {prompt: string, completions: non-empty string[]}.`, {index});
                return {prompt: item.prompt, completions: item.completions};
            });
            return {items, ...optional("adapters", parseAdapters(params.adapters))};
        }
        case "embed":
            if (!isStringArray(params.texts))
                throw new InvalidInputError("embed needs texts: string[].");
            return {texts: params.texts};
        case "tokenize":
            if (typeof params.addBos !== "boolean")
                throw new InvalidInputError("tokenize needs addBos: boolean.");
            return {text: requireString(params, "text"), addBos: params.addBos};
        case "download":
            return {uri: requireString(params, "uri", {nonEmpty: true}), directory: requireString(params, "directory", {nonEmpty: true})};
    }
}

function parseGpuLayers(value: unknown): GpuLayersSetting {
    if (value === undefined)
        return "auto";
    if (isGpuLayersSetting(value))
        return value;
    throw new InvalidInputError(`gpuLayers must be "auto", "max" or a non-negative integer, got ${JSON.stringify(value)}.`);
}

function parseAdapters(value: unknown): AdapterRef[] | undefined {
    if (value === undefined)
        return undefined;
    if (!Array.isArray(value))
        throw new InvalidInputError("adapters must be an array of {filePath, scale?}.");
    return value.map((adapter: unknown, index) => {
        if (!isRecord(adapter) || typeof adapter.filePath !== "string" || adapter.filePath === "")
            throw new InvalidInputError(`adapters[${index}] needs a filePath.`, {index});
        if (adapter.scale !== undefined && (typeof adapter.scale !== "number" || !Number.isFinite(adapter.scale)))
            throw new InvalidInputError(`adapters[${index}].scale must be a finite number.`, {index});
        return adapter.scale === undefined ? {filePath: adapter.filePath} : {filePath: adapter.filePath, scale: adapter.scale};
    });
}

function requireString(params: Record<string, unknown>, key: string, {nonEmpty = false} = {}): string {
    const value = params[key];
    if (typeof value !== "string" || (nonEmpty && value === ""))
        throw new InvalidInputError(`${key} must be a${nonEmpty ? " non-empty" : ""} string.`);
    return value;
}

function requireInteger(params: Record<string, unknown>, key: string, range: {min: number; max: number}): number {
    const value = optionalInteger(params, key, range);
    if (value === undefined)
        throw new InvalidInputError(`${key} is required.`);
    return value;
}

function optionalInteger(params: Record<string, unknown>, key: string, range: {min: number; max: number}): number | undefined {
    return optionalNumber(params, key, {...range, integer: true});
}

function optionalNumber(params: Record<string, unknown>, key: string, {min, max, integer = false}: {min: number; max: number; integer?: boolean}): number | undefined {
    const value = params[key];
    if (value === undefined)
        return undefined;
    if (typeof value !== "number" || !(integer ? Number.isSafeInteger(value) : Number.isFinite(value)) || value < min || value > max)
        throw new InvalidInputError(`${key} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}, got ${JSON.stringify(value)}.`);
    return value;
}

function optionalStringArray(params: Record<string, unknown>, key: string): string[] | undefined {
    const value = params[key];
    if (value === undefined)
        return undefined;
    if (!isStringArray(value))
        throw new InvalidInputError(`${key} must be an array of strings.`);
    return value;
}

/** Spreads `{[key]: value}` only when the value is set, so optional fields stay absent. */
function optional<K extends string, V>(key: K, value: V | undefined): {[P in K]?: V} {
    return (value === undefined ? {} : {[key]: value}) as {[P in K]?: V};
}

function invalid(id: number | undefined, message: string): ParsedEngineMessage {
    const error = new InvalidInputError(message).toPayload();
    return id === undefined ? {kind: "invalid", error} : {kind: "invalid", id, error};
}

function isRequestId(value: unknown): value is number {
    return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
    return Array.isArray(value) && value.every((item) => typeof item === "string");
}
