// RUN: mho-opt %s --split-input-file --mho-expose-intermediates | FileCheck %s
// RUN: mho-opt %s --split-input-file --mho-expose-intermediates=ops=linalg.fill | FileCheck %s --check-prefix=FILL

// Every linear layer's result is returned after the model's own results, in
// program order, named by where it came from.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<2x3xf32> {mho.name = "linalg.matmul@expose-intermediates.mlir:[[@LINE+11]]:8"}, tensor<2x3xf32> {mho.name = "linalg.matmul@expose-intermediates.mlir:[[@LINE+12]]:8"})
// CHECK: %[[A:.*]] = linalg.matmul
// CHECK: %[[B:.*]] = linalg.matmul
// CHECK: %[[S:.*]] = arith.addf
// CHECK: return %[[S]], %[[A]], %[[B]] : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
// FILL-LABEL: func.func @forward
// FILL-SAME: -> (tensor<2x3xf32>, tensor<2x3xf32> {mho.name = "linalg.fill@
func.func @forward(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>, %v: tensor<4x3xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %a = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = linalg.matmul ins(%x, %v : tensor<2x4xf32>, tensor<4x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %s = arith.addf %a, %b : tensor<2x3xf32>
  return %s : tensor<2x3xf32>
}

// -----

// Private functions and functions without matches are left alone.
// CHECK-LABEL: func.func private @helper(%{{.*}}: tensor<2x4xf32>, %{{.*}}: tensor<4x3xf32>) -> tensor<2x3xf32>
// CHECK-LABEL: func.func @no_layers(%{{.*}}: tensor<2xf32>) -> tensor<2xf32>
func.func private @helper(%x: tensor<2x4xf32>, %w: tensor<4x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %a = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}
func.func @no_layers(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
