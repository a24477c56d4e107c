// The platforms ConPET is packaged for (one VSIX each, built on a machine of that platform: the trainer and
// sqlite3 are compiled there), and what each takes from node-llama-cpp. Shared by scripts/buildNative.mjs,
// scripts/vscode/packageVsix.mjs and .github/workflows/release.yml (which lists the same four).

/**
 * @typedef {object} PlatformTarget
 * @property {string} nodeLlamaCppPackage node-llama-cpp's prebuilt package the VSIX ships (its folder under
 *   `node_modules/@node-llama-cpp/`, and its `bins/` subfolder): CPU builds, Metal on Apple silicon.
 * @property {boolean} ggmlFromSource whether the trainer builds ggml from source: on Windows, whose prebuilt DLLs
 *   come without the import libraries MSVC links against.
 * @property {string} sharedLibrarySuffix
 */

/** @type {Record<string, PlatformTarget>} */
export const platformTargets = {
    "linux-x64": {nodeLlamaCppPackage: "linux-x64", ggmlFromSource: false, sharedLibrarySuffix: ".so"},
    "linux-arm64": {nodeLlamaCppPackage: "linux-arm64", ggmlFromSource: false, sharedLibrarySuffix: ".so"},
    "darwin-arm64": {nodeLlamaCppPackage: "mac-arm64-metal", ggmlFromSource: false, sharedLibrarySuffix: ".dylib"},
    "win32-x64": {nodeLlamaCppPackage: "win-x64", ggmlFromSource: true, sharedLibrarySuffix: ".dll"}
};

/** This machine's target name (`linux-x64`, `darwin-arm64`, …), as VS Code names platform-specific extensions. */
export const hostTarget = `${process.platform}-${process.arch}`;

/**
 * @param {string} name
 * @returns {PlatformTarget}
 */
export function getPlatformTarget(name) {
    const target = platformTargets[name];
    if (target === undefined)
        throw new Error(`unknown target ${JSON.stringify(name)}: use one of ${Object.keys(platformTargets).join(", ")}`);
    return target;
}

/** The trainer's file name on this machine. */
export const trainerExecutableName = process.platform === "win32" ? "conpet-train.exe" : "conpet-train";
