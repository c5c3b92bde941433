// mho-opt reports malformed input at its location and exits non-zero.
// RUN: mho-opt %s --split-input-file --verify-diagnostics

func.func @shape_mismatch(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'linalg.matmul' op inferred input/output operand #1 has shape's dimension #0 to be 8, but found 4}}
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// expected-error @+1 {{custom op 'tosa.not_an_op' is unknown}}
%0 = tosa.not_an_op
