import {readFileSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {ConpetError} from "../vocabulary/errors";

/** One package as package-lock.json pins it: the exact version and the sha512 of its published tarball. */
export type PinnedPackage = {name: string; version: string; integrity: string};

export type PinnedBackendPackages = {
    /** The node-llama-cpp this build runs; a prebuilt package of another version is ignored by it. */
    nodeLlamaCppVersion: string;
    packages: Record<string, PinnedPackage>;
};

/**
 * `dist/gpu-backends.json`, written by `scripts/build.mjs` from package-lock.json (which the VSIX does not ship):
 * node-llama-cpp's version and every `@node-llama-cpp/*` package's version and `integrity`. It is the trust anchor
 * of an install: a download is accepted only if its sha512 matches.
 */
export const pinnedBackendsFileName = "gpu-backends.json";

/** The file in the package's `dist/`; the bundles live there, so the default is a sibling of the calling bundle. */
export function resolvePinnedBackendsPath(packageRoot?: string): string {
    if (packageRoot !== undefined)
        return path.join(packageRoot, "dist", pinnedBackendsFileName);
    // `scripts/build.mjs` defines `import.meta.url` in the CommonJS bundles too.
    return path.join(path.dirname(fileURLToPath(import.meta.url)), pinnedBackendsFileName);
}

export function readPinnedBackendPackages(filePath: string): PinnedBackendPackages {
    let value: unknown;
    try {
        value = JSON.parse(readFileSync(filePath, "utf8"));
    } catch (err) {
        throw new ConpetError("GPU_BACKEND_UNAVAILABLE", `The list of pinned GPU backend packages (${filePath}) is missing or unreadable; reinstall the extension (or run "npm run build"): ${err instanceof Error ? err.message : String(err)}`, {cause: err});
    }
    const {nodeLlamaCppVersion, packages} = (typeof value === "object" && value !== null ? value : {}) as Partial<PinnedBackendPackages>;
    if (typeof nodeLlamaCppVersion !== "string" || typeof packages !== "object" || packages === null)
        throw new ConpetError("GPU_BACKEND_UNAVAILABLE", `${filePath} is not a list of pinned GPU backend packages; reinstall the extension.`);
    const checked: Record<string, PinnedPackage> = {};
    for (const [name, entry] of Object.entries(packages)) {
        const {version, integrity} = (entry ?? {}) as Partial<PinnedPackage>;
        if (typeof version === "string" && typeof integrity === "string" && integrity.includes("sha512-"))
            checked[name] = {name, version, integrity};
    }
    return {nodeLlamaCppVersion, packages: checked};
}
