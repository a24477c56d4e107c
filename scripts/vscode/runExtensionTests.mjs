#!/usr/bin/env node
// `npm run test:extension`: runs the mocha suite (test/extension, bundled to dist/test/extension) inside the
// extension host of a real VS Code (code-server, offline). The smoke-test driver reports the host's exit code
// to the page, where `codeAutomationExit` hands it to this script; mocha's report is printed as it runs.
// Two passes: the suite in a trusted workspace, then `test/extension/untrusted/` in a second code-server
// that opens the workspace in Restricted Mode (`CONPET_TEST_UNTRUSTED=1` tells the entry which files to load).
// Options: `--grep PATTERN` (the trusted pass only), `--untrusted` (the untrusted pass only), `--timeout SECONDS`
// (each pass; default 900), `--keep` (keep the temp folder). `runExtensionTests({vsix})` (used by `npm run package
// -- --check`) runs only `test/extension/vsix/` against the extension installed from that VSIX instead.
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {pathToFileURL} from "node:url";
import {openBrowser} from "./openBrowser.mjs";
import {setupVscode} from "./setupVscode.mjs";
import {copyWorkspace, startCodeServer} from "./startCodeServer.mjs";
import {repoRoot} from "./toolPaths.mjs";

const testsEntry = path.join(repoRoot, "dist", "test", "extension", "index.cjs");
const logsDir = path.join(repoRoot, ".conpet-test", "extension-logs");
const testModelPath = path.resolve(repoRoot, "..", "shared", "models", "stories260K.gguf");

function parseArgs(argv) {
    const options = {grep: "", timeoutSeconds: 900, keep: false, untrusted: false};
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === "--grep")
            options.grep = argv[++i] ?? "";
        else if (argv[i] === "--timeout")
            options.timeoutSeconds = Number(argv[++i]);
        else if (argv[i] === "--keep")
            options.keep = true;
        else if (argv[i] === "--untrusted")
            options.untrusted = true;
        else
            throw new Error(`unknown argument ${argv[i]}`);
    }
    return options;
}

/**
 * @param {{grep?: string, timeoutSeconds?: number, keep?: boolean, untrusted?: boolean, vsix?: string}} options `vsix`: install
 *   this VSIX and run only the `vsix/` tests against it.
 * @returns {Promise<number>} the extension host's exit code (0 when every test passed; the first failing pass's otherwise)
 */
export async function runExtensionTests({grep = "", timeoutSeconds = 900, keep = false, untrusted = false, vsix} = {}) {
    if (!existsSync(testsEntry))
        throw new Error(`${testsEntry} is missing: run \`npm run build\` first`);
    await setupVscode({quiet: true});

    const started = Date.now();
    const dir = mkdtempSync(path.join(os.tmpdir(), "conpet-extension-tests-"));
    // `--grep` reruns a test of the main suite; the untrusted pass would only add a code-server start.
    const passes = vsix !== undefined ? ["vsix"] : untrusted ? ["untrusted"] : grep !== "" ? ["trusted"] : ["trusted", "untrusted"];
    let exitCode = 0;
    try {
        for (const pass of passes) {
            const passDir = path.join(dir, pass);
            mkdirSync(passDir);
            const passCode = await runInVscode(passDir, grep, timeoutSeconds, started, pass, vsix);
            if (pass !== "trusted")
                console.log(`extension tests (${pass} pass): exit code ${passCode}`);
            if (exitCode === 0)
                exitCode = passCode;
        }
    } finally {
        if (!keep)
            rmSync(dir, {recursive: true, force: true, maxRetries: 3});
    }
    console.log(`extension tests: exit code ${exitCode} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return exitCode;
}

/**
 * One pass in a fresh code-server. `pass`: `trusted` and `untrusted` load the extension from the repository as
 * the development extension; `vsix` installs `vsix` as a user would, and a stub development extension only carries
 * the tests, so the copy under test is the installed one.
 */
async function runInVscode(dir, grep, timeoutSeconds, started, pass, vsix) {
    const untrusted = pass === "untrusted";
    const workspace = copyWorkspace(dir);
    const outputFile = path.join(dir, "mocha-output.txt");
    writeFileSync(outputFile, "");
    const server = await startCodeServer({
        dir: path.join(dir, "server"),
        smokeTestDriver: true,
        install: pass === "vsix" ? {vsix} : "none",
        untrusted,
        env: {
            CONPET_TEST_UNTRUSTED: untrusted ? "1" : undefined,
            CONPET_TEST_VSIX: pass === "vsix" ? "1" : undefined,
            CONPET_TEST_OUTPUT: outputFile,
            CONPET_TEST_GREP: grep,
            CONPET_TEST_HOOKS: "1",
            // Tests that need the model read its path from here (ESM helpers with import.meta do not bundle to CJS).
            CONPET_TEST_MODEL_PATH: existsSync(testModelPath) ? testModelPath : undefined
        }
    });
    console.log(`code-server ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${server.url}`);

    let printed = 0;
    const printNewOutput = () => {
        const text = readFileSync(outputFile, "utf8");
        if (text.length > printed) {
            process.stdout.write(text.slice(printed));
            printed = text.length;
        }
    };
    const tail = setInterval(printNewOutput, 500);
    const pageErrors = [];
    let browser;
    let exitCode;
    try {
        const opened = await openBrowser();
        browser = opened.browser;
        const page = opened.page;
        page.on("console", (message) => {
            if (message.type() === "error")
                pageErrors.push(message.text());
        });
        const exit = new Promise((resolve) => {
            void page.exposeFunction("codeAutomationExit", (code, logs) => {
                saveLogs(logs);
                resolve(typeof code === "number" ? code : 1);
            });
        });
        // The workbench's own log lines; kept for a failing run rather than printed.
        const workbenchLog = [];
        await page.exposeFunction("codeAutomationLog", (level, message) => {
            workbenchLog.push(`[${level}] ${Array.isArray(message) ? message.join(" ") : String(message)}`);
        });
        const authority = server.remoteAuthority;
        const developmentPath = pass === "vsix" ? createStubExtension(dir) : repoRoot;
        const payload = [
            ["extensionDevelopmentPath", `vscode-remote://${authority}${developmentPath}`],
            ["extensionTestsPath", `vscode-remote://${authority}${testsEntry}`]
        ];
        await page.goto(`${server.folderUrl(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
        const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), timeoutSeconds * 1000).unref());
        const result = await Promise.race([exit, timeout]);
        printNewOutput();
        if (result === "timeout") {
            console.error(`\nExtension tests did not finish within ${timeoutSeconds} s.`);
            exitCode = 124;
        } else
            exitCode = result;
        if (exitCode !== 0) {
            mkdirSync(logsDir, {recursive: true});
            writeFileSync(path.join(logsDir, "workbench.log"), workbenchLog.join("\n"));
            writeFileSync(path.join(logsDir, "page-errors.log"), pageErrors.join("\n"));
            await page.screenshot({path: path.join(logsDir, "window.png")}).catch(() => undefined);
            if (existsSync(server.logFile))
                writeFileSync(path.join(logsDir, "code-server.log"), readFileSync(server.logFile));
            // The remote extension host's logs, with the extension's output channel (ConPET.log).
            const serverLogs = path.join(server.dir, "user-data", "logs");
            if (existsSync(serverLogs))
                cpSync(serverLogs, path.join(logsDir, "server"), {recursive: true});
            if (statSync(outputFile).size === 0)
                console.error("The suite printed nothing: did the extension host load dist/test/extension/index.cjs?");
            console.error(`Logs: ${logsDir}`);
        }
    } finally {
        clearInterval(tail);
        await browser?.close().catch(() => undefined);
        await server.stop();
    }
    return exitCode;
}

/** The smoke-test driver sends the window's and the extension host's log files with the exit code. */
function saveLogs(logs) {
    if (!Array.isArray(logs))
        return;
    rmSync(logsDir, {recursive: true, force: true});
    for (const {relativePath, contents} of logs) {
        const target = path.join(logsDir, "vscode", String(relativePath).replace(/\.\.(\/|\\)/g, ""));
        mkdirSync(path.dirname(target), {recursive: true});
        writeFileSync(target, String(contents));
    }
}

/** An extension with nothing but a manifest: VS Code needs a development extension to run tests from. */
function createStubExtension(dir) {
    const stub = path.join(dir, "test-runner-extension");
    mkdirSync(stub);
    writeFileSync(path.join(stub, "package.json"), JSON.stringify({name: "conpet-vsix-tests", publisher: "conpet", version: "0.0.0", engines: {vscode: "^1.90.0"}}));
    return stub;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    try {
        process.exitCode = await runExtensionTests(parseArgs(process.argv.slice(2)));
    } catch (err) {
        console.error(err instanceof Error ? err.stack ?? err.message : String(err));
        process.exitCode = 1;
    }
}
