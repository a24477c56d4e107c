#!/usr/bin/env bash
# Runs `conpet bench` on every shared suite in every mode (and both selectors for dynamic), one
# run at a time, writing bench/results/bench-<suite>-<mode>[-lora].json and a log beside it.
# Usage: bench/conpet/runAll.sh [extra bench flags…]   (e.g. --steps 60 --max-test 50 --threads 1)
# Env: SUITES="sentiment-domains text-transform code-lang", MODES="classic dynamic static sequential joint dynamic-lora"
# (classic answers classification suites only and is skipped on text-transform).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
data="${CONPET_DATA:-$root/../shared/data}"
model="${CONPET_MODEL:-$root/../shared/models/stories260K.gguf}"
suites="${SUITES:-sentiment-domains text-transform code-lang}"
modes="${MODES:-classic dynamic static sequential joint dynamic-lora}"
mkdir -p "$root/bench/results"
for suite in $suites; do
    for mode in $modes; do
        [[ "$mode" == classic && "$suite" == text-transform ]] && continue
        name="bench-$suite-$mode"
        flags=(--mode "${mode%-lora}")
        [[ "$mode" == dynamic-lora ]] && flags+=(--selector lora)
        [[ "$mode" == dynamic ]] && flags+=(--selector embedding)
        echo "== $name $(date -u +%H:%M:%S)"
        node --import tsx "$root/src/cli/cli.ts" bench --suite "$data/$suite" --model "$model" "${flags[@]}" \
            --report "$root/bench/results/$name.json" "$@" > "$root/bench/results/$name.log" 2>&1 \
            || echo "   failed: see bench/results/$name.log"
        tail -n 14 "$root/bench/results/$name.log"
    done
done
