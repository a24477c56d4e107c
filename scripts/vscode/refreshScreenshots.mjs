#!/usr/bin/env node
// `npm run screenshots`: reruns the UI walkthrough (test/e2e) with its screenshots written into docs/screenshots/,
// the README's images. `npm test` writes them into the ignored .conpet-test/screenshots/ instead, so a test run
// never changes tracked files; this is the one deliberate way to refresh them. Arguments go to runE2eTests.mjs.
import {spawnSync} from "node:child_process";
import path from "node:path";
import {repoRoot} from "./toolPaths.mjs";

const result = spawnSync(process.execPath, [path.join(repoRoot, "scripts", "vscode", "runE2eTests.mjs"), ...process.argv.slice(2)], {
    cwd: repoRoot,
    stdio: "inherit",
    env: {...process.env, CONPET_SCREENSHOTS_DIR: path.join(repoRoot, "docs", "screenshots")}
});
process.exitCode = result.status ?? 1;
