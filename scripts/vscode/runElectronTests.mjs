#!/usr/bin/env node
// The same extension-host suite as `npm run test:extension`, under @vscode/test-electron: it downloads a
// desktop VS Code, so it needs internet (offline, use runExtensionTests.mjs with code-server instead).
// `node scripts/vscode/runElectronTests.mjs [--version 1.104.0]` after `npm run build`.
import {existsSync, mkdtempSync, rmSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {runTests} from "@vscode/test-electron";
import {copyWorkspace} from "./startCodeServer.mjs";
import {repoRoot} from "./toolPaths.mjs";

const versionFlag = process.argv.indexOf("--version");
const version = versionFlag === -1 ? "stable" : process.argv[versionFlag + 1];
const testModelPath = path.resolve(repoRoot, "..", "shared", "models", "stories260K.gguf");
const dir = mkdtempSync(path.join(os.tmpdir(), "conpet-electron-tests-"));
try {
    const workspace = copyWorkspace(dir);
    process.exitCode = await runTests({
        version,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: path.join(repoRoot, "dist", "test", "extension", "index.cjs"),
        launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust", "--user-data-dir", path.join(dir, "user-data")],
        extensionTestsEnv: {
            CONPET_TEST_HOOKS: "1",
            ...(existsSync(testModelPath) ? {CONPET_TEST_MODEL_PATH: testModelPath} : {})
        }
    });
} catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
} finally {
    rmSync(dir, {recursive: true, force: true, maxRetries: 3});
}
