// Builds the native trainer `native/build/bin/conpet-train`:
// 1. clones the llama.cpp source node-llama-cpp ships (`llama/gitRelease.bundle`) into native/build/llama.cpp,
// 2. applies native/patches/*.diff in name order,
// 3. configures and builds libllama (static) and conpet-train with CMake against node-llama-cpp's
//    prebuilt ggml libraries of the same release.
// Steps 1-2 are skipped while the stamp (bundle + patches) is unchanged; when a patch changes, the
// fresh clone is synced into the old tree file by file, so only the touched sources recompile.
// CMake's own dependency tracking makes step 3 a no-op when nothing changed.
//
// Options (environment): CONPET_NATIVE_JOBS (default: CPU count), CONPET_GGML_PREBUILT_DIR (default:
// this platform's @node-llama-cpp bins), CONPET_NATIVE_CMAKE_ARGS (extra configure arguments, e.g.
// "-DCONPET_GGML_FROM_SOURCE=ON -DGGML_CUDA=ON"), CONPET_NATIVE_BUILD_DIR (default: native/build).
// Runs on Linux, macOS and Windows (scripts/platformTargets.mjs): Windows builds ggml from source for a
// portable CPU (-DGGML_NATIVE=OFF), the others link node-llama-cpp's prebuilt ggml.
import {execFileSync} from "node:child_process";
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import os from "node:os";
import path from "node:path";
import {fileURLToPath} from "node:url";
import {getPlatformTarget, hostTarget, trainerExecutableName} from "./platformTargets.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nativeDir = path.join(root, "native");
const llamaDir = path.join(nativeDir, "build", "llama.cpp");
const stampPath = path.join(nativeDir, "build", "llama.cpp.stamp");
const buildDir = process.env.CONPET_NATIVE_BUILD_DIR ?? path.join(nativeDir, "build");
const bundlePath = path.join(root, "node_modules", "node-llama-cpp", "llama", "gitRelease.bundle");
const patchesDir = path.join(nativeDir, "patches");
const started = Date.now();

function run(command, args, cwd = root) {
    console.log(`$ ${command} ${args.join(" ")}`);
    execFileSync(command, args, {cwd, stdio: "inherit"});
}

/** Makes `to` hold what `from` holds (except `.git`), writing only files whose bytes differ. */
function syncTree(from, to) {
    let changed = 0;
    const walk = (relative) => {
        const source = path.join(from, relative);
        const target = path.join(to, relative);
        const names = new Set(readdirSync(source));
        if (existsSync(target))
            for (const name of readdirSync(target))
                if (!names.has(name) && name !== ".git") {
                    rmSync(path.join(target, name), {recursive: true, force: true});
                    changed++;
                }
        mkdirSync(target, {recursive: true});
        for (const name of names) {
            if (relative === "" && name === ".git")
                continue;
            const child = path.join(relative, name);
            if (statSync(path.join(from, child)).isDirectory()) {
                walk(child);
                continue;
            }
            const bytes = readFileSync(path.join(from, child));
            const targetFile = path.join(to, child);
            if (!existsSync(targetFile) || !readFileSync(targetFile).equals(bytes)) {
                writeFileSync(targetFile, bytes);
                changed++;
            }
        }
    };
    walk("");
    return changed;
}

function computeStamp(patches) {
    const hash = createHash("sha256");
    const bundle = statSync(bundlePath);
    hash.update(`${bundle.size}:${bundle.mtimeMs}\n`);
    for (const patch of patches)
        hash.update(patch).update(readFileSync(path.join(patchesDir, patch)));
    return hash.digest("hex");
}

if (!existsSync(bundlePath))
    throw new Error(`${bundlePath} is missing: run "npm ci" first (node-llama-cpp ships the llama.cpp source).`);

const patches = readdirSync(patchesDir).filter((name) => name.endsWith(".diff")).sort();
const stamp = computeStamp(patches);
const previousStamp = existsSync(stampPath) ? readFileSync(stampPath, "utf8") : "";
if (stamp !== previousStamp || !existsSync(llamaDir)) {
    const freshDir = `${llamaDir}.new`;
    rmSync(freshDir, {recursive: true, force: true});
    mkdirSync(path.dirname(llamaDir), {recursive: true});
    // LF line endings whatever git's configuration says (Windows runners convert by default): the patches are LF.
    run("git", ["-c", "core.autocrlf=false", "clone", "--quiet", bundlePath, freshDir]);
    for (const patch of patches)
        run("git", ["apply", "--whitespace=nowarn", path.join(patchesDir, patch)], freshDir);
    if (existsSync(llamaDir)) {
        // only files whose content changed get a new mtime, so a patch edit recompiles a few files
        const changed = syncTree(freshDir, llamaDir);
        rmSync(freshDir, {recursive: true, force: true});
        console.log(`llama.cpp source updated: ${changed} file(s) changed`);
    } else
        renameSync(freshDir, llamaDir);
    writeFileSync(stampPath, stamp);
} else
    console.log("llama.cpp source is up to date");

const target = getPlatformTarget(hostTarget);
const prebuiltDir = process.env.CONPET_GGML_PREBUILT_DIR ??
    path.join(root, "node_modules", "@node-llama-cpp", target.nodeLlamaCppPackage, "bins", target.nodeLlamaCppPackage);
const extraArgs = (process.env.CONPET_NATIVE_CMAKE_ARGS ?? "").split(/\s+/).filter((arg) => arg !== "");
if (target.ggmlFromSource && !extraArgs.some((arg) => arg.startsWith("-DCONPET_GGML_FROM_SOURCE=")))
    extraArgs.push("-DCONPET_GGML_FROM_SOURCE=ON", "-DGGML_NATIVE=OFF");
const fromSource = extraArgs.some((arg) => arg.startsWith("-DCONPET_GGML_FROM_SOURCE=ON"));
if (!fromSource && !existsSync(path.join(prebuiltDir, `libggml-base${target.sharedLibrarySuffix}`)))
    throw new Error(`No prebuilt ggml in ${prebuiltDir}: set CONPET_GGML_PREBUILT_DIR or build ggml from source with CONPET_NATIVE_CMAKE_ARGS=-DCONPET_GGML_FROM_SOURCE=ON.`);

if (!existsSync(path.join(buildDir, "CMakeCache.txt")) || extraArgs.length > 0)
    run("cmake", ["-S", nativeDir, "-B", buildDir, "-DCMAKE_BUILD_TYPE=Release", `-DCONPET_GGML_PREBUILT_DIR=${prebuiltDir}`, ...extraArgs]);
const jobs = process.env.CONPET_NATIVE_JOBS ?? String(os.availableParallelism());
// --config: multi-config generators (Visual Studio) pick it per build, not per configure
run("cmake", ["--build", buildDir, "--config", "Release", "--target", "conpet-train", "-j", jobs]);
console.log(`conpet-train built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${path.join(buildDir, "bin", trainerExecutableName)}`);
