import * as vscode from "vscode";
import {isGpuLayersSetting, type GpuLayersSetting} from "../../vocabulary/engineProtocol";
import {configSection, modelEnvVar, settingKeys} from "../constants";
import {defaultExtensionSettings} from "./defaultExtensionSettings";

/** The extension's settings, read from `contributes.configuration` and checked. */
export type ExtensionSettings = {
    /** Absolute path of the base model, or `""` when none is selected. */
    modelPath: string;
    /** Where `modelPath` came from, so messages can say how to change it. */
    modelPathSource: "setting" | "environment" | "none";
    gpuLayers: GpuLayersSetting;
    trainingGpuLayers: GpuLayersSetting;
    threads: number;
    lora: {rank: number; alpha: number; targetModules: string[]};
    stepsPerTask: number;
    replayRatio: number;
    balancedReplay: boolean;
    maxSamplesPerTask: number;
    mode: "dynamic" | "static";
    topK: number;
    selectorKind: "embedding" | "lora";
    storageLocation: string;
};

const loraTargets = new Set(["q", "k", "v", "o", "gate", "up", "down"]);

/**
 * Reads the settings. VS Code does not enforce the JSON schema on values typed into
 * `settings.json`, so each value is checked here and an invalid one falls back to its default
 * (reported through `onInvalid`, so the user learns which one was ignored).
 */
export function getExtensionSettings(onInvalid?: (key: string, value: unknown) => void): ExtensionSettings {
    const config = vscode.workspace.getConfiguration(configSection);
    const read = <T>(key: string, fallback: T, isValid: (value: unknown) => value is T): T => {
        const value = config.get<unknown>(key);
        if (value === undefined || value === null)
            return fallback;
        if (isValid(value))
            return value;
        onInvalid?.(`${configSection}.${key}`, value);
        return fallback;
    };
    const isInt = (min: number, max = Number.MAX_SAFE_INTEGER) => (value: unknown): value is number =>
        typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
    const isNumber = (min: number, max: number) => (value: unknown): value is number =>
        typeof value === "number" && Number.isFinite(value) && value >= min && value <= max;
    const isString = (value: unknown): value is string => typeof value === "string";
    const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";
    const oneOf = <T extends string>(...allowed: T[]) => (value: unknown): value is T =>
        typeof value === "string" && (allowed as string[]).includes(value);
    const isGpuLayers = (value: unknown): value is GpuLayersSetting | `${number}` =>
        isGpuLayersSetting(value) || (typeof value === "string" && /^\d+$/.test(value));
    // The schema allows "12" as well as 12 (a string-or-integer setting), so a digit string is a number of layers.
    const readGpuLayers = (key: string, fallback: GpuLayersSetting): GpuLayersSetting => {
        const value = read<GpuLayersSetting | `${number}`>(key, fallback, isGpuLayers);
        return value === "auto" || value === "max" || typeof value === "number" ? value : Number(value);
    };
    const isTargets = (value: unknown): value is string[] =>
        Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === "string" && loraTargets.has(item));

    const settingPath = read(settingKeys.modelPath, defaultExtensionSettings.modelPath, isString).trim();
    const envPath = process.env[modelEnvVar]?.trim() ?? "";

    return {
        modelPath: settingPath !== "" ? settingPath : envPath,
        modelPathSource: settingPath !== "" ? "setting" : envPath !== "" ? "environment" : "none",
        gpuLayers: readGpuLayers(settingKeys.gpuLayers, defaultExtensionSettings.gpuLayers),
        trainingGpuLayers: readGpuLayers(settingKeys.trainingGpuLayers, defaultExtensionSettings.trainingGpuLayers),
        threads: read(settingKeys.threads, defaultExtensionSettings.threads, isInt(0, 1024)),
        lora: {
            rank: read(settingKeys.loraRank, defaultExtensionSettings.lora.rank, isInt(1, 256)),
            alpha: read(settingKeys.loraAlpha, defaultExtensionSettings.lora.alpha, isNumber(Number.MIN_VALUE, 1e6)),
            targetModules: [...new Set(read(settingKeys.loraTargetModules, defaultExtensionSettings.lora.targetModules, isTargets))]
        },
        stepsPerTask: read(settingKeys.stepsPerTask, defaultExtensionSettings.stepsPerTask, isInt(1)),
        replayRatio: read(settingKeys.replayRatio, defaultExtensionSettings.replayRatio, isNumber(0, 0.9)),
        balancedReplay: read(settingKeys.balancedReplay, defaultExtensionSettings.balancedReplay, isBoolean),
        maxSamplesPerTask: read(settingKeys.maxSamplesPerTask, defaultExtensionSettings.maxSamplesPerTask, isInt(10)),
        mode: read(settingKeys.mode, defaultExtensionSettings.mode, oneOf("dynamic", "static")),
        topK: read(settingKeys.topK, defaultExtensionSettings.topK, isInt(1, 8)),
        selectorKind: read(settingKeys.selectorKind, defaultExtensionSettings.selectorKind, oneOf("embedding", "lora")),
        storageLocation: read(settingKeys.storageLocation, defaultExtensionSettings.storageLocation, isString).trim()
    };
}
