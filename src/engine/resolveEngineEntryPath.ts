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
    const here = typeof __filename === "string" ? __filename : fileURLToPath(import.meta.url);
    return path.join(path.dirname(here), "engine.mjs");
}
