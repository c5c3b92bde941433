#!/usr/bin/env bash
# Compiles GPT-2 small (124 M parameters, 12 layers, seq 128, torch-mlir-style
# linalg, weights elided so that the program image is shape-only) to a program
# image for the default architecture, on one core, and prints wall time, peak
# memory and the ratio to mlir-opt parsing and canonicalizing the same input,
# measured in the same run. Targets (issue 3): <= 10 s and <= 2 GB.
#
#   bench/compile-gpt2.sh [build dir, default build/release]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build/release}"
opt="$build/bin/mho-opt" translate="$build/bin/mho-translate"
mlir_opt=/usr/lib/llvm-22/bin/mlir-opt
for tool in "$opt" "$translate" "$mlir_opt" /usr/bin/time; do
  [ -x "$tool" ] || { echo "compile-gpt2: $tool is missing (build first; /usr/bin/time is Debian's 'time')" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
one_core=(taskset -c 0)
command -v taskset >/dev/null || one_core=()

/usr/bin/python3 "$root/models/gen_transformer_ir.py" gpt2 -o "$work/gpt2.mlir"
echo "input: GPT-2 small, $(wc -c < "$work/gpt2.mlir") bytes of MLIR"

measure() { # label, command...
  local label="$1"; shift
  "${one_core[@]}" /usr/bin/time -f "%e %M" -o "$work/time" "$@"
  read -r seconds kb < "$work/time"
  printf '%-34s %7.2f s %8.0f MB\n' "$label" "$seconds" "$((kb / 1024))"
  eval "${label%% *}_s=$seconds; ${label%% *}_kb=$kb"
}

measure "baseline mlir-opt --canonicalize" "$mlir_opt" "$work/gpt2.mlir" --canonicalize -o "$work/canon.mlir"
measure "compile mho-opt --cim-compile" "$opt" "$work/gpt2.mlir" \
  --cim-compile="arch=$root/hw/arch/default.yaml overflow=multi-chip" -o "$work/gpt2.xbar.mlir"
measure "emit mho-translate --xbar-to-image" "$translate" --xbar-to-image "$work/gpt2.xbar.mlir" -o "$work/gpt2.mhoimg"

total=$(awk "BEGIN { print $compile_s + $emit_s }")
peak=$(( (compile_kb > emit_kb ? compile_kb : emit_kb) / 1024 ))
echo "image: $(wc -c < "$work/gpt2.mhoimg") bytes"
printf 'GPT-2 small to program image: %.2f s, peak %d MB; %.1fx the time of mlir-opt --canonicalize\n' \
  "$total" "$peak" "$(awk "BEGIN { print $total / $baseline_s }")"
