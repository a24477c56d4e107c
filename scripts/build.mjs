// Bundles every build target with esbuild. Native modules (node-llama-cpp, sqlite3) stay external,
// as their docs require; `vscode` is provided by the extension host.
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {build} from "esbuild";

const common = {bundle: true, sourcemap: true, logLevel: "info", legalComments: "none"};
const nodeExternal = ["vscode", "node-llama-cpp", "sqlite3"];
// CommonJS has no `import.meta`: give `import.meta.url` the bundle's own file URL, as in the ESM
// bundles and the sources, so modules that locate files next to themselves work in every format.
const cjsImportMetaUrl = {define: {"import.meta.url": "__importMetaUrl"}, banner: {js: "const __importMetaUrl = require(\"node:url\").pathToFileURL(__filename).href;"}};

/** Each target is built only once its entry exists, so the tree builds at every stage of the work. */
const targets = [
    // Extension host: CommonJS, because VS Code loads extensions with require().
    {entryPoints: ["src/extension/extension.ts"], outfile: "dist/extension.cjs", platform: "node", format: "cjs", target: "node20", external: nodeExternal, ...cjsImportMetaUrl},
    // Engine and CLI run as plain Node (or Electron-as-Node) processes: ESM, as node-llama-cpp is ESM-only.
    {entryPoints: ["src/engine/process/engineMain.ts"], outfile: "dist/engine.mjs", platform: "node", format: "esm", target: "node20", external: nodeExternal},
    {entryPoints: ["src/cli/cli.ts"], outfile: "dist/cli.mjs", platform: "node", format: "esm", target: "node20", external: nodeExternal, banner: {js: "#!/usr/bin/env node\nimport {createRequire as __cr} from 'node:module'; const require = __cr(import.meta.url);"}},
    // Webviews: browser bundles, no Node.
    {entryPoints: ["webview/panel/main.ts"], outfile: "dist/webview-panel.js", platform: "browser", format: "iife", target: "es2022"},
    // Extension-host tests (mocha inside the real VS Code).
    {entryPoints: ["test/extension/index.ts"], outfile: "dist/test/extension/index.cjs", platform: "node", format: "cjs", target: "node20", external: [...nodeExternal, "mocha"], ...cjsImportMetaUrl},
    // One bundle per test file beside it (`*.test.cjs`), which the runner above finds and hands to mocha.
    {entryPoints: ["test/extension/**/*.test.ts"], outbase: "test/extension", outdir: "dist/test/extension", outExtension: {".js": ".cjs"}, platform: "node", format: "cjs", target: "node20", external: [...nodeExternal, "mocha"], ...cjsImportMetaUrl}
];

// A plain entry must exist; a glob entry needs some file under its folder that ends like the pattern.
function hasEntry(entry) {
    if (!entry.includes("*"))
        return existsSync(entry);
    const directory = entry.slice(0, entry.indexOf("*")).replace(/\/$/, "");
    const suffix = entry.slice(entry.lastIndexOf("*") + 1);
    return existsSync(directory) && readdirSync(directory, {recursive: true}).some((name) => String(name).endsWith(suffix));
}

for (const target of targets) {
    if (!target.entryPoints.every(hasEntry))
        continue;
    await build({...common, ...target});
}

// The trust anchor of "Enable GPU Acceleration" (src/gpuBackend): node-llama-cpp's version and the version and
// sha512 of each of its prebuilt packages as package-lock.json pins them. The VSIX does not ship the lockfile.
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const pinned = Object.entries(lock.packages)
    .filter(([key, entry]) => key.startsWith("node_modules/@node-llama-cpp/") && typeof entry.integrity === "string")
    .map(([key, entry]) => [key.slice("node_modules/".length), {version: entry.version, integrity: entry.integrity}]);
mkdirSync("dist", {recursive: true});
writeFileSync("dist/gpu-backends.json", `${JSON.stringify({nodeLlamaCppVersion: lock.packages["node_modules/node-llama-cpp"].version, packages: Object.fromEntries(pinned)}, null, 2)}\n`);
