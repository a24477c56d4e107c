#!/usr/bin/env node
// `npm start`: on a fresh clone (after `npm ci`) installs code-server and chromium, builds the extension and,
// when it is missing, the native trainer, then opens the extension in VS Code (code-server in the browser) on
// the sample workspace and prints the URL. `CONPET_MODEL=/path/model.gguf npm start` starts with that model
// selected (the extension reads the variable). `PORT` picks the port (default 8080, or a free one if taken).
// `--no-build` skips the builds.
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {createServer} from "node:net";
import path from "node:path";
import {trainerExecutableName} from "../platformTargets.mjs";
import {setupVscode} from "./setupVscode.mjs";
import {serveUntilInterrupted} from "./startCodeServer.mjs";
import {repoRoot} from "./toolPaths.mjs";

const trainerBinary = path.join(repoRoot, "native", "build", "bin", trainerExecutableName);
const workspace = path.join(repoRoot, "test", "workspace");
const defaultPort = 8080;

function npmRun(script) {
    console.log(`[start] npm run ${script}`);
    const result = spawnSync("npm", ["run", "--silent", script], {cwd: repoRoot, stdio: "inherit"});
    if (result.status !== 0)
        throw new Error(`npm run ${script} failed (${result.status ?? result.signal})`);
}

function isPortFree(port) {
    return new Promise((resolve) => {
        const server = createServer();
        server.once("error", () => resolve(false));
        server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
}

try {
    const started = Date.now();
    await setupVscode();
    if (!process.argv.includes("--no-build")) {
        if (!existsSync(trainerBinary))
            npmRun("build:native");
        npmRun("build");
    }
    if (process.env.CONPET_MODEL && !existsSync(process.env.CONPET_MODEL))
        console.warn(`[start] CONPET_MODEL=${process.env.CONPET_MODEL} does not exist; the extension will say so.`);
    const wanted = Number(process.env.PORT ?? defaultPort);
    const port = await isPortFree(wanted) ? wanted : 0;
    console.log(`[start] ready to launch after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await serveUntilInterrupted({port, folder: workspace});
} catch (err) {
    console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
}
