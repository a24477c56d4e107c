import {existsSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

/**
 * A file of the package's `dist/`: beside the running bundle (`dist/cli.mjs`), or, when the CLI runs from source
 * (`tsx src/cli/cli.ts`), in the `dist/` of the package root above it. `resolve` maps a package root (or
 * `undefined`: beside the bundle) to the file, as `resolveEngineEntryPath` does.
 */
export function findDistFile(resolve: (packageRoot?: string) => string): string {
    const beside = resolve();
    if (existsSync(beside))
        return beside;
    let directory = path.dirname(fileURLToPath(import.meta.url));
    while (!existsSync(path.join(directory, "package.json")) && path.dirname(directory) !== directory)
        directory = path.dirname(directory);
    return resolve(directory);
}
