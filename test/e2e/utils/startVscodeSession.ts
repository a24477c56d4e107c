import {execFileSync} from "node:child_process";
import {mkdtempSync, rmSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import type {Browser} from "playwright-core";
import {openBrowser} from "../../../scripts/vscode/openBrowser.mjs";
import {copyWorkspace, startCodeServer, type CodeServer} from "../../../scripts/vscode/startCodeServer.mjs";
import {repoRoot} from "../../../scripts/vscode/toolPaths.mjs";
import {Workbench} from "./Workbench";

export type VscodeSessionOptions = {
    /** Set as `CONPET_MODEL`, so the extension starts with this model selected. Defaults to none. */
    modelPath?: string;
    /** User settings over the harness defaults. Defaults to `{}`. */
    userSettings?: Record<string, unknown>;
    /**
     * Where screenshots go. Defaults to `$CONPET_SCREENSHOTS_DIR`, else `.conpet-test/screenshots` (ignored by git:
     * tests leave the tree as they found it; `npm run screenshots` refreshes the README's in `docs/screenshots`).
     */
    screenshotsDir?: string;
};

export type VscodeSession = {
    workbench: Workbench;
    server: CodeServer;
    /** The copy of `test/workspace` that is open. */
    workspace: string;
    /** `conpet.storageLocation`: the database and adapters of this session. */
    storeDir: string;
    /** Process ids of the extension's engine processes (children in code-server's process group). */
    findEnginePids(): number[];
    dispose(): Promise<void>;
};

/**
 * A real VS Code for UI tests: code-server WITHOUT the smoke-test driver (so notifications show), the
 * extension installed by symlink, a copy of the sample workspace, and headless chromium on it.
 */
export async function startVscodeSession(options: VscodeSessionOptions = {}): Promise<VscodeSession> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "conpet-e2e-"));
    const workspace = copyWorkspace(dir);
    // A test may bring a prepared store (`conpet.storageLocation` in its settings); else the session gets an empty one.
    const storeDir = typeof options.userSettings?.["conpet.storageLocation"] === "string" ? options.userSettings["conpet.storageLocation"] : path.join(dir, "store");
    let server: CodeServer | undefined;
    let browser: Browser | undefined;
    const dispose = async () => {
        await browser?.close().catch(() => undefined);
        await server?.stop();
        rmSync(dir, {recursive: true, force: true, maxRetries: 3});
    };
    try {
        server = await startCodeServer({
            dir: path.join(dir, "server"),
            env: {CONPET_TEST_HOOKS: "1", CONPET_MODEL: options.modelPath},
            userSettings: {
                "workbench.colorTheme": "Default Dark Modern",
                "conpet.threads": 1,
                ...options.userSettings
            },
            machineSettings: {"conpet.storageLocation": storeDir}
        });
        const opened = await openBrowser();
        browser = opened.browser;
        await opened.page.goto(server.folderUrl(workspace));
        const workbench = new Workbench(opened.page, options.screenshotsDir ?? (process.env.CONPET_SCREENSHOTS_DIR || path.join(repoRoot, ".conpet-test", "screenshots")));
        await workbench.waitForReady();
        const groupId = server.pid;
        return {
            workbench, server, workspace, storeDir, dispose,
            findEnginePids: () => findProcesses(groupId, "engine.mjs")
        };
    } catch (err) {
        await dispose();
        throw err;
    }
}

/** Processes in a process group whose command line contains `needle`. */
function findProcesses(groupId: number, needle: string): number[] {
    const table = execFileSync("ps", ["-eo", "pid=,pgid=,args="], {encoding: "utf8"});
    return table.split("\n")
        .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
        .filter((match): match is RegExpMatchArray => match !== null && Number(match[2]) === groupId && match[3]!.includes(needle))
        .map((match) => Number(match[1]));
}
