import {existsSync} from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import {extensionId} from "./activateExtension";

/**
 * The reference model for extension-host tests: `CONPET_TEST_MODEL_PATH` (set by the harness),
 * else `../shared/models/stories260K.gguf` beside the extension's folder. (`test/utils/modelFiles.ts`
 * uses `import.meta`, which does not survive bundling to CommonJS.) Returns `undefined` if absent.
 */
export function getTestModelPath(): string | undefined {
    const fromEnv = process.env.CONPET_TEST_MODEL_PATH;
    if (fromEnv !== undefined && fromEnv !== "" && existsSync(fromEnv))
        return fromEnv;
    const extension = vscode.extensions.getExtension(extensionId);
    if (extension === undefined)
        return undefined;
    const candidate = path.resolve(extension.extensionPath, "..", "shared", "models", "stories260K.gguf");
    return existsSync(candidate) ? candidate : undefined;
}
