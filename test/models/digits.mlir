// The bundled digits classifier (models/digits): the generator rebuilds it from
// its trained weights, and the FP32 reference reproduces PyTorch's accuracy on
// the held-out images (96.39 %, printed by models/digits/train.py); BF16 at op
// boundaries keeps every prediction.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %mho_src/models/gen_transformer_ir.py digits --batch 360 --weights-file %mho_src/models/digits/weights.safetensors -o %t/digits.mlir
// RUN: mho-sim %t/digits.mlir --input %mho_src/models/digits/test_inputs.npy --labels %mho_src/models/digits/test_labels.npy | FileCheck %s
// RUN: mho-sim %t/digits.mlir --input %mho_src/models/digits/test_inputs.npy --labels %mho_src/models/digits/test_labels.npy --precision=bf16 --compare | FileCheck %s --check-prefix=BF16
// RUN: not mho-sim %t/digits.mlir --input %mho_src/models/digits/test_inputs.npy --labels %mho_src/models/digits/test_inputs.npy 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not %python %mho_src/models/gen_transformer_ir.py digits --hidden 64 --weights-file %mho_src/models/digits/weights.safetensors 2>&1 | FileCheck %s --check-prefix=SHAPE

// CHECK: output0 task accuracy 96.39%
// BF16: output0 360x10xf32 vs fp32: SNR {{[3-9][0-9]\.[0-9]}} dB
// BF16-SAME: top-1 agreement 100.00%
// BF16: output0 task accuracy 96.39% (fp32 96.39%)
// BAD: mho-sim: error: {{.*}}test_inputs.npy: 23040 labels for 360 rows of output0
// SHAPE: error: tensor 'embeddings.token.weight' has shape [32, 8], the model needs [64, 8]
