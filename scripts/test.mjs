// The README's test command runs this (`npm test`): builds everything, then every test layer in
// order of cost, and ends with one summary line CI can read. A failing stage does not hide the
// later ones; the exit code is non-zero if any stage failed.
import {spawn} from "node:child_process";
import {readdirSync, statSync} from "node:fs";
import path from "node:path";

const only = process.argv.slice(2);

/** Test files under a folder, found recursively (npm scripts run in sh, which has no `**`). */
function findTestFiles(directory, suffix) {
    const found = [];
    for (const name of readdirSync(directory)) {
        const full = path.join(directory, name);
        if (statSync(full).isDirectory())
            found.push(...findTestFiles(full, suffix));
        else if (name.endsWith(suffix))
            found.push(full);
    }
    return found.sort();
}

function nodeTestStage(name, directory) {
    return {
        name,
        command: () => {
            const files = findTestFiles(directory, ".test.ts");
            // With no file arguments node would search the whole tree for tests of its own choosing.
            return files.length === 0 ? undefined : [process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-reporter=spec", ...files]];
        },
        parse: (output) => ({
            passed: lastNumber(output, /^ℹ pass (\d+)/gm),
            failed: lastNumber(output, /^ℹ fail (\d+)/gm)
        })
    };
}

function npmStage(name, script, parse) {
    return {name, command: () => ["npm", ["run", "--silent", script]], parse};
}

/**
 * mocha ("N passing", "N failing") or node's test runner, whichever the stage printed. A stage may
 * run mocha more than once (the extension tests add a Restricted Mode pass), so mocha's counts add up.
 */
function parseMochaOrNode(output) {
    const mochaPassed = sumNumbers(output, /^\s*(\d+) passing/gm);
    if (mochaPassed !== undefined)
        return {passed: mochaPassed, failed: sumNumbers(output, /^\s*(\d+) failing/gm) ?? 0};
    return {passed: lastNumber(output, /^ℹ pass (\d+)/gm), failed: lastNumber(output, /^ℹ fail (\d+)/gm)};
}

function sumNumbers(text, pattern) {
    const matches = [...text.matchAll(pattern)];
    return matches.length === 0 ? undefined : matches.reduce((sum, match) => sum + Number(match[1]), 0);
}

function lastNumber(text, pattern) {
    const matches = [...text.matchAll(pattern)];
    const last = matches[matches.length - 1];
    return last === undefined ? undefined : Number(last[1]);
}

const stages = [
    npmStage("build:native", "build:native"),
    npmStage("build", "build"),
    npmStage("typecheck", "typecheck"),
    // The floors of docs/ARCHITECTURE.md (dependency-cruiser) and no dead code (knip).
    npmStage("lint", "lint"),
    nodeTestStage("unit", "test/unit"),
    nodeTestStage("model", "test/model"),
    npmStage("extension", "test:extension", parseMochaOrNode),
    npmStage("e2e", "test:e2e", parseMochaOrNode),
    // The VSIX a user installs: packed from the build above, installed into a fresh code-server, and tested there.
    {name: "package", command: () => ["npm", ["run", "--silent", "package", "--", "--check", "--no-build"]], parse: parseMochaOrNode}
].filter((stage) => only.length === 0 || only.includes(stage.name));

function run(stage) {
    const commandLine = stage.command();
    if (commandLine === undefined)
        return Promise.resolve({code: 0, output: "no test files\n", seconds: 0});
    const [command, args] = commandLine;
    return new Promise((resolve) => {
        const started = Date.now();
        let output = "";
        const child = spawn(command, args, {stdio: ["ignore", "pipe", "pipe"]});
        for (const stream of [child.stdout, child.stderr]) {
            stream.on("data", (chunk) => {
                output += chunk;
                process.stdout.write(chunk);
            });
        }
        child.on("close", (code, signal) => resolve({code: code ?? (signal ? 1 : 0), output, seconds: (Date.now() - started) / 1000}));
    });
}

const results = [];
for (const stage of stages) {
    console.log(`\n=== ${stage.name} ===`);
    const {code, output, seconds} = await run(stage);
    const counts = stage.parse?.(output) ?? {};
    results.push({name: stage.name, ok: code === 0, seconds, ...counts});
    console.log(`=== ${stage.name}: ${code === 0 ? "ok" : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s ===`);
}

console.log("\nStage        result    seconds  passed  failed");
for (const r of results)
    console.log(`${r.name.padEnd(12)} ${(r.ok ? "ok" : "FAILED").padEnd(9)} ${r.seconds.toFixed(1).padStart(7)}  ${String(r.passed ?? "-").padStart(6)}  ${String(r.failed ?? "-").padStart(6)}`);

const passed = results.reduce((sum, r) => sum + (r.passed ?? 0), 0);
// A stage that failed without reporting test failures (a build, a crash) still counts as one failure.
const failed = results.reduce((sum, r) => sum + (r.failed ?? 0) + (!r.ok && !r.failed ? 1 : 0), 0);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && results.every((r) => r.ok) ? 0 : 1;
