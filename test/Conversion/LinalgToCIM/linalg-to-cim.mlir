// RUN: mho-opt %s --split-input-file --convert-linalg-to-cim | FileCheck %s

// A torch-mlir linear: constant weight transposed, zero-filled init, bias add.
// CHECK-LABEL: func.func @linear_constant
// CHECK: %[[W:.*]] = arith.constant dense<{{.*}}> : tensor<2x3xf32>
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]]
// CHECK: %[[Y:.*]] = cim.linear %arg0, %[[WT]] : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
// CHECK: %[[B:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: cim.binary <add> %[[Y]], %[[B]] : tensor<4x2xf32>, tensor<2xf32> -> tensor<4x2xf32>
// CHECK-NOT: linalg.matmul
// CHECK-NOT: linalg.fill
#map = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
func.func @linear_constant(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %wt = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  %e2 = tensor.empty() : tensor<4x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %m = linalg.matmul ins(%x, %wt : tensor<4x3xf32>, tensor<3x2xf32>) outs(%f : tensor<4x2xf32>) -> tensor<4x2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %r = linalg.generic {indexing_maps = [#map, #bias, #map], iterator_types = ["parallel", "parallel"]} ins(%m, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%e2 : tensor<4x2xf32>) {
  ^bb0(%in: f32, %bi: f32, %out: f32):
    %s = arith.addf %in, %bi : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// Weights behind ml_program globals, and function arguments marked as weights.
// CHECK-LABEL: func.func @stationary_sources
// CHECK: %[[G:.*]] = ml_program.global_load_const @w : tensor<8x4xf32>
// CHECK: cim.linear %arg0, %[[G]] : tensor<2x8xf32>, tensor<8x4xf32> -> tensor<2x4xf32>
// CHECK: cim.linear %arg0, %arg1 : tensor<2x8xf32>, tensor<8x4xf32> -> tensor<2x4xf32>
ml_program.global private @w(dense<0.5> : tensor<8x4xf32>) : tensor<8x4xf32>
func.func @stationary_sources(%x: tensor<2x8xf32>, %w2: tensor<8x4xf32> {mho.weight}) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %g = ml_program.global_load_const @w : tensor<8x4xf32>
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %a = linalg.matmul ins(%x, %g : tensor<2x8xf32>, tensor<8x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  %b = linalg.matmul ins(%x, %w2 : tensor<2x8xf32>, tensor<8x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %a, %b : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// Two activations meet on the digital unit; a transpose of the last two
// dimensions folds into the transposed read; a non-zero init is added.
// CHECK-LABEL: func.func @activation_products
// CHECK: %[[S:.*]] = cim.dmm %arg0, %arg1 {transpose_b} : tensor<2x4x8xf32>, tensor<2x4x8xf32> -> tensor<2x4x4xf32>
// CHECK: %[[P:.*]] = cim.dmm %[[S]], %arg1 : tensor<2x4x4xf32>, tensor<2x4x8xf32> -> tensor<2x4x8xf32>
// CHECK: cim.binary <add> %[[P]], %arg2 : tensor<2x4x8xf32>, tensor<2x4x8xf32> -> tensor<2x4x8xf32>
func.func @activation_products(%q: tensor<2x4x8xf32>, %k: tensor<2x4x8xf32>, %acc: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8x4xf32>
  %kt = linalg.transpose ins(%k : tensor<2x4x8xf32>) outs(%e : tensor<2x8x4xf32>) permutation = [0, 2, 1]
  %e2 = tensor.empty() : tensor<2x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<2x4x8xf32>, tensor<2x8x4xf32>) outs(%f : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %p = linalg.batch_matmul ins(%s, %k : tensor<2x4x4xf32>, tensor<2x4x8xf32>) outs(%acc : tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %p : tensor<2x4x8xf32>
}

// -----

// A batched stationary weight (batch 1, as TOSA matmul has) is collapsed to 2-D;
// several batches give one linear per batch, concatenated.
// CHECK-LABEL: func.func @batched_weights
// CHECK: %[[W1:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2]] : tensor<1x8x4xf32> into tensor<8x4xf32>
// CHECK: cim.linear %arg0, %[[W1]] : tensor<1x2x8xf32>, tensor<8x4xf32> -> tensor<1x2x4xf32>
// CHECK: %[[X0:.*]] = tensor.extract_slice %arg2[0, 0, 0] [1, 2, 8] [1, 1, 1]
// CHECK: %[[E0:.*]] = tensor.extract_slice %arg3[0, 0, 0] [1, 8, 4] [1, 1, 1]
// CHECK: %[[C0:.*]] = tensor.collapse_shape %[[E0]]
// CHECK: %[[L0:.*]] = cim.linear %[[X0]], %[[C0]] : tensor<1x2x8xf32>, tensor<8x4xf32> -> tensor<1x2x4xf32>
// CHECK: %[[L1:.*]] = cim.linear
// CHECK: tensor.concat dim(0) %[[L0]], %[[L1]] : (tensor<1x2x4xf32>, tensor<1x2x4xf32>) -> tensor<2x2x4xf32>
func.func @batched_weights(%x: tensor<1x2x8xf32>, %w: tensor<1x8x4xf32> {mho.weight}, %xe: tensor<2x2x8xf32>, %we: tensor<2x8x4xf32> {mho.weight}) -> (tensor<1x2x4xf32>, tensor<2x2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x4xf32>) -> tensor<1x2x4xf32>
  %a = linalg.batch_matmul ins(%x, %w : tensor<1x2x8xf32>, tensor<1x8x4xf32>) outs(%f : tensor<1x2x4xf32>) -> tensor<1x2x4xf32>
  %e2 = tensor.empty() : tensor<2x2x4xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x2x4xf32>) -> tensor<2x2x4xf32>
  %b = linalg.batch_matmul ins(%xe, %we : tensor<2x2x8xf32>, tensor<2x8x4xf32>) outs(%f2 : tensor<2x2x4xf32>) -> tensor<2x2x4xf32>
  return %a, %b : tensor<1x2x4xf32>, tensor<2x2x4xf32>
}

// -----

// Element-wise bodies become one vector op per body op; scalar constants and
// captured scalars become rank-0 tensors; a column operand read as (d0, 0)
// broadcasts as it is, a vector read as (d0) gains a unit dimension.
// CHECK-LABEL: func.func @elementwise
// CHECK: %[[H:.*]] = arith.constant dense<5.000000e-01> : tensor<f32>
// CHECK: %[[A:.*]] = cim.binary <mul> %arg0, %[[H]] : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf32>
// CHECK: %[[E:.*]] = cim.unary <erf> %[[A]] : tensor<4x8xf32>
// CHECK: %[[S:.*]] = tensor.from_elements %arg2 : tensor<f32>
// CHECK: %[[B:.*]] = cim.binary <sub> %[[E]], %[[S]] : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf32>
// CHECK: %[[R:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
// CHECK: %[[C:.*]] = cim.binary <max> %[[B]], %[[R]] : tensor<4x8xf32>, tensor<4x1xf32> -> tensor<4x8xf32>
// CHECK: %[[N:.*]] = cim.unary <neg> %[[C]] : tensor<4x8xf32>
// CHECK: return %[[N]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @elementwise(%x: tensor<4x8xf32>, %r: tensor<4xf32>, %s: f32) -> tensor<4x8xf32> {
  %half = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %r : tensor<4x8xf32>, tensor<4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %rv: f32, %out: f32):
    %0 = arith.mulf %in, %half : f32
    %1 = math.erf %0 : f32
    %2 = arith.subf %1, %s : f32
    %3 = arith.maximumf %2, %rv : f32
    %4 = arith.negf %3 : f32
    linalg.yield %4 : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Reductions: keep-dims outputs (d0, 0) and dropped outputs (d0); an init
// that is the identity disappears, any other init is combined.
// CHECK-LABEL: func.func @reductions
// CHECK: %[[SQ:.*]] = cim.binary <mul> %arg0, %arg0
// CHECK: %[[SUM:.*]] = cim.reduce <sum> %[[SQ]] {axis = 1 : i64, keep_dims} : tensor<4x8xf32> -> tensor<4x1xf32>
// CHECK: %[[MAX:.*]] = cim.reduce <max> %arg0 {axis = 1 : i64} : tensor<4x8xf32> -> tensor<4xf32>
// CHECK: cim.binary <max> %[[MAX]], %arg1 : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
// CHECK: %[[LR:.*]] = cim.reduce <min> %arg0 {axis = 1 : i64} : tensor<4x8xf32> -> tensor<4xf32>
// CHECK: return %[[SUM]], %{{.*}}, %[[LR]]
#id = affine_map<(d0, d1) -> (d0, d1)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
#drop = affine_map<(d0, d1) -> (d0)>
func.func @reductions(%x: tensor<4x8xf32>, %init: tensor<4xf32>) -> (tensor<4x1xf32>, tensor<4xf32>, tensor<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %inf = arith.constant 0x7F800000 : f32
  %e = tensor.empty() : tensor<4x1xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  %s = linalg.generic {indexing_maps = [#id, #keep], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x8xf32>) outs(%f : tensor<4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.mulf %in, %in : f32
    %1 = arith.addf %0, %out : f32
    linalg.yield %1 : f32
  } -> tensor<4x1xf32>
  %m = linalg.generic {indexing_maps = [#id, #drop], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x8xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %out, %in : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %e2 = tensor.empty() : tensor<4xf32>
  %f2 = linalg.fill ins(%inf : f32) outs(%e2 : tensor<4xf32>) -> tensor<4xf32>
  %l = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%f2 : tensor<4xf32>) dimensions = [1]
    (%in: f32, %out: f32) {
      %0 = arith.minimumf %in, %out : f32
      linalg.yield %0 : f32
    }
  return %s, %m, %l : tensor<4x1xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// A causal mask built from linalg.index becomes a constant additive mask.
// CHECK-LABEL: func.func @causal_mask
// CHECK: %[[M:.*]] = arith.constant dense<{{\[\[\[}}0.000000e+00, 0xFF800000, 0xFF800000], [0.000000e+00, 0.000000e+00, 0xFF800000], [0.000000e+00, 0.000000e+00, 0.000000e+00]]]> : tensor<1x3x3xf32>
// CHECK: cim.binary <add> %arg0, %[[M]] : tensor<2x3x3xf32>, tensor<1x3x3xf32> -> tensor<2x3x3xf32>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @causal_mask(%s: tensor<2x3x3xf32>) -> tensor<2x3x3xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<2x3x3xf32>
  %y = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%s : tensor<2x3x3xf32>) outs(%e : tensor<2x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 1 : index
    %j = linalg.index 2 : index
    %future = arith.cmpi ugt, %j, %i : index
    %r = arith.select %future, %ninf, %in : f32
    linalg.yield %r : f32
  } -> tensor<2x3x3xf32>
  return %y : tensor<2x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @softmax
// CHECK: cim.softmax %arg0 {axis = 1 : i64} : tensor<2x5xf32>
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %e = tensor.empty() : tensor<2x5xf32>
  %y = linalg.softmax dimension(1) ins(%x : tensor<2x5xf32>) outs(%e : tensor<2x5xf32>) -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}

// -----

// A fill used as data becomes a splat constant.
// CHECK-LABEL: func.func @fill_as_data
// CHECK: %[[C:.*]] = arith.constant dense<2.000000e+00> : tensor<3xf32>
// CHECK: return %[[C]]
func.func @fill_as_data() -> tensor<3xf32> {
  %two = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<3xf32>
  %f = linalg.fill ins(%two : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  return %f : tensor<3xf32>
}
