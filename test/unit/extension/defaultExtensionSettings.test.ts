import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {describe, test} from "node:test";
import {configSection, settingKeys} from "../../../src/extension/constants";
import {defaultExtensionSettings} from "../../../src/extension/settings/defaultExtensionSettings";

type SettingSchema = {default?: unknown; type?: string | string[]; enum?: unknown[]; minimum?: number; maximum?: number};

const packageJson = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
    contributes: {configuration: {properties: Record<string, SettingSchema>}};
};
const properties = packageJson.contributes.configuration.properties;

/** The extension's default for each key of `settingKeys`; typed so that a new key without a default does not compile. */
const defaults = defaultExtensionSettings;
const defaultBySettingKey: Record<keyof typeof settingKeys, unknown> = {
    modelPath: defaults.modelPath,
    gpuLayers: defaults.gpuLayers,
    trainingGpuLayers: defaults.trainingGpuLayers,
    threads: defaults.threads,
    loraRank: defaults.lora.rank,
    loraAlpha: defaults.lora.alpha,
    loraTargetModules: defaults.lora.targetModules,
    stepsPerTask: defaults.stepsPerTask,
    replayRatio: defaults.replayRatio,
    balancedReplay: defaults.balancedReplay,
    maxSamplesPerTask: defaults.maxSamplesPerTask,
    mode: defaults.mode,
    topK: defaults.topK,
    selectorKind: defaults.selectorKind,
    storageLocation: defaults.storageLocation
};

const settingNames = new Map(Object.entries(settingKeys).map(([name, key]) => [`${configSection}.${key}`, name as keyof typeof settingKeys]));

describe("defaultExtensionSettings", () => {
    test("every setting in package.json has a key in settingKeys and the same default", () => {
        for (const [setting, schema] of Object.entries(properties)) {
            const name = settingNames.get(setting);
            assert.ok(name !== undefined, `${setting} is contributed in package.json but has no entry in settingKeys (src/extension/constants.ts)`);
            assert.ok("default" in schema, `${setting} has no default in package.json`);
            assert.deepEqual(defaultBySettingKey[name], schema.default, `${setting}: defaultExtensionSettings and package.json disagree`);
        }
    });

    test("every key in settingKeys is contributed in package.json", () => {
        for (const setting of settingNames.keys())
            assert.ok(setting in properties, `settingKeys names ${setting}, which package.json does not contribute`);
    });

    test("every default is allowed by its own schema (type, enum, minimum, maximum)", () => {
        for (const [setting, schema] of Object.entries(properties)) {
            const value = schema.default;
            const types = schema.type === undefined ? [] : [schema.type].flat();
            const typeOf = Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
            assert.ok(types.includes(typeOf) || (typeOf === "integer" && types.includes("number")), `${setting}: default ${JSON.stringify(value)} is not of type ${types.join(" | ")}`);
            if (schema.enum !== undefined)
                assert.ok(schema.enum.includes(value), `${setting}: default ${JSON.stringify(value)} is not one of its enum`);
            if (typeof value === "number") {
                assert.ok(schema.minimum === undefined || value >= schema.minimum, `${setting}: default ${value} is below its minimum ${schema.minimum}`);
                assert.ok(schema.maximum === undefined || value <= schema.maximum, `${setting}: default ${value} is above its maximum ${schema.maximum}`);
            }
        }
    });
});
