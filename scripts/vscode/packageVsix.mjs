#!/usr/bin/env node
// `npm run package [-- --target T] [--verify] [--check] [--no-build]`: builds, then packs a platform-specific VSIX
// (`conpet-<target>.vsix`) with the bundles, the native trainer and the production node_modules, keeping of
// node-llama-cpp's prebuilt packages exactly the target's one (CPU; Metal on macOS): the GPU backends are
// downloaded on demand ("Enable GPU Acceleration"). The target defaults to this machine's and must be it: the
// trainer and sqlite3 are compiled here (.github/workflows/release.yml builds each target on its own runner).
// `--verify` unpacks the VSIX and runs its CLI, engine and trainer (scripts/vscode/verifyVsix.mjs; any platform).
// `--check` (linux-x64) also installs it into a fresh code-server with `--install-extension`, loads its native
// modules (sqlite3, node-llama-cpp) and the trainer's libraries from the installed copy on Node 24, and runs
// `test/extension/vsix/` in that code-server against the installed copy: it activates, loads the model, trains
// and answers. `npm test` runs it as its `package` stage (with `--no-build`, after the build stage).
import {spawnSync} from "node:child_process";
import {accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {getPlatformTarget, hostTarget, trainerExecutableName} from "../platformTargets.mjs";
import {runExtensionTests} from "./runExtensionTests.mjs";
import {setupVscode} from "./setupVscode.mjs";
import {startCodeServer} from "./startCodeServer.mjs";
import {nodeBinary, repoRoot} from "./toolPaths.mjs";
import {verifyVsix} from "./verifyVsix.mjs";

const trainerBinary = path.join(repoRoot, "native", "build", "bin", trainerExecutableName);

function run(command, args, options = {}) {
    // npm is npm.cmd on Windows, which only a shell starts
    const result = spawnSync(command, args, {cwd: repoRoot, stdio: "inherit", shell: process.platform === "win32", ...options});
    if (result.status !== 0)
        throw new Error(`${command} ${args.join(" ")} failed (${result.status ?? result.signal})`);
    return result;
}

/**
 * .vscodeignore plus the node-llama-cpp packages this target does not ship (every one npm installed here but
 * the target's own), written to a temporary file for `vsce --ignoreFile`.
 * @param {string} targetName
 * @returns {string}
 */
function writeIgnoreFile(targetName) {
    const {nodeLlamaCppPackage} = getPlatformTarget(targetName);
    const packagesDir = path.join(repoRoot, "node_modules", "@node-llama-cpp");
    if (!existsSync(path.join(packagesDir, nodeLlamaCppPackage, "bins", nodeLlamaCppPackage)))
        throw new Error(`node_modules/@node-llama-cpp/${nodeLlamaCppPackage} is missing: run "npm ci" on a ${targetName} machine`);
    const others = readdirSync(packagesDir).filter((name) => name !== nodeLlamaCppPackage);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "conpet-vscodeignore-")), ".vscodeignore");
    writeFileSync(file, [
        readFileSync(path.join(repoRoot, ".vscodeignore"), "utf8"),
        `# node-llama-cpp for ${targetName}: ${nodeLlamaCppPackage} only (scripts/vscode/packageVsix.mjs)`,
        ...others.map((name) => `node_modules/@node-llama-cpp/${name}/**`),
        ""
    ].join("\n"));
    return file;
}

/**
 * Builds and packs the VSIX.
 * @param {{target?: string, out?: string, build?: boolean}} [options] `target`: defaults to this machine's (and must
 *   be it); `out`: defaults to `conpet-<target>.vsix` in the repository; `build`: run the builds first. Defaults to `true`.
 * @returns {{vsix: string, bytes: number, seconds: number}}
 */
export function packageVsix({target = hostTarget, out = path.join(repoRoot, `conpet-${target}.vsix`), build = true} = {}) {
    getPlatformTarget(target);
    if (target !== hostTarget)
        throw new Error(`a ${target} VSIX is built on a ${target} machine (its trainer and sqlite3 are compiled there); this is ${hostTarget}. The release workflow builds each target on its own runner.`);
    const started = Date.now();
    if (build) {
        if (!existsSync(trainerBinary))
            run("npm", ["run", "--silent", "build:native"]);
        run("npm", ["run", "--silent", "build"]);
    }
    if (!existsSync(trainerBinary))
        throw new Error(`${trainerBinary} is missing: the VSIX would have no trainer (run \`npm run build:native\`)`);
    const ignoreFile = writeIgnoreFile(target);
    try {
        run(path.join(repoRoot, "node_modules", ".bin", process.platform === "win32" ? "vsce.cmd" : "vsce"), [
            // The README's images ship inside the VSIX (see .vscodeignore) and VS Code shows them from the installed
            // folder, so its relative links stay relative: there is no public repository to point them at.
            "package", "--target", target, "--out", out, "--ignoreFile", ignoreFile, "--allow-missing-repository", "--skip-license", "--no-rewrite-relative-links"
        ]);
    } finally {
        rmSync(path.dirname(ignoreFile), {recursive: true, force: true});
    }
    const bytes = statSync(out).size;
    const seconds = (Date.now() - started) / 1000;
    console.log(`[package] ${out}: ${(bytes / 1024 / 1024).toFixed(1)} MiB in ${seconds.toFixed(1)} s`);
    return {vsix: out, bytes, seconds};
}

/**
 * Installs the VSIX into a fresh code-server profile and checks the installed copy works on Node 24.
 * @param {string} vsix
 */
export async function checkVsixInstalls(vsix) {
    await setupVscode({quiet: true});
    const dir = mkdtempSync(path.join(os.tmpdir(), "conpet-vsix-check-"));
    try {
        const server = await startCodeServer({dir, install: {vsix}});
        await server.stop();
        const extensionsDir = path.join(dir, "extensions");
        const installed = readdirSync(extensionsDir).find((name) => name.startsWith("conpet.conpet-vscode-"));
        if (installed === undefined)
            throw new Error(`the VSIX did not install: ${readdirSync(extensionsDir).join(", ")}`);
        const root = path.join(extensionsDir, installed);
        for (const file of ["dist/extension.cjs", "dist/engine.mjs", "dist/webview-panel.js", "node_modules/sqlite3/build/Release/node_sqlite3.node"])
            if (!existsSync(path.join(root, file)))
                throw new Error(`${installed} lacks ${file}`);
        accessSync(path.join(root, "native", "build", "bin", "conpet-train"), constants.X_OK);
        const ldd = spawnSync("ldd", [path.join(root, "native", "build", "bin", "conpet-train")], {encoding: "utf8"});
        if (ldd.status !== 0 || ldd.stdout.includes("not found"))
            throw new Error(`the installed trainer cannot find its libraries:\n${ldd.stdout}${ldd.stderr}`);
        const script = [
            `const sqlite3 = require(${JSON.stringify(path.join(root, "node_modules", "sqlite3"))});`,
            "new sqlite3.Database(':memory:').close();",
            `import(${JSON.stringify(pathToFileURL(path.join(root, "node_modules", "node-llama-cpp", "dist", "index.js")).href)})`,
            "  .then(({getLlama}) => getLlama({gpu: false, build: 'never', logLevel: 'error'}))",
            "  .then(async (llama) => { console.log(`llama.cpp ${llama.llamaCppRelease.release} (${llama.gpu || 'cpu'})`); await llama.dispose(); });"
        ].join("\n");
        const loaded = spawnSync(nodeBinary, ["-e", script], {encoding: "utf8", cwd: dir});
        if (loaded.status !== 0)
            throw new Error(`the installed native modules do not load on Node 24:\n${loaded.stdout}${loaded.stderr}`);
        console.log(`[package] installed as ${installed} with code-server --install-extension; sqlite3, ${loaded.stdout.trim()} and the trainer's libraries load`);
    } finally {
        rmSync(dir, {recursive: true, force: true, maxRetries: 3});
    }
    if (await runExtensionTests({vsix, timeoutSeconds: 600}) !== 0)
        throw new Error("the extension installed from the VSIX failed its tests (report above)");
}

/** @param {string[]} argv */
function parseArgs(argv) {
    const options = {target: hostTarget, build: true, verify: false, check: false};
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--target")
            options.target = argv[++i] ?? "";
        else if (argv[i] === "--no-build")
            options.build = false;
        else if (argv[i] === "--verify")
            options.verify = true;
        else if (argv[i] === "--check")
            options.check = true;
        else
            throw new Error(`unknown argument ${argv[i]} (use --target T, --verify, --check, --no-build)`);
    }
    if (options.check && options.target !== "linux-x64")
        throw new Error("--check installs the VSIX into code-server, which this harness runs on linux-x64 only; use --verify elsewhere");
    return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    try {
        const options = parseArgs(process.argv.slice(2));
        const {vsix} = packageVsix({target: options.target, build: options.build});
        if (options.verify || options.check)
            verifyVsix(vsix, options.target);
        if (options.check)
            await checkVsixInstalls(vsix);
    } catch (err) {
        console.error(`[package] ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    }
}
