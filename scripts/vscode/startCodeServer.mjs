#!/usr/bin/env node
// Starts code-server (VS Code in the browser, with a Node 24 extension host) on a private, throwaway
// profile, with this extension installed. Used by `npm start`, the extension-host test runner and the
// UI tests. CLI: `node scripts/vscode/startCodeServer.mjs [--port N] [--folder DIR] [--smoke-test-driver]`.
import {spawn} from "node:child_process";
import {cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {createServer} from "node:net";
import os from "node:os";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {codeServerEntry, nodeBinary, nodeBinDir, repoRoot} from "./toolPaths.mjs";

/** Settings that keep a fresh profile quiet and offline: no welcome page, tips, update or gallery checks. */
export const defaultUserSettings = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.welcomePage.walkthroughs.openOnInstall": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "chat.disableAIFeatures": true,
    "workbench.enableExperiments": false,
    "git.enabled": false
};

/**
 * @typedef {object} StartCodeServerOptions
 * @property {number} [port] TCP port on 127.0.0.1. Defaults to `0` (a free port).
 * @property {boolean} [smokeTestDriver] Start with `--vscode-option enable-smoke-test-driver`, which extension-host
 *   tests need to report their exit code (it also hides notifications). Defaults to `false`.
 * @property {"symlink" | "none" | {vsix: string}} [install] How the extension gets into the extensions folder:
 *   a symlink to the repository named `publisher.name-version`, nothing (tests pass `extensionDevelopmentPath`
 *   instead), or `code-server --install-extension` of a VSIX. Defaults to `"symlink"`.
 * @property {Record<string, unknown>} [userSettings] Merged over `defaultUserSettings`. Defaults to `{}`.
 * @property {Record<string, string | undefined>} [env] Extra environment for code-server and its extension host
 *   (e.g. `CONPET_MODEL`, `CONPET_TEST_HOOKS`). Defaults to `{}`.
 * @property {string} [dir] Folder for the profile, logs and XDG dirs. Defaults to a new temp folder, removed on stop.
 * @property {boolean} [echo] Echo code-server's output to this process's stderr. Defaults to `false`.
 * @property {number} [readyTimeoutMs] How long to wait for `/healthz`. Defaults to `60000`.
 * @property {boolean} [untrusted] Open folders in Restricted Mode: workspace trust on, no trust prompt, nothing
 *   trusted yet. Defaults to `false` (trust disabled, every folder trusted).
 */

/**
 * @typedef {object} CodeServer
 * @property {string} url Base URL, e.g. `http://127.0.0.1:41234`.
 * @property {number} port
 * @property {string} dir The profile folder.
 * @property {string} logFile code-server's stdout and stderr.
 * @property {string} remoteAuthority `127.0.0.1:PORT`, for `vscode-remote://` URIs.
 * @property {number} pid The code-server process id, which is also its process group id.
 * @property {(folder: string) => string} folderUrl The URL that opens `folder` (an absolute path).
 * @property {() => Promise<void>} stop Ends the whole process group (idempotent).
 */

/**
 * Starts code-server and resolves once it answers `/healthz`.
 * @param {StartCodeServerOptions} [options]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(options = {}) {
    const {smokeTestDriver = false, install = "symlink", userSettings = {}, env = {}, echo = false, readyTimeoutMs = 60_000, untrusted = false} = options;
    if (!existsSync(codeServerEntry) || !existsSync(nodeBinary))
        throw new Error("code-server is not installed: run `npm run setup:vscode`");

    const ownsDir = options.dir == null;
    const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), "conpet-code-server-"));
    const userDataDir = path.join(dir, "user-data");
    const extensionsDir = path.join(dir, "extensions");
    const xdg = path.join(dir, "xdg");
    for (const folder of [path.join(userDataDir, "User"), extensionsDir, path.join(xdg, "config"), path.join(xdg, "data"), path.join(xdg, "cache")])
        mkdirSync(folder, {recursive: true});
    const trustSettings = untrusted ? {"security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never", "security.workspace.trust.emptyWindow": false} : {};
    const settingsJson = JSON.stringify({...defaultUserSettings, ...trustSettings, ...userSettings}, null, 4);
    writeFileSync(path.join(userDataDir, "User", "settings.json"), settingsJson);
    // The window is a remote one: a setting of `machine` scope (conpet.storageLocation) is read from the
    // server's Machine settings, and from the user's only when those happen to load first.
    mkdirSync(path.join(userDataDir, "Machine"), {recursive: true});
    writeFileSync(path.join(userDataDir, "Machine", "settings.json"), settingsJson);

    const childEnv = {
        ...process.env,
        ...env,
        // The extension host inherits this PATH, so `node` there is Node 24 as well.
        PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ""}`,
        XDG_CONFIG_HOME: path.join(xdg, "config"),
        XDG_DATA_HOME: path.join(xdg, "data"),
        XDG_CACHE_HOME: path.join(xdg, "cache"),
        // A VS Code terminal's variables would point the server at the outer VS Code.
        VSCODE_IPC_HOOK_CLI: undefined,
        ELECTRON_RUN_AS_NODE: undefined
    };
    for (const key of Object.keys(childEnv))
        if (childEnv[key] === undefined)
            delete childEnv[key];

    const commonArgs = [codeServerEntry, "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir];
    if (install === "symlink")
        symlinkSync(repoRoot, path.join(extensionsDir, getExtensionFolderName()), "dir");
    else if (typeof install === "object")
        await installVsix(commonArgs, install.vsix, childEnv, dir);

    const port = options.port || await getFreePort();
    const logFile = path.join(dir, "code-server.log");
    const log = createWriteStream(logFile);
    const args = [
        ...commonArgs, "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, "--disable-telemetry", "--disable-update-check",
        ...(untrusted ? [] : ["--disable-workspace-trust"]), "--ignore-last-opened", "--disable-getting-started-override",
        ...(smokeTestDriver ? ["--vscode-option", "enable-smoke-test-driver"] : [])
    ];
    // `detached` makes the server the leader of a new session and process group (setsid), so stopping it
    // ends the extension host, the engine and any trainer the extension started, all by one group id.
    const child = spawn(nodeBinary, args, {cwd: dir, env: childEnv, detached: true, stdio: ["ignore", "pipe", "pipe"]});
    for (const stream of [child.stdout, child.stderr])
        stream.on("data", (chunk) => {
            log.write(chunk);
            if (echo)
                process.stderr.write(chunk);
        });

    let stopped = false;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const killGroup = (signal) => {
        try {
            if (child.pid != null)
                process.kill(-child.pid, signal);
        } catch {
            // The group is already gone.
        }
    };
    const onProcessExit = () => killGroup("SIGKILL");
    process.once("exit", onProcessExit);
    const stop = async () => {
        if (stopped)
            return;
        stopped = true;
        process.off("exit", onProcessExit);
        killGroup("SIGTERM");
        const timeout = new Promise((resolve) => setTimeout(resolve, 5000).unref());
        if (await Promise.race([exited.then(() => true), timeout.then(() => false)]) === false)
            killGroup("SIGKILL");
        // Children of the group (extension host, engine) may outlive the leader by a moment.
        killGroup("SIGKILL");
        await new Promise((resolve) => log.end(resolve));
        if (ownsDir)
            rmSync(dir, {recursive: true, force: true, maxRetries: 3});
    };

    const url = `http://127.0.0.1:${port}`;
    try {
        await waitForHealthz(url, readyTimeoutMs, exited);
    } catch (err) {
        const output = existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4000) : "";
        await stop();
        throw new Error(`${err instanceof Error ? err.message : String(err)}\ncode-server output:\n${output}`);
    }
    return {
        url, port, dir, logFile, remoteAuthority: `127.0.0.1:${port}`, pid: child.pid ?? 0,
        folderUrl: (folder) => `${url}/?folder=${folder.split("/").map(encodeURIComponent).join("/")}`,
        stop
    };
}

/** `publisher.name-version`, the folder name VS Code expects for an installed extension. */
export function getExtensionFolderName() {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    return `${manifest.publisher}.${manifest.name}-${manifest.version}`;
}

/**
 * Copies a workspace folder (by default the sample `test/workspace`) into `parentDir`, so tests can edit it.
 * @param {string} parentDir
 * @param {string} [source] Defaults to `test/workspace`.
 */
export function copyWorkspace(parentDir, source = path.join(repoRoot, "test", "workspace")) {
    const target = path.join(parentDir, "workspace");
    cpSync(source, target, {recursive: true});
    return target;
}

async function installVsix(commonArgs, vsix, env, cwd) {
    const child = spawn(nodeBinary, [...commonArgs, "--install-extension", path.resolve(vsix), "--force"], {cwd, env, stdio: ["ignore", "pipe", "pipe"]});
    let output = "";
    child.stdout.on("data", (chunk) => { output += chunk; });
    child.stderr.on("data", (chunk) => { output += chunk; });
    const code = await new Promise((resolve) => child.once("exit", resolve));
    if (code !== 0 || !/successfully installed/i.test(output))
        throw new Error(`code-server --install-extension ${vsix} failed (${code}):\n${output}`);
}

function getFreePort() {
    return new Promise((resolve, reject) => {
        const server = createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const address = server.address();
            server.close(() => resolve(typeof address === "object" && address != null ? address.port : 0));
        });
    });
}

async function waitForHealthz(url, timeoutMs, exited) {
    const deadline = Date.now() + timeoutMs;
    let exitCode;
    exited.then((code) => { exitCode = code ?? "signal"; });
    while (Date.now() < deadline) {
        if (exitCode !== undefined)
            throw new Error(`code-server exited (${exitCode}) before it was ready`);
        try {
            const response = await fetch(`${url}/healthz`, {signal: AbortSignal.timeout(2000)});
            if (response.ok)
                return;
        } catch {
            // Not listening yet.
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

function parseCliArgs(argv) {
    const options = {port: 0, folder: path.join(repoRoot, "test", "workspace"), smokeTestDriver: false};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--port")
            options.port = Number(argv[++i]);
        else if (arg === "--folder")
            options.folder = path.resolve(argv[++i] ?? "");
        else if (arg === "--smoke-test-driver")
            options.smokeTestDriver = true;
        else
            throw new Error(`unknown argument ${arg} (use --port N, --folder DIR, --smoke-test-driver)`);
    }
    return options;
}

/**
 * Settings of `npm start`, for a person trying the extension: unlike the tests' quiet profile, VS Code opens
 * on its Welcome page, which lists ConPET's walkthrough.
 */
const newcomerSettings = {
    "workbench.startupEditor": "welcomePage",
    "workbench.welcomePage.walkthroughs.openOnInstall": true
};

/**
 * Runs code-server until Ctrl-C, printing the URL of `folder`.
 * @param {{port?: number, folder: string, smokeTestDriver?: boolean}} options
 */
export async function serveUntilInterrupted({port = 0, folder, smokeTestDriver = false}) {
    const server = await startCodeServer({port, smokeTestDriver, echo: process.env.CONPET_VERBOSE === "1", userSettings: newcomerSettings});
    console.log(`\nConPET in VS Code: ${server.folderUrl(folder)}`);
    if (process.env.CONPET_MODEL)
        console.log(`Model (CONPET_MODEL): ${process.env.CONPET_MODEL}`);
    console.log(`code-server log: ${server.logFile}\nPress Ctrl-C to stop.`);
    await new Promise((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
    });
    await server.stop();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    try {
        await serveUntilInterrupted(parseCliArgs(process.argv.slice(2)));
    } catch (err) {
        console.error(err instanceof Error ? err.message : String(err));
        process.exit(1);
    }
}
