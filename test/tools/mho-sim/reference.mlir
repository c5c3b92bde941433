// The reference engine runs exporter IR on the host in FP32, and with BF16 or
// FP16 emulated at op boundaries, and compares against FP32.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %mho_src/models/gen_transformer_ir.py bert --layers 1 --hidden 32 --heads 2 --ffn 64 --seq 8 --weights random -o %t/bert.mlir
// RUN: mho-sim %t/bert.mlir --random-inputs=7 --output-dir %t --stats-out %t/fp32.json
// RUN: FileCheck %s --check-prefix=STATS < %t/fp32.json
// RUN: mho-sim %t/bert.mlir --input %t/output0.npy --precision=bf16 --compare | FileCheck %s --check-prefix=BF16
// RUN: mho-sim %t/bert.mlir --input %t/output0.npy --precision=fp32 --compare | FileCheck %s --check-prefix=SAME
// RUN: %python %mho_src/models/gen_transformer_ir.py gpt2 --layers 1 --hidden 16 --heads 2 --ffn 32 --seq 4 --vocab 50 --weights globals -o %t/gpt2.mlir
// RUN: mho-sim %t/gpt2.mlir --random-inputs=1 --precision=fp16 --compare | FileCheck %s --check-prefix=GPT2

// STATS: "engine": "reference"
// STATS: "type": "1x8x32xf32"
// STATS: "precision": "fp32"

// BF16: output0 1x8x32xf32 vs fp32: SNR {{[3-6][0-9]\.[0-9]}} dB, cosine 0.99{{[0-9]+}}
// SAME: output0 1x8x32xf32 vs fp32: SNR INF dB, cosine 1.000000, max |err| 0.00e+00
// GPT2: output0 1x4x50xf32 vs fp32: SNR {{[0-9.]+}} dB

// Bad inputs get one clear line and a non-zero exit.
// RUN: %python %mho_src/models/gen_transformer_ir.py bert --layers 1 --hidden 16 --heads 2 --ffn 32 --seq 4 --weights random -o %t/other.mlir
// RUN: not mho-sim %t/other.mlir --input %t/output0.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: mho-sim: error: input #0 of @forward: expected 1x4x16xf32, got 1x8x32xf32
// RUN: not mho-sim %t/other.mlir --input %t/missing.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: mho-sim: error: '{{.*}}missing.npy': No such file or directory
// RUN: %python %mho_src/models/gen_transformer_ir.py bert --layers 1 --hidden 16 --heads 2 --ffn 32 --seq 4 -o %t/elided.mlir
// RUN: not mho-sim %t/elided.mlir --random-inputs=1 2>&1 | FileCheck %s --check-prefix=ELIDED
// ELIDED: error: {{.*}}weight values are elided
// RUN: not mho-sim %t/bert.mlir --random-inputs=1 --precision=fp8 2>&1 | FileCheck %s --check-prefix=PREC
// PREC: mho-sim: error: unknown --precision 'fp8' (expected fp32, bf16 or fp16)
// RUN: not mho-sim %t/bert.mlir 2>&1 | FileCheck %s --check-prefix=NOINPUT
// NOINPUT: mho-sim: error: give the inputs one way
