import type {CliOptionValues} from "../CliCommand";
import {UsageError} from "../UsageError";

/** The value of a string option, or `undefined` when it was not given. */
export function getStringOption(values: CliOptionValues, name: string): string | undefined {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
}

/** The values of a repeatable string option (`--label a --label b`). */
export function getStringListOption(values: CliOptionValues, name: string): string[] {
    const value = values[name];
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** A whole-number option within `[min, max]`; `UsageError` otherwise. */
export function getIntegerOption(values: CliOptionValues, name: string, {min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER} = {}): number | undefined {
    const text = getStringOption(values, name);
    if (text === undefined)
        return undefined;
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || value < min || value > max)
        throw new UsageError(`--${name} must be a whole number${min > Number.MIN_SAFE_INTEGER ? ` of at least ${min}` : ""}, not ${JSON.stringify(text)}.`);
    return value;
}

/** Exactly `count` positional arguments, named for the message. */
export function getPositionals(positionals: readonly string[], names: readonly string[]): string[] {
    if (positionals.length < names.length)
        throw new UsageError(`Missing ${names.slice(positionals.length).map((name) => `<${name}>`).join(" ")}.`);
    if (positionals.length > names.length)
        throw new UsageError(`Unexpected argument ${JSON.stringify(positionals[names.length])}.`);
    return [...positionals];
}

/** The value of an option the command cannot run without; `UsageError` ("Missing --out DIR.") otherwise. */
export function getRequiredStringOption(values: CliOptionValues, name: string, valueName = "VALUE"): string {
    const value = getStringOption(values, name);
    if (value === undefined || value === "")
        throw new UsageError(`Missing --${name} ${valueName}.`);
    return value;
}
