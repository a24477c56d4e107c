import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {describe, test} from "node:test";
import {
    defaultBalancedReplay, defaultGpuLayers, defaultLoraAlpha, defaultLoraRank, defaultLoraTargetModules, defaultMaxSamplesPerTask, defaultMode, defaultReplayRatio, defaultSelectorKind,
    defaultStepsPerTask, defaultThreads, defaultTopK, defaultTrainingGpuLayers, resolveConpetSettings
} from "../../../src/core/Conpet/resolveConpetSettings";
import {ConpetError} from "../../../src/vocabulary/errors";

describe("resolveConpetSettings", () => {
    test("the defaults match package.json's contributes.configuration", () => {
        const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
            contributes: {configuration: {properties: Record<string, {default: unknown}>}};
        };
        const props = pkg.contributes.configuration.properties;
        assert.equal(props["conpet.gpuLayers"]!.default, defaultGpuLayers);
        assert.equal(props["conpet.training.gpuLayers"]!.default, defaultTrainingGpuLayers);
        assert.equal(props["conpet.threads"]!.default, defaultThreads);
        assert.equal(props["conpet.lora.rank"]!.default, defaultLoraRank);
        assert.equal(props["conpet.lora.alpha"]!.default, defaultLoraAlpha);
        assert.deepEqual(props["conpet.lora.targetModules"]!.default, defaultLoraTargetModules);
        assert.equal(props["conpet.training.stepsPerTask"]!.default, defaultStepsPerTask);
        assert.equal(props["conpet.training.replayRatio"]!.default, defaultReplayRatio);
        assert.equal(props["conpet.training.balancedReplay"]!.default, defaultBalancedReplay);
        assert.equal(props["conpet.training.maxSamplesPerTask"]!.default, defaultMaxSamplesPerTask);
        assert.equal(props["conpet.mode"]!.default, defaultMode);
        assert.equal(props["conpet.routing.topK"]!.default, defaultTopK);
        assert.equal(props["conpet.selector.kind"]!.default, defaultSelectorKind);
    });

    test("fills every default and keeps what is given", () => {
        const settings = resolveConpetSettings({modelPath: "/m.gguf", lora: {rank: 4}, topK: 2});
        assert.equal(settings.modelPath, "/m.gguf");
        assert.deepEqual(settings.lora, {rank: 4, alpha: defaultLoraAlpha, targetModules: [...defaultLoraTargetModules]});
        assert.equal(settings.topK, 2);
        assert.equal(settings.mode, "dynamic");
    });

    test("rejects values outside their range with INVALID_INPUT naming the setting", () => {
        for (const bad of [{replayRatio: 0.95}, {topK: 0}, {lora: {rank: 0}}, {lora: {targetModules: ["qq"]}}, {mode: "other" as never}, {stepsPerTask: 1.5}, {trainingGpuLayers: -1}, {gpuLayers: "most" as never}]) {
            assert.throws(() => resolveConpetSettings(bad), (err) => ConpetError.is(err, "INVALID_INPUT"));
        }
    });
});
