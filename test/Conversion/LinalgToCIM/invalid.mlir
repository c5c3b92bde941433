// Every diagnostic of convert-linalg-to-cim.
// RUN: mho-opt %s --split-input-file --convert-linalg-to-cim --verify-diagnostics

func.func @int_product(%a: tensor<2x4xi8>, %b: tensor<4x3xi8>, %c: tensor<2x3xi32>) -> tensor<2x3xi32> {
  // expected-error @+1 {{cannot map linalg.matmul: only f32 products are mapped}}
  %0 = linalg.matmul ins(%a, %b : tensor<2x4xi8>, tensor<4x3xi8>) outs(%c : tensor<2x3xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

func.func @dynamic_product(%a: tensor<?x4xf32>, %b: tensor<4x3xf32>, %c: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{cannot map linalg.matmul: dynamic shapes are not mapped}}
  %0 = linalg.matmul ins(%a, %b : tensor<?x4xf32>, tensor<4x3xf32>) outs(%c : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

func.func @matmul_maps(%a: tensor<4x2xf32>, %b: tensor<4x3xf32>, %c: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{cannot map linalg.matmul with custom indexing maps}}
  %0 = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%a, %b : tensor<4x2xf32>, tensor<4x3xf32>) outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @batch_matmul_maps(%a: tensor<2x4x2xf32>, %b: tensor<2x4x3xf32>, %c: tensor<2x2x3xf32>) -> tensor<2x2x3xf32> {
  // expected-error @+1 {{cannot map linalg.batch_matmul with custom indexing maps}}
  %0 = linalg.batch_matmul indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d3, d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>]
      ins(%a, %b : tensor<2x4x2xf32>, tensor<2x4x3xf32>) outs(%c : tensor<2x2x3xf32>) -> tensor<2x2x3xf32>
  return %0 : tensor<2x2x3xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @two_outputs(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %e = tensor.empty() : tensor<2x2xf32>
  // expected-error @+1 {{cannot map linalg.generic with 2 outputs (one is mapped)}}
  %0:2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x2xf32>) outs(%e, %e : tensor<2x2xf32>, tensor<2x2xf32>) {
  ^bb0(%in: f32, %o1: f32, %o2: f32):
    linalg.yield %in, %in : f32, f32
  } -> (tensor<2x2xf32>, tensor<2x2xf32>)
  return %0#0, %0#1 : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @int_result(%x: tensor<2x2xi32>) -> tensor<2x2xi32> {
  %e = tensor.empty() : tensor<2x2xi32>
  // expected-error @+1 {{cannot map linalg.generic: only static f32 results are mapped}}
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x2xi32>) outs(%e : tensor<2x2xi32>) {
  ^bb0(%in: i32, %o: i32):
    linalg.yield %in : i32
  } -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>
func.func @transposed_output(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x2xf32>
  // expected-error @+1 {{cannot map linalg.generic: the output is written through a non-identity indexing map}}
  %0 = linalg.generic {indexing_maps = [#id, #t], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) {
  ^bb0(%in: f32, %o: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>
func.func @permuted_input(%x: tensor<3x2xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  // expected-error @+1 {{cannot map linalg.generic: operand #0 is read through a permuted indexing map; transpose it with linalg.transpose first}}
  %0 = linalg.generic {indexing_maps = [#t, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<3x2xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %o: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#shifted = affine_map<(d0, d1) -> (d0, d1 + 1)>
func.func @shifted_input(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  // expected-error @+1 {{cannot map linalg.generic: operand #0 has indexing expression d1 + 1 (only loop dimensions and 0 are mapped)}}
  %0 = linalg.generic {indexing_maps = [#shifted, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x4xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %o: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @only_broadcast(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  // expected-error @+1 {{cannot map linalg.generic: it only broadcasts an operand; express that with linalg.broadcast}}
  %0 = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @unmapped_op(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %o: f32):
    // expected-error @+1 {{cannot map 'math.log' in linalg.generic to the CIM vector unit}}
    %l = math.log %in : f32
    linalg.yield %l : f32
  } -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @select_not_mask(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %y : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %c = arith.cmpf ogt, %a, %b : f32
    // expected-error @+1 {{cannot map arith.select in linalg.generic: only a select of -inf on an index condition (a mask) is mapped}}
    %s = arith.select %c, %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @select_data_condition(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c = arith.cmpf olt, %a, %zero : f32
    // expected-error @+1 {{cannot map arith.select in linalg.generic: its condition is not a function of linalg.index values and constants}}
    %s = arith.select %c, %ninf, %a : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
func.func @product_reduction(%x: tensor<2x3xf32>, %init: tensor<2x1xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{cannot map linalg.generic: a reduction body must end in addf/maximumf/minimumf of the output and a value}}
  %0 = linalg.generic {indexing_maps = [#id, #keep], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<2x3xf32>) outs(%init : tensor<2x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %o : f32
    linalg.yield %m : f32
  } -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#front = affine_map<(d0, d1) -> (0, d0)>
func.func @reduction_layout(%x: tensor<2x3xf32>, %init: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{cannot map linalg.generic: its reduction result 'tensor<2x1xf32>' does not match the output 'tensor<1x2xf32>'}}
  %0 = linalg.generic {indexing_maps = [#id, #front], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<2x3xf32>) outs(%init : tensor<1x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.addf %a, %o : f32
    linalg.yield %m : f32
  } -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

func.func @reduce_product(%x: tensor<2x3xf32>, %init: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{cannot map linalg.reduce: only single-input sum, max and min reductions are mapped}}
  %0 = linalg.reduce ins(%x : tensor<2x3xf32>) outs(%init : tensor<2xf32>) dimensions = [1]
    (%in: f32, %out: f32) {
      %m = arith.mulf %in, %out : f32
      linalg.yield %m : f32
    }
  return %0 : tensor<2xf32>
}

// -----

func.func @reduce_int(%x: tensor<2x3xi32>, %init: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{cannot map linalg.reduce: only static f32 inputs are mapped}}
  %0 = linalg.reduce ins(%x : tensor<2x3xi32>) outs(%init : tensor<2xi32>) dimensions = [1]
    (%in: i32, %out: i32) {
      %m = arith.maxsi %in, %out : i32
      linalg.yield %m : i32
    }
  return %0 : tensor<2xi32>
}

// -----

func.func @fill_of_argument(%v: f32) -> tensor<3xf32> {
  %e = tensor.empty() : tensor<3xf32>
  // expected-error @+1 {{cannot map linalg.fill of a non-constant value}}
  %f = linalg.fill ins(%v : f32) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  return %f : tensor<3xf32>
}
