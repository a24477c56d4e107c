#!/usr/bin/env node
// `npm run package`: builds, then packs a platform-specific VSIX (`--target linux-x64`) with the bundles, the
// native trainer and the production node_modules trimmed by .vscodeignore to this platform's prebuilt
// binaries. `--check` then installs it into a fresh code-server with `--install-extension`, loads its native
// modules (sqlite3, node-llama-cpp) and the trainer's libraries from the installed copy on Node 24, and runs
// `test/extension/vsix/` in that code-server against the installed copy: it activates, loads the model, trains
// and answers. `npm test` runs it as its `package` stage (with `--no-build`, after the build stage).
import {spawnSync} from "node:child_process";
import {accessSync, constants, existsSync, mkdtempSync, readdirSync, rmSync, statSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {runExtensionTests} from "./runExtensionTests.mjs";
import {setupVscode} from "./setupVscode.mjs";
import {startCodeServer} from "./startCodeServer.mjs";
import {nodeBinary, repoRoot} from "./toolPaths.mjs";

const target = "linux-x64";
const trainerBinary = path.join(repoRoot, "native", "build", "bin", "conpet-train");

function run(command, args, options = {}) {
    const result = spawnSync(command, args, {cwd: repoRoot, stdio: "inherit", ...options});
    if (result.status !== 0)
        throw new Error(`${command} ${args.join(" ")} failed (${result.status ?? result.signal})`);
    return result;
}

/**
 * Builds and packs the VSIX.
 * @param {{out?: string, build?: boolean}} [options] `out`: defaults to `conpet-linux-x64.vsix` in the repository;
 *   `build`: run the builds first. Defaults to `true`.
 * @returns {{vsix: string, bytes: number, seconds: number}}
 */
export function packageVsix({out = path.join(repoRoot, `conpet-${target}.vsix`), build = true} = {}) {
    const started = Date.now();
    if (build) {
        if (!existsSync(trainerBinary))
            run("npm", ["run", "--silent", "build:native"]);
        run("npm", ["run", "--silent", "build"]);
    }
    if (!existsSync(trainerBinary))
        throw new Error(`${trainerBinary} is missing: the VSIX would have no trainer (run \`npm run build:native\`)`);
    run(path.join(repoRoot, "node_modules", ".bin", "vsce"), [
        // The README's images ship inside the VSIX (see .vscodeignore) and VS Code shows them from the installed
        // folder, so its relative links stay relative: there is no public repository to point them at.
        "package", "--target", target, "--out", out, "--allow-missing-repository", "--skip-license", "--no-rewrite-relative-links"
    ]);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    try {
        const {vsix} = packageVsix({build: !process.argv.includes("--no-build")});
        if (process.argv.includes("--check"))
            await checkVsixInstalls(vsix);
    } catch (err) {
        console.error(`[package] ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
    }
}
