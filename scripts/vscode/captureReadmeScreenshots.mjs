#!/usr/bin/env node
// `npm run screenshots:readme -- STORE`: the README's hero screenshots (docs/screenshots/panel.png, routed-answer.png,
// panel-heatmap.png) from a realistic store, not from the walkthrough's 20-step test run. STORE (or the env
// CONPET_SCREENSHOT_STORE) is a ConPET store folder trained at the shipped defaults, e.g. the folder `conpet bench`
// leaves (the first line of its log: `store <folder>`). It is COPIED to a temp folder; the original is never touched.
// Then a real VS Code (code-server, notifications on) opens with the extension installed, `conpet.storageLocation`
// at the copy and `conpet.modelPath` at the reference model; a held-out snippet of the store's own test set is put in a
// workspace file, selected and answered with "ConPET: Run on Selection" (snippets are tried in a fixed order until one
// is routed to its own task and answered right; the panel's numbers are those of the whole test set), and the
// sidebar, the notification and the panel (modules with held-out accuracy, selector, heatmap) are captured.
//
// Options: --out DIR (defaults to docs/screenshots), --model FILE (defaults to $CONPET_MODEL, else
// ../shared/models/stories260K.gguf), --attempts N (snippets to try, defaults to 8). Needs the bundles
// (`node scripts/build.mjs`, which the npm script runs) and code-server (`npm run setup:vscode`).
import {spawnSync} from "node:child_process";
import {copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {repoRoot} from "./toolPaths.mjs";

// The UI driver of the e2e tests is TypeScript: without tsx loaded, rerun this file under it.
if (!process.execArgv.some((arg) => arg.includes("tsx"))) {
    const result = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), ...process.argv.slice(2)], {cwd: repoRoot, stdio: "inherit"});
    process.exit(result.status ?? 1);
}

const {openBrowser} = await import("./openBrowser.mjs");
const {setupVscode} = await import("./setupVscode.mjs");
const {startCodeServer} = await import("./startCodeServer.mjs");
const {Workbench} = await import("../../test/e2e/utils/Workbench.ts");

/** Loading the model, a first answer and the panel can each take minutes on a busy 2-core machine. */
const slowMs = 5 * 60_000;

/** File extensions for a label, so the snippet's editor is highlighted as its language. */
const extensions = {
    c: "c", go: "go", python: "py", rust: "rs", java: "java", javascript: "js", ruby: "rb", shell: "sh",
    cpp: "cpp", perl: "pl", sql: "sql", typescript: "ts", css: "css", html: "html", lua: "lua", php: "php"
};

const options = parseArgs(process.argv.slice(2));
const log = (message) => console.log(`[screenshots] ${message}`);

const work = mkdtempSync(path.join(os.tmpdir(), "conpet-readme-shots-"));
let server;
let browser;
try {
    const store = path.join(work, "store");
    cpSync(options.store, store, {recursive: true});
    log(`store ${options.store} copied to ${store}`);
    const facts = await readStore(store);
    log(`${facts.tasks.length} tasks (${facts.tasks.map((t) => t.name).join(", ")}), ${facts.moduleCount} task modules; held-out accuracy after the last task: ${facts.tasks.map((t) => `${t.name} ${formatPercent(t.heldOut)}`).join(", ")}`);

    const workspace = path.join(work, "workspace");
    mkdirSync(workspace);
    const candidates = pickCandidates(facts, options.attempts);
    if (candidates.length === 0)
        throw new Error("the store has no test samples to run");
    const usedNames = new Set();
    for (const candidate of candidates) {
        candidate.file = snippetFileName(candidate, usedNames);
        writeFileSync(path.join(workspace, candidate.file), candidate.input.endsWith("\n") ? candidate.input : `${candidate.input}\n`);
    }

    await setupVscode({quiet: true});
    // `conpet.storageLocation` and `conpet.modelPath` are machine(-overridable) settings, which a remote window (as
    // code-server's is) reads from the server's Machine settings, not from the User settings.
    const serverDir = path.join(work, "server");
    const machineSettings = {"conpet.storageLocation": store, "conpet.modelPath": options.model, "conpet.threads": 1};
    mkdirSync(path.join(serverDir, "user-data", "Machine"), {recursive: true});
    writeFileSync(path.join(serverDir, "user-data", "Machine", "settings.json"), JSON.stringify(machineSettings, null, 4));
    server = await startCodeServer({
        dir: serverDir,
        // The setting names the model, not a variable of whoever runs this; no test hooks.
        env: {CONPET_MODEL: undefined, CONPET_TEST_HOOKS: undefined},
        userSettings: {
            "workbench.colorTheme": "Default Dark Modern",
            // The built-in PHP support would add a toast of its own (no PHP installed) next to ConPET's answer.
            "php.validate.enable": false,
            ...machineSettings
        }
    });
    log(`code-server at ${server.url} (log ${server.logFile})`);
    const opened = await openBrowser();
    browser = opened.browser;
    await opened.page.goto(server.folderUrl(workspace));
    // Written here first, and into --out only once all three are taken: a failed run leaves the README's images as they were.
    const shots = path.join(work, "shots");
    const ui = new Workbench(opened.page, shots);
    await ui.waitForReady(slowMs);
    await ui.page.locator(".statusbar-item", {hasText: path.basename(options.model, ".gguf")}).first().waitFor({timeout: slowMs});
    const sidebar = await ui.openViewContainer("ConPET");
    await ui.treeItem(sidebar, new RegExp(`^Task ${escapeRegExp(facts.tasks[0].name)}, ready`)).waitFor({timeout: slowMs});

    // A held-out snippet, selected in its file and answered; the first routed to its own task and answered right is kept.
    let shown;
    for (const [i, candidate] of candidates.entries()) {
        await ui.clearNotifications();
        // The sidebar shows the snippet's task opened (its module and samples).
        const taskItem = ui.treeItem(sidebar, new RegExp(`^Task ${escapeRegExp(candidate.task)}, `)).first();
        await taskItem.click();
        await ui.page.keyboard.press("ArrowRight");
        await ui.openFile(candidate.file);
        await ui.page.keyboard.press("Control+A");
        await ui.page.locator(".statusbar-item", {hasText: /selected\)/}).first().waitFor({timeout: 30_000});
        await ui.runCommand("ConPET: Run on Selection");
        const toast = await ui.waitForNotification(/ConPET → /, slowMs);
        const message = await ui.getNotificationMessage(toast);
        const match = message.match(/^ConPET → (.*?)\s+·.*routed to "([^"]+)"/);
        const answer = match?.[1]?.trim();
        const routedTo = match?.[2];
        const right = routedTo === candidate.task && answer === candidate.output.trim();
        log(`snippet ${i + 1} (${candidate.file}, ${candidate.task}, expected ${JSON.stringify(candidate.output)}): ${message}${right ? "" : " (not kept)"}`);
        if (right || i === candidates.length - 1) {
            if (!right)
                log(`WARNING: no snippet of ${candidates.length} was routed to its task and answered right; the last one is shown`);
            shown = candidate;
            await closeOtherToasts(ui);
            await ui.screenshot("routed-answer");
            break;
        }
        await taskItem.click();
        await ui.page.keyboard.press("ArrowLeft");
    }

    await ui.clearNotifications();
    await ui.runCommand("ConPET: Open Panel");
    const panel = ui.webviewFrame();
    for (const task of facts.tasks)
        await panel.getByText(task.name).first().waitFor({timeout: slowMs});
    await panel.locator("#loss-chart").waitFor({state: "visible", timeout: slowMs});
    // The engine's facts and the last answer arrive with the state; wait until the panel shows numbers, not dashes.
    await panel.locator("#heatmap-caption", {hasText: /average held-out accuracy \d/}).waitFor({timeout: slowMs});
    await panel.getByText(shown.input.split("\n")[0].trim().slice(0, 40)).first().waitFor({timeout: 60_000}).catch(() => log("the panel does not show the last answer's input"));
    await ui.screenshot("panel");
    await panel.locator("#heatmap-chart").waitFor({state: "visible", timeout: slowMs});
    await panel.locator("#heatmap").scrollIntoViewIfNeeded();
    await ui.screenshot("panel-heatmap");
    log(`heatmap: ${await panel.locator("#heatmap-caption").textContent()}`);
    mkdirSync(options.out, {recursive: true});
    for (const name of ["routed-answer", "panel", "panel-heatmap"]) {
        copyFileSync(path.join(shots, `${name}.png`), path.join(options.out, `${name}.png`));
        log(`wrote ${path.join(options.out, `${name}.png`)}`);
    }
} catch (err) {
    console.error(`[screenshots] failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    if (server !== undefined)
        console.error(`[screenshots] code-server log: ${server.logFile} (kept in ${work})`);
    process.exitCode = 1;
} finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (process.exitCode !== 1)
        rmSync(work, {recursive: true, force: true, maxRetries: 3});
}

function parseArgs(argv) {
    const parsed = {store: process.env.CONPET_SCREENSHOT_STORE || undefined, out: path.join(repoRoot, "docs", "screenshots"), model: process.env.CONPET_MODEL || path.resolve(repoRoot, "..", "shared", "models", "stories260K.gguf"), attempts: 8};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--out")
            parsed.out = path.resolve(argv[++i] ?? "");
        else if (arg === "--model")
            parsed.model = path.resolve(argv[++i] ?? "");
        else if (arg === "--attempts")
            parsed.attempts = Math.max(1, Number(argv[++i]) || 1);
        else if (!arg.startsWith("--") && parsed.storeFromArg === undefined)
            parsed.storeFromArg = parsed.store = path.resolve(arg);
        else
            fail(`unknown argument ${arg} (use STORE, --out DIR, --model FILE, --attempts N)`);
    }
    if (parsed.store === undefined)
        fail("give the store folder: `npm run screenshots:readme -- STORE`, or CONPET_SCREENSHOT_STORE=STORE");
    parsed.store = path.resolve(parsed.store);
    if (!existsSync(path.join(parsed.store, "conpet.db")))
        fail(`${parsed.store} is not a ConPET store (no conpet.db)`);
    if (!existsSync(parsed.model))
        fail(`the model ${parsed.model} does not exist (--model FILE)`);
    return parsed;
}

function fail(message) {
    console.error(`captureReadmeScreenshots: ${message}`);
    process.exit(2);
}

/** The tasks with their last held-out accuracy, the number of task modules and every test sample, from the copy. */
async function readStore(storeDir) {
    const sqlite3 = createRequire(import.meta.url)("sqlite3");
    const db = await new Promise((resolve, reject) => {
        const handle = new sqlite3.Database(path.join(storeDir, "conpet.db"), (err) => err ? reject(err) : resolve(handle));
    });
    const all = (sql) => new Promise((resolve, reject) => db.all(sql, (err, rows) => err ? reject(err) : resolve(rows)));
    try {
        const [lease] = await all("SELECT pid, label, heartbeat_at AS heartbeat FROM training_lease");
        if (lease !== undefined && isAlive(lease.pid) && Date.now() - Date.parse(lease.heartbeat) < 5 * 60_000)
            throw new Error(`the store is being trained right now (${lease.label}, process ${lease.pid}): wait until it is finished`);
        const tasks = await all("SELECT id, name, kind FROM tasks ORDER BY id");
        const [evaluation] = await all("SELECT tasks, accuracy_matrix FROM evaluations ORDER BY id DESC LIMIT 1");
        if (evaluation === undefined)
            throw new Error("the store has no evaluation: was its benchmark (or training) finished?");
        const [{count: moduleCount}] = await all("SELECT COUNT(*) AS count FROM modules WHERE kind = 'task-lora'");
        const samples = await all("SELECT task_id AS taskId, input, output FROM samples WHERE split = 'test' ORDER BY id");
        const names = JSON.parse(evaluation.tasks);
        const lastRow = JSON.parse(evaluation.accuracy_matrix).at(-1) ?? [];
        return {
            moduleCount,
            tasks: tasks.map((task) => ({...task, heldOut: lastRow[names.indexOf(task.name)] ?? null})),
            samples: samples.map((sample) => ({...sample, task: tasks.find((task) => task.id === sample.taskId)?.name}))
        };
    } finally {
        await new Promise((resolve) => db.close(() => resolve()));
    }
}

/**
 * Up to `count` test samples that read well in an editor (a few lines, not long), taken in turns from the tasks
 * in order of their held-out accuracy; the order is fixed, so a rerun on the same store shows the same snippet.
 */
function pickCandidates(facts, count) {
    const readable = (sample) => {
        const lines = sample.input.split("\n").length;
        return sample.input.length <= 400 && (lines === 1 ? sample.input.length >= 40 : lines >= 5 && lines <= 12);
    };
    const byTask = [...facts.tasks].sort((a, b) => (b.heldOut ?? 0) - (a.heldOut ?? 0) || a.id - b.id)
        .map((task) => {
            const own = facts.samples.filter((sample) => sample.taskId === task.id);
            const nice = own.filter(readable);
            return nice.length > 0 ? nice : own;
        });
    const picked = [];
    for (let round = 0; picked.length < count && byTask.some((samples) => samples.length > round); round++)
        for (const samples of byTask)
            if (samples[round] !== undefined && picked.length < count)
                picked.push({...samples[round]});
    return picked;
}

function snippetFileName(candidate, used) {
    const extension = extensions[candidate.output.trim()] ?? "txt";
    const stem = extension === "txt" ? "review" : "example";
    for (let n = 1; ; n++) {
        const name = `${stem}${n === 1 ? "" : `-${n}`}.${extension}`;
        if (!used.has(name)) {
            used.add(name);
            return name;
        }
    }
}

/** Closes any toast but ConPET's answer (a language extension's hint would crowd the picture). */
async function closeOtherToasts(ui) {
    const others = ui.page.locator(".notifications-toasts .notification-toast").filter({hasNotText: /ConPET → /});
    for (let i = await others.count(); i > 0; i--) {
        const toast = others.first();
        await toast.hover().catch(() => undefined);
        await toast.locator(".codicon-notifications-clear").first().click({timeout: 5_000}).catch(() => undefined);
        await toast.waitFor({state: "hidden", timeout: 5_000}).catch(() => undefined);
    }
}

function isAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    } catch (err) {
        return err?.code === "EPERM";
    }
}

function formatPercent(value) {
    return value === null ? "-" : `${(value * 100).toFixed(1)}%`;
}

function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
