#!/usr/bin/env bash
# Sets everything up on Debian 12 and runs mho's main job on the bundled
# transformer. Today the most end-to-end path is: parse, verify and
# canonicalize the bundled BERT layer (linalg, as torch-mlir exports it) and a
# Llama-style decoder block (TOSA) with mho-opt. It grows into compile -> run ->
# CIM-vs-GPU report as the compiler and engines land (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release
cmake --build --preset release --target mho-opt

opt=build/release/bin/mho-opt
for model in test/mho-opt/linalg-attention.mlir test/mho-opt/linalg-ffn-layernorm.mlir; do
  echo "== $model"
  "$opt" "$model" --canonicalize --cse --print-op-stats -o /dev/null
done
echo "== test/mho-opt/tosa-decoder.mlir"
"$opt" test/mho-opt/tosa-decoder.mlir --split-input-file --canonicalize \
  --print-op-stats -o /dev/null
