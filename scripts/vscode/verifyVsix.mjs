// `npm run package -- --verify`: checks a packed VSIX on any of its platforms, without VS Code. It unpacks the
// VSIX, checks it holds what that platform needs (the bundles, the pins of the GPU backends, the trainer, sqlite3,
// node-llama-cpp with exactly this target's prebuilt package) and nothing it must not (other platforms' or GPU
// packages, the llama.cpp source bundle), then runs the unpacked copy: the trainer makes a tiny random model,
// the CLI loads it in the engine (sqlite3, node-llama-cpp and the engine process from the VSIX), trains it for two
// steps with the VSIX's trainer, and lists the GPU backends this platform can download.
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {getPlatformTarget, trainerExecutableName} from "../platformTargets.mjs";

/** @param {string} vsix @param {string} targetName */
export function verifyVsix(vsix, targetName) {
    const target = getPlatformTarget(targetName);
    const dir = mkdtempSync(path.join(os.tmpdir(), "conpet-vsix-verify-"));
    try {
        // A VSIX is a zip: Windows' and macOS's own tar (bsdtar) read zips (Git for Windows' GNU tar, which may come
        // first on a runner's PATH, does not), Linux has unzip.
        const tar = process.platform === "win32" ? path.join(process.env.SystemRoot ?? "C:\\Windows", "System32", "tar.exe") : "tar";
        const unpack = process.platform === "linux" ? spawnSync("unzip", ["-q", vsix, "-d", dir]) : spawnSync(tar, ["-xf", vsix, "-C", dir]);
        if (unpack.status !== 0)
            throw new Error(`could not unpack ${vsix}: ${unpack.stderr?.toString() ?? unpack.error?.message}`);
        const root = path.join(dir, "extension");
        const nodeLlamaCpp = path.join("node_modules", "@node-llama-cpp");
        const trainer = path.join(root, "native", "build", "bin", trainerExecutableName);
        const required = [
            "package.json", "dist/extension.cjs", "dist/engine.mjs", "dist/cli.mjs", "dist/webview-panel.js", "dist/gpu-backends.json",
            path.relative(root, trainer), "node_modules/sqlite3/build/Release/node_sqlite3.node", "node_modules/node-llama-cpp/package.json",
            path.join(nodeLlamaCpp, target.nodeLlamaCppPackage, "bins", target.nodeLlamaCppPackage, "llama-addon.node")
        ];
        const missing = required.filter((file) => !existsSync(path.join(root, file)));
        if (missing.length > 0)
            throw new Error(`the ${targetName} VSIX lacks ${missing.join(", ")}`);
        const packages = readdirSync(path.join(root, nodeLlamaCpp));
        if (packages.length !== 1)
            throw new Error(`the ${targetName} VSIX must ship node-llama-cpp's ${target.nodeLlamaCppPackage} package only, not ${packages.join(", ")}`);
        if (existsSync(path.join(root, "node_modules", "node-llama-cpp", "llama", "gitRelease.bundle")))
            throw new Error("the VSIX ships node-llama-cpp's llama.cpp source bundle");

        const work = path.join(dir, "work");
        mkdirSync(work);
        const model = path.join(work, "tiny.gguf");
        const env = {...process.env, CONPET_STORE: path.join(work, "store"), CONPET_GPU_BACKEND_DIR: path.join(work, "gpu-backend"), CONPET_TRAINER: ""};
        const run = (command, args) => {
            const result = spawnSync(command, args, {cwd: dir, env, encoding: "utf8", timeout: 180_000});
            if (result.status !== 0)
                throw new Error(`${path.basename(command)} ${args.join(" ")} failed (${result.status ?? result.signal ?? result.error?.message}):\n${result.stdout}${result.stderr}`);
            return result.stdout;
        };
        const cli = (...args) => JSON.parse(run(process.execPath, [path.join(root, "dist", "cli.mjs"), "--json", ...args]).trim().split("\n").pop());
        run(trainer, ["make-model", "--layers", "2", "--embd", "64", "--heads", "4", "--kv-heads", "4", "--ff", "128", "--vocab", "320", "--type", "f32", "--out", model]);
        const info = cli("info", "--model", model, "--gpu-layers", "0", "--threads", "1");
        if (info.model?.architecture !== "llama" || info.model.backend !== "cpu")
            throw new Error(`the engine from the VSIX loaded ${JSON.stringify(info.model)}`);
        const bench = cli("bench-train", "--model", model, "--seq-len", "16", "--steps", "2", "--batch", "1", "--threads", "1");
        if (!(bench.tokens_per_second > 0))
            throw new Error(`the trainer from the VSIX did not train: ${JSON.stringify(bench)}`);
        const gpu = cli("gpu", "status");
        console.log(`[package] ${path.basename(vsix)} (${(statSync(vsix).size / 2 ** 20).toFixed(1)} MiB) verified on ${targetName}: ${required.length} files, node-llama-cpp's ${packages[0]} only; `
            + `engine loaded a model on ${info.model.backend}, the trainer trained at ${bench.tokens_per_second.toFixed(0)} tokens/s, `
            + `GPU backends to download here: ${gpu.installable.length === 0 ? "none" : gpu.installable.join(", ")} (drivers found: ${gpu.detectedGpus.join(", ") || "none"})`);
    } finally {
        rmSync(dir, {recursive: true, force: true, maxRetries: 3});
    }
}
