#!/usr/bin/env bash
# GPU check of the native LoRA trainer, run from the repository root on a CUDA machine (nvcc, cmake,
# no network; Node optional). Needs node_modules/node-llama-cpp/llama/gitRelease.bundle carried over.
# Builds ggml from source with CUDA (sm_90) plus the patched libllama and conpet-train, writes a random
# 135M-shaped llama (F32) and its Q8_0 quantization, and prints JSON lines: the training benchmark on
# CUDA (all layers offloaded; the Q8_0 base through the trainer's F32 copy, `dequantizedBase` in `done`)
# and on the CPU. Sized for < 8 minutes on 16 cores: FlashAttention kernels (unused by training) are
# not compiled, and only the conpet-train target is built.
# Environment: GPU_CHECK_DIR (work folder, default /tmp/conpet-gpu-check), GPU_CHECK_JOBS (default 16),
# GPU_CHECK_CUDA (default ON; OFF tests the script on a CPU-only machine), GPU_CHECK_BIN (skip the build
# and use this conpet-train), GPU_CHECK_CPU_THREADS (default 16), GPU_CHECK_SHAPE (make-model options).
set -uo pipefail
root=$(pwd)
work=${GPU_CHECK_DIR:-/tmp/conpet-gpu-check}
jobs=${GPU_CHECK_JOBS:-16}
cuda=${GPU_CHECK_CUDA:-ON}
bundle="$root/node_modules/node-llama-cpp/llama/gitRelease.bundle"
t0=$(date +%s)
stamp() { echo "[gpu-check +$(( $(date +%s) - t0 ))s] $*" >&2; }

echo "=== nvidia-smi"
nvidia-smi || echo "nvidia-smi not available"
echo "=== node: $(command -v node >/dev/null && node --version || echo 'not installed')"
echo "=== nvcc: $(command -v nvcc >/dev/null && nvcc --version | tail -1 || echo 'not installed'); cmake: $(cmake --version | head -1)"

if [ -n "${GPU_CHECK_BIN:-}" ]; then
    mkdir -p "$work"
    bin=$GPU_CHECK_BIN # an existing build: only the benchmark part runs (for testing this script)
else
    [ -f "$bundle" ] || { echo "missing $bundle" >&2; exit 1; }
    rm -rf "$work" && mkdir -p "$work"
    src="$work/llama.cpp"
    git clone --quiet "$bundle" "$src" || exit 1
    for patch in "$root"/native/patches/*.diff; do
        git -C "$src" apply --whitespace=nowarn "$patch" || { echo "patch failed: $patch" >&2; exit 1; }
    done
    stamp "cloned and patched"

    cmake -S "$root/native" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCONPET_LLAMA_DIR="$src" \
        -DCONPET_GGML_FROM_SOURCE=ON -DGGML_CUDA="$cuda" -DCMAKE_CUDA_ARCHITECTURES=90 -DGGML_CUDA_FA=OFF \
        -DGGML_CUDA_NCCL=OFF -DGGML_NATIVE=ON -DGGML_OPENMP=ON > "$work/configure.log" 2>&1 \
        || { tail -40 "$work/configure.log"; exit 1; }
    stamp "configured"
    cmake --build "$work/build" --target conpet-train -j "$jobs" > "$work/build.log" 2>&1 || { tail -60 "$work/build.log"; exit 1; }
    stamp "built"
    bin="$work/build/bin/conpet-train"
fi

model="$work/random-135m-f32.gguf"
# GPU_CHECK_SHAPE overrides the shape (e.g. a tiny one to test this script quickly)
shape=${GPU_CHECK_SHAPE:-"--layers 30 --embd 576 --heads 9 --kv-heads 3 --ff 1536 --vocab 49152"}
# shellcheck disable=SC2086
"$bin" make-model $shape --type f32 --out "$model" || exit 1
stamp "model written"

# bench <name> <gpuLayers> <threads> <seqLen> <batch> <steps>: tokens/s over the steps after the first
bench() {
    local name=$1 gpu=$2 threads=$3 seq=$4 batch=$5 steps=$6
    local half=$((seq / 2))
    local job="$work/job-$name.json" out="$work/out-$name.jsonl"
    cat > "$job" <<JSON
{"modelPath":"$model","outputPath":"$work/adapter-$name.gguf","samples":[],
 "syntheticSamples":{"count":$((batch * steps)),"promptTokens":$half,"completionTokens":$((seq - half))},
 "lora":{"rank":8,"alpha":16,"targetModules":["q","k","v","o"]},"steps":$steps,"batchSize":$batch,
 "learningRate":0.0001,"lrSchedule":"constant","seed":42,"contextSize":$((seq + 1)),"threads":$threads,"gpuLayers":$gpu}
JSON
    # BENCH_CPUS pins the run to those cores (a clean 2-thread CPU number on a bigger machine)
    if [ -n "${BENCH_CPUS:-}" ]; then
        timeout 240 taskset -c "$BENCH_CPUS" "$bin" "$job" > "$out" 2> "$work/stderr-$name.log"
    else
        timeout 240 "$bin" "$job" > "$out" 2> "$work/stderr-$name.log"
    fi
    local rc=$?
    grep -E '"type":"(error|warning)"' "$out"
    [ $rc -eq 0 ] || { echo "{\"bench\":\"$name\",\"rc\":$rc}"; tail -15 "$work/stderr-$name.log"; return; }
    awk -v name="$name" -v tokens=$((seq * batch)) -v seq="$seq" -v batch="$batch" '
        /"type":"progress"/ { match($0, /"elapsedSeconds":[0-9.e+-]+/); t[n++] = substr($0, RSTART + 17, RLENGTH - 17) + 0 }
        /"type":"done"/ { done = $0 }
        END { tps = (n > 1) ? (n - 1) * tokens / (t[n - 1] - t[0]) : 0;
              printf "{\"bench\":\"%s\",\"seq_len\":%d,\"batch\":%d,\"timed_steps\":%d,\"tokens_per_second\":%.1f,\"done\":%s}\n", name, seq, batch, n - 1, tps, done }' "$out"
}

echo "=== results (JSON lines)"
bench cuda-seq256-b4 '"max"' 4 256 4 12
bench cuda-seq256-b16 '"max"' 4 256 16 8
bench cuda-seq512-b8 '"max"' 4 512 8 8
# a quantized base (every curated model is one) trains on the GPU over the F32 copy the trainer writes
f32model=$model
model="$work/random-135m-q8_0.gguf"
"$bin" quantize --in "$f32model" --out "$model" --type q8_0 > /dev/null || exit 1
bench cuda-q8_0-seq256-b16 '"max"' 4 256 16 8
model=$f32model
stamp "cuda benches done"
bench cpu-seq256-b4 0 "${GPU_CHECK_CPU_THREADS:-16}" 256 4 4
BENCH_CPUS=0,1 bench cpu2-seq256-b4 0 2 256 4 3
stamp "all done"
