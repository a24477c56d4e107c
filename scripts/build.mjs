// Bundles every build target with esbuild. Native modules (node-llama-cpp, sqlite3) stay external,
// as their docs require; `vscode` is provided by the extension host.
import {existsSync} from "node:fs";
import {build} from "esbuild";

const common = {bundle: true, sourcemap: true, logLevel: "info", legalComments: "none"};
const nodeExternal = ["vscode", "node-llama-cpp", "sqlite3"];

/** Each target is built only once its entry exists, so the tree builds at every stage of the work. */
const targets = [
    // Extension host: CommonJS, because VS Code loads extensions with require().
    {entryPoints: ["src/extension/extension.ts"], outfile: "dist/extension.cjs", platform: "node", format: "cjs", target: "node20", external: nodeExternal},
    // Engine and CLI run as plain Node (or Electron-as-Node) processes: ESM, as node-llama-cpp is ESM-only.
    {entryPoints: ["src/engine/engineMain.ts"], outfile: "dist/engine.mjs", platform: "node", format: "esm", target: "node20", external: nodeExternal},
    {entryPoints: ["src/cli/cli.ts"], outfile: "dist/cli.mjs", platform: "node", format: "esm", target: "node20", external: nodeExternal, banner: {js: "#!/usr/bin/env node\nimport {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);"}},
    // Webviews: browser bundles, no Node.
    {entryPoints: ["webview/panel/main.ts"], outfile: "dist/webview-panel.js", platform: "browser", format: "iife", target: "es2022"},
    // Extension-host tests (mocha inside the real VS Code).
    {entryPoints: ["test/extension/index.ts"], outfile: "dist/test/extension/index.cjs", platform: "node", format: "cjs", target: "node20", external: [...nodeExternal, "mocha"]}
];

for (const target of targets) {
    if (!target.entryPoints.every((entry) => existsSync(entry)))
        continue;
    await build({...common, ...target});
}
