import type {ExtensionSettings} from "./getExtensionSettings";

/**
 * The default of every `conpet.*` setting: the `default` of its entry under
 * `contributes.configuration` in package.json, which `test/unit/extension/defaultExtensionSettings.test.ts`
 * checks. Kept apart from `getExtensionSettings` because that imports `vscode`, which a unit test cannot.
 */
export const defaultExtensionSettings: Omit<ExtensionSettings, "modelPathSource"> = {
    // The setting's own default; `CONPET_MODEL` is used only while it is empty.
    modelPath: "",
    gpuLayers: "auto",
    trainingGpuLayers: "auto",
    threads: 0,
    lora: {rank: 8, alpha: 16, targetModules: ["q", "k", "v", "o"]},
    stepsPerTask: 200,
    replayRatio: 0.5,
    balancedReplay: true,
    maxSamplesPerTask: 2000,
    mode: "dynamic",
    topK: 2,
    selectorKind: "embedding",
    storageLocation: ""
};
