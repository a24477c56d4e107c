#!/usr/bin/env node
// `npm run test:e2e`: the UI tests (test/e2e/**/*.e2e.ts) with node's test runner through tsx. Each test file
// starts its own code-server and chromium (scripts/vscode/startCodeServer.mjs, openBrowser.mjs).
// Arguments are passed on to node's test runner (e.g. `--test-name-pattern=panel`).
import {spawnSync} from "node:child_process";
import {readdirSync} from "node:fs";
import path from "node:path";
import {setupVscode} from "./setupVscode.mjs";
import {repoRoot} from "./toolPaths.mjs";

await setupVscode({quiet: true});
const e2eDir = path.join(repoRoot, "test", "e2e");
const files = readdirSync(e2eDir, {recursive: true}).map(String).filter((name) => name.endsWith(".e2e.ts")).sort()
    .map((name) => path.join(e2eDir, name));
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-reporter=spec", ...process.argv.slice(2), ...files], {cwd: repoRoot, stdio: "inherit"});
process.exitCode = result.status ?? 1;
