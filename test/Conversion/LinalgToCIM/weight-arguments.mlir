// The weight-arguments option marks function arguments as stationary weights
// (TOSA exporters pass weights as arguments without attributes).
// RUN: mho-opt %s --convert-linalg-to-cim="weight-arguments=1" | FileCheck %s
// RUN: mho-opt %s --convert-linalg-to-cim | FileCheck %s --check-prefix=NOWEIGHT

// CHECK: cim.linear %arg0, %arg1 : tensor<2x8xf32>, tensor<8x4xf32> -> tensor<2x4xf32>
// NOWEIGHT: cim.dmm %arg0, %arg1 : tensor<2x8xf32>, tensor<8x4xf32> -> tensor<2x4xf32>
func.func @forward(%x: tensor<2x8xf32>, %w: tensor<8x4xf32>) -> tensor<2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %a = linalg.matmul ins(%x, %w : tensor<2x8xf32>, tensor<8x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %a : tensor<2x4xf32>
}
