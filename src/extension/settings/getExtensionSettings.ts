import * as vscode from "vscode";
import {conpetSettingsSchema, extensionOnlySettingsSchema, type ConpetSettings} from "../../core/settings/conpetSettingsSchema";
import {copySettingDefault, isAllowedSettingValue, mapSettingsSchema, type SettingSpec} from "../../core/settings/settingSpec";
import {configSection, modelEnvVar} from "../constants";

/**
 * The settings the extension runs with: the core's (those VS Code does not show at their defaults),
 * the store folder, and where the model path came from.
 */
export type ExtensionSettings = Omit<ConpetSettings, "mode"> & {
    /** VS Code offers only these modes; the benchmark's baselines are the CLI's. */
    mode: (typeof conpetSettingsSchema.mode.values)[number];
    /** Where `modelPath` came from, so messages can say how to change it. */
    modelPathSource: "setting" | "environment" | "none";
    /** `conpet.storageLocation`, trimmed; `""` is the extension's global storage. */
    storageLocation: string;
};

/**
 * Reads the settings. VS Code does not enforce the JSON schema on values typed into
 * `settings.json`, so each value is checked against its spec in `conpetSettingsSchema` and an
 * invalid one falls back to its default (reported through `onInvalid`, so the user learns which
 * one was ignored). `CONPET_MODEL` is the model while `conpet.modelPath` is empty.
 */
export function getExtensionSettings(onInvalid?: (key: string, value: unknown) => void): ExtensionSettings {
    const config = vscode.workspace.getConfiguration(configSection);
    const read = (spec: SettingSpec): unknown => {
        if (spec.contributed === undefined)
            return copySettingDefault(spec);
        const value = normalise(spec, config.get<unknown>(spec.contributed.key));
        if (value === undefined || value === null)
            return copySettingDefault(spec);
        if (isAllowedSettingValue(spec, value))
            return value;
        onInvalid?.(`${configSection}.${spec.contributed.key}`, value);
        return copySettingDefault(spec);
    };
    // The reader accepts only the values VS Code offers, so `mode` is never a benchmark baseline.
    const settings = mapSettingsSchema(conpetSettingsSchema, read) as ConpetSettings & {mode: ExtensionSettings["mode"]};
    const {storageLocation} = mapSettingsSchema(extensionOnlySettingsSchema, read);
    const envPath = process.env[modelEnvVar]?.trim() ?? "";
    return {
        ...settings,
        modelPath: settings.modelPath !== "" ? settings.modelPath : envPath,
        modelPathSource: settings.modelPath !== "" ? "setting" : envPath !== "" ? "environment" : "none",
        storageLocation
    };
}

/**
 * What a hand-typed value means: the schema allows `"12"` as well as `12` layers (a string-or-integer
 * setting), a list's repeats are dropped, and paths lose surrounding blanks.
 */
function normalise(spec: SettingSpec, value: unknown): unknown {
    if (spec.kind === "gpuLayers" && typeof value === "string" && /^\d+$/.test(value))
        return Number(value);
    if (spec.kind === "subset" && Array.isArray(value))
        return [...new Set(value)];
    if (spec.kind === "string" && typeof value === "string")
        return value.trim();
    return value;
}
