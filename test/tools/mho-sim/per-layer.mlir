// Layer-by-layer accuracy: mho-expose-intermediates returns every linear
// layer's result, the compiler gives each its own output symbol named after
// its origin, and the functional engine's comparison with the FP32 reference
// reports each one.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %mho_src/models/gen_transformer_ir.py bert --layers 1 --hidden 32 --heads 2 --ffn 64 --seq 8 --weights random -o %t/bert.mlir
// RUN: mho-opt %t/bert.mlir --mho-expose-intermediates -o %t/layers.mlir
// RUN: mho-opt %t/layers.mlir --cim-compile=arch=%mho_src/hw/arch/default.yaml | mho-translate --xbar-to-image -o %t/layers.mhoimg
// RUN: mho-sim --engine=functional --arch %mho_src/hw/arch/default.yaml %t/layers.mhoimg --random-inputs=5 --noise=off --compare-ref %t/layers.mlir | FileCheck %s

// Model output, then Q, K, V, Q.K^T, P.V, attention output, FFN in, FFN out.
// CHECK: output0 'output0' 1x8x32xf32 vs fp32 reference: SNR
// CHECK: output1 'output1:linalg.matmul@bert.mlir:{{[0-9]+}}:{{[0-9]+}}' 8x32xf32 vs fp32 reference: SNR {{[3-9][0-9]\.[0-9]}} dB
// CHECK: output3 'output3:linalg.matmul@bert.mlir
// CHECK: output4 'output4:linalg.batch_matmul@bert.mlir:{{.*}}' 2x8x8xf32
// CHECK: output5 'output5:linalg.batch_matmul@bert.mlir:{{.*}}' 2x8x16xf32
// CHECK: output7 'output7:linalg.matmul@bert.mlir:{{.*}}' 8x64xf32
// CHECK: output8 'output8:linalg.matmul@bert.mlir:{{.*}}' 8x32xf32
// CHECK-NOT: output9
