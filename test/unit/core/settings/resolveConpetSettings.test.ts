import assert from "node:assert/strict";
import {describe, test} from "node:test";
import {defaultConpetSettings} from "../../../../src/core/settings/conpetSettingsSchema";
import {resolveConpetSettings} from "../../../../src/core/settings/resolveConpetSettings";
import {ConpetError} from "../../../../src/vocabulary/errors";

describe("resolveConpetSettings", () => {
    test("fills every default and keeps what is given", () => {
        const settings = resolveConpetSettings({modelPath: "/m.gguf", lora: {rank: 4}, topK: 3, learningRate: undefined});
        assert.deepEqual(settings, {...defaultConpetSettings, modelPath: "/m.gguf", lora: {...defaultConpetSettings.lora, rank: 4}, topK: 3});
        assert.equal(settings.learningRate, 5e-3, "the benchmarked learning rate");
    });

    test("copies lists, so neither the caller nor the defaults share them", () => {
        const targetModules = ["q", "v"];
        const settings = resolveConpetSettings({lora: {targetModules}});
        targetModules.push("k");
        assert.deepEqual(settings.lora.targetModules, ["q", "v"]);
        resolveConpetSettings().lora.targetModules.push("up");
        assert.deepEqual(resolveConpetSettings().lora.targetModules, ["q", "k", "v", "o"]);
    });

    test("accepts the benchmark's baseline modes", () => {
        assert.equal(resolveConpetSettings({mode: "sequential"}).mode, "sequential");
        assert.equal(resolveConpetSettings({mode: "joint"}).mode, "joint");
    });

    test("rejects values outside their range with INVALID_INPUT naming the setting and what it must be", () => {
        const cases: [Parameters<typeof resolveConpetSettings>[0], RegExp][] = [
            [{replayRatio: 0.95}, /replayRatio is 0\.95; it must be a number from 0 to 0\.9/],
            [{topK: 0}, /topK is 0; it must be an integer from 1 to 8/],
            [{lora: {rank: 0}}, /lora\.rank is 0; it must be an integer from 1 to 256/],
            [{lora: {alpha: 0}}, /lora\.alpha is 0; it must be a number above 0/],
            [{lora: {targetModules: ["qq"]}}, /lora\.targetModules .*a non-empty subset of q, k, v, o, gate, up, down/],
            [{lora: {targetModules: []}}, /lora\.targetModules/],
            [{mode: "other" as never}, /mode .*one of dynamic, static, sequential, joint/],
            [{stepsPerTask: 1.5}, /stepsPerTask is 1\.5; it must be an integer of at least 1/],
            [{trainingGpuLayers: -1}, /trainingGpuLayers .*auto, max or a number of layers/],
            [{gpuLayers: "most" as never}, /gpuLayers/],
            [{learningRate: 0}, /learningRate is 0; it must be a number above 0/],
            [{learningRate: Number.POSITIVE_INFINITY}, /learningRate/],
            [{labelScoring: "max" as never}, /labelScoring .*one of sum, mean/],
            [{mixAdapters: "yes" as never}, /mixAdapters .*true or false/],
            [{seed: -1}, /seed is -1; it must be an integer of at least 0/],
            [{maxInputChars: 8}, /maxInputChars is 8; it must be an integer of at least 16/]
        ];
        for (const [bad, message] of cases) {
            assert.throws(() => resolveConpetSettings(bad), (err) => {
                assert.ok(ConpetError.is(err, "INVALID_INPUT"), String(err));
                assert.match((err as Error).message, message);
                return true;
            });
        }
    });
});
