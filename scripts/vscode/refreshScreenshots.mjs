#!/usr/bin/env node
// `npm run screenshots`: reruns the UI walkthrough (test/e2e) and copies its screenshots into docs/screenshots/,
// except the README's three hero images (panel, routed answer, heatmap), which `npm run screenshots:readme`
// takes from a realistic store (scripts/vscode/captureReadmeScreenshots.mjs). `npm test` writes the walkthrough's
// into the ignored .conpet-test/screenshots/, so a test run never changes tracked files; this is the one
// deliberate way to refresh them. Arguments go to runE2eTests.mjs.
import {spawnSync} from "node:child_process";
import {copyFileSync, mkdtempSync, readdirSync, rmSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {repoRoot} from "./toolPaths.mjs";

const heroImages = new Set(["panel.png", "routed-answer.png", "panel-heatmap.png"]);
const target = path.join(repoRoot, "docs", "screenshots");
const taken = mkdtempSync(path.join(os.tmpdir(), "conpet-screenshots-"));
try {
    const result = spawnSync(process.execPath, [path.join(repoRoot, "scripts", "vscode", "runE2eTests.mjs"), ...process.argv.slice(2)], {
        cwd: repoRoot,
        stdio: "inherit",
        env: {...process.env, CONPET_SCREENSHOTS_DIR: taken}
    });
    process.exitCode = result.status ?? 1;
    // A failed walkthrough may have stopped before some screenshots: the README keeps its previous ones.
    if (process.exitCode === 0)
        for (const name of readdirSync(taken).filter((file) => file.endsWith(".png") && !heroImages.has(file))) {
            copyFileSync(path.join(taken, name), path.join(target, name));
            console.log(`[screenshots] docs/screenshots/${name}`);
        }
} finally {
    rmSync(taken, {recursive: true, force: true});
}
