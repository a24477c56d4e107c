/**
 * The models tests may use, by name. Only files on this allowlist load, and each is checked
 * against its sha256 once per run, so a test never silently runs on the wrong weights.
 */
import {createHash} from "node:crypto";
import {readFileSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

const modelsDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/models");

const allowedModels = {
    "stories260K.gguf": "270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d"
} as const satisfies Record<string, string>;

export type TestModelName = keyof typeof allowedModels;

const verified = new Set<TestModelName>();

export function getTestModelPath(name: TestModelName = "stories260K.gguf"): string {
    const modelPath = path.join(modelsDirectory, name);
    if (!verified.has(name)) {
        const digest = createHash("sha256").update(readFileSync(modelPath)).digest("hex");
        if (digest !== allowedModels[name])
            throw new Error(`Test model ${modelPath} has sha256 ${digest}, expected ${allowedModels[name]}`);
        verified.add(name);
    }
    return modelPath;
}

export const testDataDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/data");
