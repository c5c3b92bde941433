#!/usr/bin/env bash
# Compiles a generated model, weights elided so that the program image is
# shape-only, to a program image for the default architecture, on one core,
# and prints wall time, peak memory and the ratio to mlir-opt parsing and
# canonicalizing the same input, measured in the same run:
#
#   gpt2     GPT-2 small (124 M parameters, 12 layers, seq 128, torch-mlir-style
#            linalg). Targets (issue 3): <= 10 s and <= 2 GB.
#   mixtral  one Mixtral-8x7B MoE feed-forward layer (8 experts of 4096 x 14336
#            SwiGLU, top-2, 16 tokens, TOSA with weights as arguments: 1.4 G
#            parameters), compiled with routed experts only.
#
#   bench/compile.sh [gpt2|mixtral] [build dir, default build/release]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
model="${1:-gpt2}"
build="${2:-$root/build/release}"
case "$model" in
  gpt2) generate=(gpt2); name="GPT-2 small"; options="" ;;
  mixtral) generate=(moe); name="Mixtral-8x7B MoE layer"
           options=" tosa=true weight-arguments=1,2,3,4 bind-arguments=elided" ;;
  *) echo "compile: unknown model '$model' (expected gpt2 or mixtral)" >&2; exit 2 ;;
esac
opt="$build/bin/mho-opt" translate="$build/bin/mho-translate"
mlir_opt=/usr/lib/llvm-22/bin/mlir-opt
for tool in "$opt" "$translate" "$mlir_opt" /usr/bin/time; do
  [ -x "$tool" ] || { echo "compile: $tool is missing (build first; /usr/bin/time is Debian's 'time')" >&2; exit 1; }
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
one_core=(taskset -c 0)
command -v taskset >/dev/null || one_core=()

/usr/bin/python3 "$root/models/gen_transformer_ir.py" "${generate[@]}" -o "$work/model.mlir"
echo "input: $name, $(wc -c < "$work/model.mlir") bytes of MLIR"

measure() { # label, command...
  local label="$1"; shift
  "${one_core[@]}" /usr/bin/time -f "%e %M" -o "$work/time" "$@"
  read -r seconds kb < "$work/time"
  printf '%-34s %7.2f s %8.0f MB\n' "$label" "$seconds" "$((kb / 1024))"
  eval "${label%% *}_s=$seconds; ${label%% *}_kb=$kb"
}

measure "baseline mlir-opt --canonicalize" "$mlir_opt" "$work/model.mlir" --canonicalize -o "$work/canon.mlir"
measure "compile mho-opt --cim-compile" "$opt" "$work/model.mlir" --mlir-print-op-on-diagnostic=false \
  --cim-compile="arch=$root/hw/arch/default.yaml overflow=multi-chip$options" -o "$work/model.xbar.mlir"
measure "emit mho-translate --xbar-to-image" "$translate" --xbar-to-image "$work/model.xbar.mlir" -o "$work/model.mhoimg"

total=$(awk "BEGIN { print $compile_s + $emit_s }")
peak=$(( (compile_kb > emit_kb ? compile_kb : emit_kb) / 1024 ))
echo "image: $(wc -c < "$work/model.mhoimg") bytes"
printf '%s to program image: %.2f s, peak %d MB; %.1fx the time of mlir-opt --canonicalize\n' \
  "$name" "$total" "$peak" "$(awk "BEGIN { print $total / $baseline_s }")"
