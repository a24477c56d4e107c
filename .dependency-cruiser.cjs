// `npm run lint:deps` (part of `npm test`): the floors of docs/ARCHITECTURE.md, enforced on the imports.
//   extension, cli → core → store, engine/client, trainer, gpuBackend → vocabulary
//   engine/process (the forked engine) → vocabulary
// Type-only imports count: a type is part of the contract a floor depends on.
/** A rule that `from` may import nothing under the folders `paths`, except `allowed`. */
function forbid(name, comment, from, paths) {
    return {name, comment, severity: "error", from: {path: from}, to: {path: paths}};
}

module.exports = {
    forbidden: [
        forbid("vocabulary-is-the-ground-floor", "src/vocabulary is shared by every floor and imports none of them.",
            "^src/vocabulary/", "^src/(?!vocabulary/)"),
        forbid("store-stands-on-vocabulary", "The store knows tasks and samples, not the model, the core or the front ends.",
            "^src/store/", "^src/(?!store/|vocabulary/)"),
        forbid("engine-client-stands-on-vocabulary", "The host side of the engine speaks the protocol only.",
            "^src/engine/client/", "^src/(?!engine/client/|vocabulary/)"),
        forbid("engine-process-stands-on-vocabulary", "The forked engine process shares nothing with the host but the protocol.",
            "^src/engine/process/", "^src/(?!engine/process/|vocabulary/)"),
        forbid("trainer-client-stands-on-vocabulary", "The trainer client speaks the trainer protocol only.",
            "^src/trainer/", "^src/(?!trainer/|vocabulary/)"),
        forbid("gpu-backend-stands-on-vocabulary", "Installing a GPU backend needs the registry and the file system, not the model.",
            "^src/gpuBackend/", "^src/(?!gpuBackend/|vocabulary/)"),
        forbid("core-is-headless", "The core is driven by the CLI and the tests as well as the extension.",
            "^src/core/", "^src/(extension|cli|engine/process)/"),
        forbid("core-talks-to-the-engine-through-its-client", "Only the client's types; the core gets an engine handed in.",
            "^src/core/", "^src/engine/client/(?!.*Error\\.ts$)"),
        forbid("front-ends-are-siblings", "The CLI and the extension share code through the core only.",
            "^src/cli/", "^src/extension/"),
        forbid("front-ends-are-siblings-too", "The CLI and the extension share code through the core only.",
            "^src/extension/", "^src/cli/"),
        forbid("nobody-imports-the-engine-process", "The engine process is forked from dist/engine.mjs, never imported.",
            "^src/(?!engine/process/)", "^src/engine/process/"),
        {
            name: "only-the-extension-imports-vscode",
            comment: "Everything else must run headless (CLI, tests, the engine process).",
            severity: "error",
            from: {path: "^src/(?!extension/)"},
            to: {path: "^vscode$|node_modules/@types/vscode/"}
        },
        {
            name: "only-the-engine-process-loads-llama-cpp",
            comment: "llama.cpp aborts its process on internal errors, so it runs in the forked engine only.",
            severity: "error",
            from: {path: "^src/(?!engine/process/)"},
            to: {path: "node_modules/node-llama-cpp/", dependencyTypesNot: ["type-only"]}
        },
        {
            name: "no-cycles",
            comment: "A cycle makes two modules one; merge them or move the shared part down a floor.",
            severity: "error",
            from: {path: "^src/"},
            to: {circular: true}
        },
        {
            name: "no-orphans-in-src",
            comment: "A module nothing imports is dead (entry points excepted).",
            severity: "error",
            from: {orphan: true, path: "^src/", pathNot: ["^src/(extension/extension|engine/process/engineMain|cli/cli)\\.ts$"]},
            to: {}
        }
    ],
    options: {
        doNotFollow: {path: "node_modules"},
        tsPreCompilationDeps: true,
        tsConfig: {fileName: "tsconfig.json"},
        exclude: {path: "^(test|bench|scripts|webview)/"}
    }
};
