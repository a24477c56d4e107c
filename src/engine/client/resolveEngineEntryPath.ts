import path from "node:path";
import {fileURLToPath} from "node:url";

/**
 * `dist/engine.mjs` of this package. The bundles (extension, CLI) live in `dist/` beside it, so
 * the default is a sibling of the calling bundle; pass `packageRoot` from tests or tools that run
 * from source.
 */
export function resolveEngineEntryPath(packageRoot?: string): string {
    if (packageRoot !== undefined)
        return path.join(packageRoot, "dist", "engine.mjs");
    // `scripts/build.mjs` defines `import.meta.url` in the CommonJS bundles too.
    return path.join(path.dirname(fileURLToPath(import.meta.url)), "engine.mjs");
}
