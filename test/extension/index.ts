// The extension-host test entry (`extensionTestsPath`): VS Code loads this bundle inside the real extension
// host and calls `run()`; its promise decides the host's exit code, which the harness reads. The same file
// serves code-server (scripts/vscode/runExtensionTests.mjs) and @vscode/test-electron (runElectronTests.mjs).
import {appendFileSync, readdirSync} from "node:fs";
import path from "node:path";
import {format} from "node:util";

// mocha 12's main entry is ESM; its CommonJS build loads with require() on every Node an extension host has.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha: typeof import("mocha") = require("mocha/lib/mocha.cjs");

/** Environment variable: a file the report is also appended to (the code-server harness prints it). */
const outputFileEnvVar = "CONPET_TEST_OUTPUT";
/** Environment variable: only tests whose full title matches this pattern run. */
const grepEnvVar = "CONPET_TEST_GREP";
/** Environment variable: `1` when the harness opened the workspace in Restricted Mode; only `untrusted/` runs then. */
const untrustedEnvVar = "CONPET_TEST_UNTRUSTED";
/** Environment variable: `1` when the extension under test is the one installed from the VSIX; only `vsix/` runs then. */
const vsixEnvVar = "CONPET_TEST_VSIX";
/** Folders of tests that need a pass of their own; the main pass runs everything else. */
const passFolders = ["untrusted", "vsix"];

/** Runs every `*.test.cjs` bundle beside this one (recursively) with mocha's TDD interface. */
export async function run(): Promise<void> {
    const outputFile = process.env[outputFileEnvVar];
    if (outputFile !== undefined && outputFile !== "")
        teeReportTo(outputFile);

    const grep = process.env[grepEnvVar];
    const mocha = new Mocha({
        ui: "tdd",
        reporter: "spec",
        color: false,
        // Loading and training on the reference model takes seconds on a 2-core machine.
        timeout: 120_000,
        ...(grep !== undefined && grep !== "" ? {grep} : {})
    });
    const pass = process.env[untrustedEnvVar] === "1" ? "untrusted" : process.env[vsixEnvVar] === "1" ? "vsix" : undefined;
    const files = readdirSync(__dirname, {recursive: true})
        .map(String)
        .filter((name) => name.endsWith(".test.cjs") && passFolders.find((folder) => name.startsWith(folder + path.sep)) === pass)
        .sort();
    for (const file of files)
        mocha.addFile(path.join(__dirname, file));

    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    if (failures > 0)
        throw new Error(`${failures} extension test${failures === 1 ? "" : "s"} failed`);
}

/**
 * The extension host forwards console output to the window in its own format; a plain file beside it gives
 * the harness mocha's report verbatim, whatever the host does with the console.
 */
function teeReportTo(file: string): void {
    const consoleLog = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
        consoleLog(...args);
        try {
            appendFileSync(file, format(...args) + "\n");
        } catch {
            // The report on the console is still complete.
        }
    };
}
