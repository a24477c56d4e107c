/**
 * Every ID the extension shares with `package.json` (commands, views, the settings section, context keys) and
 * with the test harness. Keep this file and `contributes` in step: `test/extension/commands.test.ts`
 * checks that each command listed in `package.json` is registered.
 */

/** Commands in the palette (category "ConPET"). */
export const commandIds = {
    selectModel: "conpet.selectModel",
    createTask: "conpet.createTask",
    addSelectionToTask: "conpet.addSelectionToTask",
    importExamples: "conpet.importExamples",
    importAdapter: "conpet.importAdapter",
    train: "conpet.train",
    retrainAll: "conpet.retrainAll",
    cancelTraining: "conpet.cancelTraining",
    runOnSelection: "conpet.runOnSelection",
    applyAnswer: "conpet.applyAnswer",
    runTask: "conpet.runTask",
    openPanel: "conpet.openPanel",
    deleteTask: "conpet.deleteTask",
    renameTask: "conpet.renameTask",
    changeInstruction: "conpet.changeInstruction",
    editSample: "conpet.editSample",
    removeSample: "conpet.removeSample",
    export: "conpet.export",
    exportTask: "conpet.exportTask",
    showLogs: "conpet.showLogs",
    refresh: "conpet.refresh",
    enableGpuAcceleration: "conpet.enableGpuAcceleration",
    disableGpuAcceleration: "conpet.disableGpuAcceleration",
    correctAnswer: "conpet.correctAnswer"
} as const;

/** VS Code's chat: the language model vendor (`languageModelChatProviders`), its models, and the `@conpet` participant. */
export const chatIds = {
    vendor: "conpet",
    participant: "conpet.chat",
    routedModel: "conpet-routed",
    baseModel: "conpet-base"
} as const;

/**
 * Internal commands for UI tests, registered ONLY when the environment variable
 * `CONPET_TEST_HOOKS=1` is set in the extension host (never in normal use):
 *
 * - `conpet._test.getStatus` → `{modelPath, storePath, trusted, training, engineRunning, modelInfo, gpuBackend, tasks: [{name, state, samples, moduleId}], lastError, lastResult}`
 * - `conpet._test.getEnginePid` → the engine child process id, or `null` when it is not running
 * - `conpet._test.getStorePath` → the folder holding `conpet.db` and `adapters/`
 * - `conpet._test.getLastError` → `{code, message}` of the last error shown to the user, or `null`
 * - `conpet._test.getLastResult` → the last Run on Selection / Run Task answer, or `null`
 * - `conpet._test.getPanelState` → the panel `State` the webview was last sent, or `null`
 * - `conpet._test.chat` `{prompt, command?, history?}` → `{parts, result}`: the `@conpet` participant's
 *   handler run on that request (with the routed ConPET model as `request.model`), and the parts it streamed
 */
export const testCommandIds = {
    getStatus: "conpet._test.getStatus",
    getEnginePid: "conpet._test.getEnginePid",
    getStorePath: "conpet._test.getStorePath",
    getLastError: "conpet._test.getLastError",
    getLastResult: "conpet._test.getLastResult",
    getPanelState: "conpet._test.getPanelState",
    chat: "conpet._test.chat"
} as const;

/** Environment variable that enables `testCommandIds`. */
export const testHooksEnvVar = "CONPET_TEST_HOOKS";

/** Environment variable used as the model when `conpet.modelPath` is empty (the harness sets it). */
export const modelEnvVar = "CONPET_MODEL";

export const viewIds = {
    container: "conpet",
    tasks: "conpet.tasks"
} as const;

/** Webview panel type; also the serializer's key, so it must never change between versions. */
export const panelViewType = "conpet.panel";

export const outputChannelName = "ConPET";

/**
 * Section of `contributes.configuration` (read with `getConfiguration(configSection)`); each setting's
 * key under it is in `conpetSettingsSchema` (src/core/settings).
 */
export const configSection = "conpet";

/** Context keys used in `when` clauses of `package.json`. */
export const contextKeys = {
    hasModel: "conpet.hasModel",
    hasTasks: "conpet.hasTasks",
    hasTrainedModules: "conpet.hasTrainedModules",
    training: "conpet.training",
    /** An answer's Replace / Insert / Copy is still on offer. */
    hasAnswer: "conpet.hasAnswer",
    /** "Enable GPU Acceleration" installed a backend (usable or not): Disable is offered. */
    gpuBackendInstalled: "conpet.gpuBackendInstalled"
} as const;

/** `globalState` keys. */
export const globalStateKeys = {
    /** The one-time offer of GPU acceleration was shown (never again, whatever the answer). */
    gpuAccelerationOffered: "conpet.gpuAccelerationOffered"
} as const;

/** `contextValue` of sidebar nodes (menus match them with `viewItem =~ /^conpet\.task/`). */
export const treeItemContext = {
    task: "conpet.task",
    module: "conpet.module",
    samples: "conpet.samples",
    sample: "conpet.sample"
} as const;

/** The largest selection accepted as one sample: beyond it a selection is almost surely a mistake. */
export const maxSampleBytes = 64 * 1024;

/** The largest input accepted by Run on Selection / Run Task. */
export const maxRunInputBytes = 64 * 1024;
