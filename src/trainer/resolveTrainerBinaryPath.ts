import {existsSync} from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

/** Where `npm run build:native` puts the trainer, relative to the package root (`conpet-train.exe` on Windows). */
export const trainerBinaryRelativePath = path.join("native", "build", "bin", process.platform === "win32" ? "conpet-train.exe" : "conpet-train");

/**
 * Finds the package root (the folder holding `package.json` and `native/`) from this module's own
 * location, which differs between the sources (`src/trainer/`) and the bundles (`dist/`), and returns
 * the trainer's path there. `$CONPET_TRAINER` overrides it.
 */
export function resolveTrainerBinaryPath(): string {
    const override = process.env.CONPET_TRAINER;
    if (override !== undefined && override !== "")
        return override;
    // `scripts/build.mjs` defines `import.meta.url` in the CommonJS bundles too.
    let directory = path.dirname(fileURLToPath(import.meta.url));
    for (;;) {
        if (existsSync(path.join(directory, "package.json")) && existsSync(path.join(directory, "native")))
            return path.join(directory, trainerBinaryRelativePath);
        const parent = path.dirname(directory);
        if (parent === directory)
            return path.resolve(trainerBinaryRelativePath);
        directory = parent;
    }
}
