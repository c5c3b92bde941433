#!/usr/bin/env bash
# Sets everything up on Debian 12 and runs mho's main job: compile the bundled
# transformer (models/digits: a trained BERT-style classifier, 360 held-out
# images) for the default architecture (hw/arch/default.yaml), run it on the
# functional engine without and with analog noise, and print its accuracy
# beside the FP32 reference and the GPU's own number format (BF16), then the
# error of every linear layer under noise.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release
cmake --build --preset release

bin=build/release/bin
out=build/main-job
arch=hw/arch/default.yaml
inputs=models/digits/test_inputs.npy
labels=models/digits/test_labels.npy
mkdir -p "$out"

echo "== model: models/digits (360 test images), architecture: $arch"
/usr/bin/python3 models/gen_transformer_ir.py digits --batch 360 \
  --weights-file models/digits/weights.safetensors -o "$out/digits.mlir"

echo "== compile: linalg -> cim -> xbar -> program image"
"$bin/mho-opt" "$out/digits.mlir" --cim-compile="arch=$arch" -o "$out/digits.xbar.mlir"
"$bin/mho-translate" --xbar-to-image "$out/digits.xbar.mlir" -o "$out/digits.mhoimg"
"$bin/mho-translate" --xbar-to-asm "$out/digits.xbar.mlir" -o "$out/digits.s"
echo "program image: $(wc -c < "$out/digits.mhoimg") bytes, $(grep -c '^  [a-z]' "$out/digits.s") instructions (listing: $out/digits.s)"

echo "== FP32 reference (host)"
"$bin/mho-sim" "$out/digits.mlir" --input "$inputs" --labels "$labels"
echo "== GPU numerics: BF16 at op boundaries"
"$bin/mho-sim" "$out/digits.mlir" --input "$inputs" --labels "$labels" --precision=bf16 --compare
echo "== CIM, functional engine, noise off (exact integer semantics of the ISA)"
"$bin/mho-sim" --engine=functional --arch "$arch" "$out/digits.mhoimg" --input "$inputs" \
  --labels "$labels" --noise=off --compare-ref "$out/digits.mlir" --stats-out "$out/cim-ideal.json"
echo "== CIM, functional engine, analog non-idealities from $arch"
"$bin/mho-sim" --engine=functional --arch "$arch" "$out/digits.mhoimg" --input "$inputs" \
  --labels "$labels" --noise=on --seed 1 --compare-ref "$out/digits.mlir" --stats-out "$out/cim-noisy.json"
echo "== CIM with noise, layer by layer (every linear layer's output against FP32)"
"$bin/mho-opt" "$out/digits.mlir" --mho-expose-intermediates -o "$out/digits-layers.mlir"
"$bin/mho-opt" "$out/digits-layers.mlir" --cim-compile="arch=$arch" \
  | "$bin/mho-translate" --xbar-to-image -o "$out/digits-layers.mhoimg"
"$bin/mho-sim" --engine=functional --arch "$arch" "$out/digits-layers.mhoimg" --input "$inputs" \
  --noise=on --seed 1 --compare-ref "$out/digits-layers.mlir" --stats-out "$out/cim-layers.json" \
  | sed -n 's/^output[0-9]* .output[0-9]*:\([a-z_.]*\)@[^:]*:\([0-9]*\):[0-9]*. \([0-9x]*\)xf32 vs fp32 reference: \(SNR [^,]*\), \(cosine [^,]*\),.*/  digits.mlir:\2 \1 \3: \4, \5/p'
echo "statistics (event counts per component): $out/cim-ideal.json, $out/cim-noisy.json"
