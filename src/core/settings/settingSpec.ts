/**
 * How one setting is declared: the kind of value it takes, its limits and its default, and for the
 * settings the extension contributes, its key and scope in package.json. `conpetSettingsSchema`
 * declares every setting this way; `test/unit/core/settings/conpetSettingsSchema.test.ts` checks
 * package.json's `contributes.configuration` against it.
 */
import {isGpuLayersSetting, type GpuLayersSetting} from "../../vocabulary/engineProtocol";

/** Where a setting appears in VS Code: `conpet.<key>` under `contributes.configuration`. */
type SettingContribution = {
    readonly key: string;
    /** VS Code's scope. Defaults to `window` (VS Code's own default). */
    readonly scope?: "machine" | "machine-overridable";
    /** VS Code ignores a workspace's value in Restricted Mode (for settings that name a file ConPET loads). */
    readonly restricted?: true;
};

type SpecBase = {readonly contributed?: SettingContribution};

export type SettingSpec = SpecBase & (
    /** `pattern` guides the Settings editor only: a file is checked when it is opened, with a specific error (`MODEL_INVALID`). */
    | {readonly kind: "string"; readonly default: string; readonly pattern?: string}
    | {readonly kind: "boolean"; readonly default: boolean}
    | {readonly kind: "integer"; readonly default: number; readonly minimum: number; readonly maximum?: number}
    | {readonly kind: "number"; readonly default: number; readonly minimum?: number; readonly exclusiveMinimum?: number; readonly maximum?: number}
    /** `benchmarkValues` are accepted from the CLI's benchmark and the core's callers, never from VS Code's settings. */
    | {readonly kind: "enum"; readonly default: string; readonly values: readonly string[]; readonly benchmarkValues?: readonly string[]}
    /** `auto`, `max` or a number of layers. */
    | {readonly kind: "gpuLayers"; readonly default: GpuLayersSetting}
    /** A non-empty list drawn from `values`. */
    | {readonly kind: "subset"; readonly default: readonly string[]; readonly values: readonly string[]}
);

/** Settings and groups of settings (`lora`), by name. */
export type SettingsSchema = {readonly [name: string]: SettingSpec | SettingsSchema};

/** The value a setting of this spec holds. */
type SettingValue<S extends SettingSpec> =
    S extends {kind: "string"} ? string
        : S extends {kind: "boolean"} ? boolean
            : S extends {kind: "integer" | "number"} ? number
                : S extends {kind: "gpuLayers"} ? GpuLayersSetting
                    : S extends {kind: "subset"} ? string[]
                        : S extends {kind: "enum"; values: readonly (infer V)[]} ? V | (S extends {benchmarkValues: readonly (infer B)[]} ? B : never)
                            : never;

/** The values of a schema's settings, in its shape. */
export type SettingValues<S> = {-readonly [K in keyof S]: S[K] extends SettingSpec ? SettingValue<S[K]> : SettingValues<S[K]>};

export type SettingCheckOptions = {
    /** Also accept the enums' `benchmarkValues` (the core does; VS Code's settings do not). Defaults to `false`. */
    acceptBenchmarkValues?: boolean;
};

function isSettingSpec(entry: SettingSpec | SettingsSchema): entry is SettingSpec {
    return typeof entry.kind === "string";
}

/** Builds the schema's values, one `pick(spec, path)` per setting (`path` is e.g. `["lora", "rank"]`). */
export function mapSettingsSchema<S extends SettingsSchema>(schema: S, pick: (spec: SettingSpec, path: readonly string[]) => unknown, path: readonly string[] = []): SettingValues<S> {
    return Object.fromEntries(Object.entries(schema).map(([name, entry]) => [
        name,
        isSettingSpec(entry) ? pick(entry, [...path, name]) : mapSettingsSchema(entry, pick, [...path, name])
    ])) as SettingValues<S>;
}

/** Every setting of the schema with its path, in declaration order. */
export function listSettings(schema: SettingsSchema, path: readonly string[] = []): {path: readonly string[]; spec: SettingSpec}[] {
    return Object.entries(schema).flatMap(([name, entry]) => isSettingSpec(entry) ? [{path: [...path, name], spec: entry}] : listSettings(entry, [...path, name]));
}

/** A copy of the default, so no caller can change the schema's own list. */
export function copySettingDefault(spec: SettingSpec): unknown {
    return Array.isArray(spec.default) ? [...spec.default] : spec.default;
}

export function isAllowedSettingValue(spec: SettingSpec, value: unknown, {acceptBenchmarkValues = false}: SettingCheckOptions = {}): boolean {
    switch (spec.kind) {
        case "string":
            return typeof value === "string";
        case "boolean":
            return typeof value === "boolean";
        case "integer":
            return Number.isSafeInteger(value) && isInRange(value as number, spec.minimum, undefined, spec.maximum);
        case "number":
            return typeof value === "number" && Number.isFinite(value) && isInRange(value, spec.minimum, spec.exclusiveMinimum, spec.maximum);
        case "enum":
            return typeof value === "string" && getEnumValues(spec, acceptBenchmarkValues).includes(value);
        case "gpuLayers":
            return isGpuLayersSetting(value);
        case "subset":
            return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string" && spec.values.includes(item));
    }
}

/** What `isAllowedSettingValue` accepts, in words for an error message ("an integer from 1 to 256"). */
export function describeAllowedSettingValues(spec: SettingSpec, {acceptBenchmarkValues = false}: SettingCheckOptions = {}): string {
    switch (spec.kind) {
        case "string":
            return "a string";
        case "boolean":
            return "true or false";
        case "integer":
            return spec.maximum === undefined ? `an integer of at least ${spec.minimum}` : `an integer from ${spec.minimum} to ${spec.maximum}`;
        case "number":
            return describeNumberRange(spec);
        case "enum":
            return `one of ${getEnumValues(spec, acceptBenchmarkValues).join(", ")}`;
        case "gpuLayers":
            return "auto, max or a number of layers";
        case "subset":
            return `a non-empty subset of ${spec.values.join(", ")}`;
    }
}

function getEnumValues(spec: Extract<SettingSpec, {kind: "enum"}>, acceptBenchmarkValues: boolean): readonly string[] {
    return acceptBenchmarkValues ? [...spec.values, ...spec.benchmarkValues ?? []] : spec.values;
}

function isInRange(value: number, minimum: number | undefined, exclusiveMinimum: number | undefined, maximum: number | undefined): boolean {
    return (minimum === undefined || value >= minimum) && (exclusiveMinimum === undefined || value > exclusiveMinimum) && (maximum === undefined || value <= maximum);
}

function describeNumberRange({minimum, exclusiveMinimum, maximum}: Extract<SettingSpec, {kind: "number"}>): string {
    if (minimum !== undefined && maximum !== undefined && exclusiveMinimum === undefined)
        return `a number from ${minimum} to ${maximum}`;
    const bounds = [
        ...minimum === undefined ? [] : [`of at least ${minimum}`],
        ...exclusiveMinimum === undefined ? [] : [`above ${exclusiveMinimum}`],
        ...maximum === undefined ? [] : [`of at most ${maximum}`]
    ];
    return ["a number", ...bounds].join(" ");
}
