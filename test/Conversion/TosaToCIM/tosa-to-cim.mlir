// TOSA reaches cim through upstream's TOSA-to-linalg passes.
// RUN: mho-opt %s --convert-tosa-to-cim="weight-arguments=1" --canonicalize | FileCheck %s
// RUN: %python %mho_src/models/gen_transformer_ir.py llama --hidden 32 --heads 4 --kv-heads 2 --ffn 64 --seq 8 \
// RUN:   | mho-opt --convert-tosa-to-cim="weight-arguments=1,2,3,4,5,6,7,8,9" --canonicalize --cse | FileCheck %s --check-prefix=LLAMA

// CHECK-LABEL: func.func @rmsnorm_linear
// CHECK-NOT: tosa.
// CHECK: cim.reduce <sum>
// CHECK: cim.unary <rsqrt>
// CHECK: %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2]] : tensor<1x8x16xf32> into tensor<8x16xf32>
// CHECK: cim.linear %{{.*}}, %[[W]] : tensor<1x4x8xf32>, tensor<8x16xf32> -> tensor<1x4x16xf32>
// CHECK: cim.unary <exp>
func.func @rmsnorm_linear(%x: tensor<1x4x8xf32>, %w: tensor<1x8x16xf32>) -> tensor<1x4x16xf32> {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %sq = tosa.mul %x, %x, %shift : (tensor<1x4x8xf32>, tensor<1x4x8xf32>, tensor<1xi8>) -> tensor<1x4x8xf32>
  %sum = tosa.reduce_sum %sq {axis = 2 : i32} : (tensor<1x4x8xf32>) -> tensor<1x4x1xf32>
  %rs = tosa.rsqrt %sum : (tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
  %n = tosa.mul %x, %rs, %shift : (tensor<1x4x8xf32>, tensor<1x4x1xf32>, tensor<1xi8>) -> tensor<1x4x8xf32>
  %y = tosa.matmul %n, %w, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x16xf32>
  %e = tosa.exp %y : (tensor<1x4x16xf32>) -> tensor<1x4x16xf32>
  return %e : tensor<1x4x16xf32>
}

// A whole Llama-style decoder layer: 7 projections on crossbars, Q.K^T and
// P.V on the digital unit, nothing left in TOSA.
// LLAMA-NOT: tosa.
// LLAMA-COUNT-3: cim.linear
// LLAMA: cim.dmm
// LLAMA: cim.reduce <max>
// LLAMA-NOT: tosa.
