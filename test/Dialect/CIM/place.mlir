// --cim-place: every cim.mvm_tile gets a physical MVM unit, in program order,
// cores of a tile round-robin first.
// RUN: rm -rf %t && split-file %s %t
// RUN: mho-opt %t/order.mlir --cim-place | FileCheck %s --check-prefix=ORDER
// RUN: mho-opt %t/overflow-error.mlir --cim-place --verify-diagnostics
// RUN: mho-opt %t/overflow.mlir --cim-place=overflow=multi-chip --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=MULTI
// RUN: mho-opt %t/overflow.mlir --cim-place=overflow=reprogram --mlir-print-op-on-diagnostic=false 2>&1 | FileCheck %s --check-prefix=REPROG
// RUN: mho-opt %t/errors.mlir --split-input-file --cim-place --verify-diagnostics
// RUN: mho-opt %t/pipeline.mlir --cim-quantize --cim-bitslice --cim-tile --cim-place | FileCheck %s --check-prefix=PIPE
// RUN: mho-opt %t/experts.mlir --cim-place | FileCheck %s --check-prefix=EXPERTS
// RUN: mho-opt %t/experts-round.mlir --cim-place=overflow=reprogram --verify-diagnostics
// RUN: mho-opt %t/experts-big.mlir --cim-place --verify-diagnostics
// RUN: mho-opt %t/stages.mlir --cim-place=replicate=2 | FileCheck %s --check-prefix=REPLICATE
// RUN: not mho-opt %t/stages-small.mlir --cim-place="replicate=4 overflow=reprogram" 2>&1 | FileCheck %s --check-prefix=REPLICATE-ROUNDS
// RUN: not mho-opt %t/stages.mlir --cim-place=replicate=0 2>&1 | FileCheck %s --check-prefix=REPLICATE-ZERO

//--- order.mlir

// 1 chip x 2 tiles x 2 cores x 2 units = 8 units; slot n goes to core n % 2,
// unit (n / 2) % 2, tile n / 4. Two layers: the second continues where the
// first stopped. Cells: R x C x 4 slices per block,
// (16 + 12 + 8 + 16 + 1) x 4 = 212.
// ORDER: module attributes {cim.placement = {blocks = 5 : i64, cells_per_round = array<i64: 212>, chips_used = 1 : i64, reprogram_rounds = 1 : i64, units_used = 5 : i64}
// ORDER-LABEL: func.func @layer0
// ORDER: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>
// ORDER: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0>
// ORDER: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 0, core = 0, unit = 1>
// ORDER-LABEL: func.func @layer1
// ORDER: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 0, core = 1, unit = 1>
// ORDER: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 1, core = 0, unit = 0>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @layer0(%x: tensor<2x4xi8>, %w4x4: tensor<4x4xi8>, %w3x4: tensor<3x4xi8>, %w4x2: tensor<4x2xi8>, %z4: tensor<2x4xi32>, %z2: tensor<2x2xi32>) -> (tensor<2x4xi32>, tensor<2x4xi32>, tensor<2x2xi32>) {
    %a = cim.mvm_tile %x[0], %w4x4, %z4 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %b = cim.mvm_tile %x[0], %w3x4, %a {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x4xi8>, tensor<3x4xi8> -> tensor<2x4xi32>
    %c = cim.mvm_tile %x[0], %w4x2, %z2 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x4xi8>, tensor<4x2xi8> -> tensor<2x2xi32>
    return %a, %b, %c : tensor<2x4xi32>, tensor<2x4xi32>, tensor<2x2xi32>
  }
  func.func @layer1(%x: tensor<2x4xi8>, %w4x4: tensor<4x4xi8>, %w1x1: tensor<1x1xi8>, %z4: tensor<2x4xi32>, %z1: tensor<2x1xi32>) -> (tensor<2x4xi32>, tensor<2x1xi32>) {
    %a = cim.mvm_tile %x[0], %w4x4, %z4 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %b = cim.mvm_tile %x[3], %w1x1, %z1 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x4xi8>, tensor<1x1xi8> -> tensor<2x1xi32>
    return %a, %b : tensor<2x4xi32>, tensor<2x1xi32>
  }
}

//--- overflow.mlir

// Ten 4 x 4 blocks on 8 units, differential (4 slices x 2 arrays: 128 cells
// per block).
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = differential, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @big(%x: tensor<2x4xi8>, %w: tensor<4x4xi8>, %z: tensor<2x4xi32>) -> tensor<2x4xi32> {
    %t0 = cim.mvm_tile %x[0], %w, %z {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t1 = cim.mvm_tile %x[0], %w, %t0 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t2 = cim.mvm_tile %x[0], %w, %t1 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t3 = cim.mvm_tile %x[0], %w, %t2 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t4 = cim.mvm_tile %x[0], %w, %t3 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t5 = cim.mvm_tile %x[0], %w, %t4 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t6 = cim.mvm_tile %x[0], %w, %t5 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t7 = cim.mvm_tile %x[0], %w, %t6 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t8 = cim.mvm_tile %x[0], %w, %t7 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t9 = cim.mvm_tile %x[0], %w, %t8 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %t9 : tensor<2x4xi32>
  }
}

// multi-chip: blocks 8 and 9 go to a second chip.
// MULTI: remark: placement spans 2 chips (the target has 1): 10 weight blocks on 8 MVM units per chip
// MULTI: module attributes {cim.placement = {blocks = 10 : i64, cells_per_round = array<i64: 1280>, chips_used = 2 : i64, reprogram_rounds = 1 : i64, units_used = 10 : i64}
// MULTI-COUNT-8: place = #cim.place<chip = 0,
// MULTI: place = #cim.place<chip = 1, tile = 0, core = 0, unit = 0>
// MULTI: place = #cim.place<chip = 1, tile = 0, core = 1, unit = 0>

// reprogram: blocks 8 and 9 reuse the first two units in round 1.
// REPROG: remark: reprogramming: 10 weight blocks on 8 MVM units in 2 rounds; cells written per round (rows x cols x slices x 2 differential per block): [1024, 256], 1280 per pass over the model
// REPROG: module attributes {cim.placement = {blocks = 10 : i64, cells_per_round = array<i64: 1024, 256>, chips_used = 1 : i64, reprogram_rounds = 2 : i64, units_used = 8 : i64}
// REPROG: place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>
// REPROG-COUNT-7: place = #cim.place<chip = 0, tile = {{[01]}}, core = {{[01]}}, unit = {{[01]}}>
// REPROG: place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0, round = 1>
// REPROG: place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0, round = 1>

//--- overflow-error.mlir

// The same ten blocks with the default overflow=error.
// expected-error @+1 {{the model needs 10 MVM units (one per weight block) but the target has 8 (chips x tiles x cores x mvm_units = 1 x 2 x 2 x 2); use overflow=multi-chip or overflow=reprogram}}
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = differential, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @big(%x: tensor<2x4xi8>, %w: tensor<4x4xi8>, %z: tensor<2x4xi32>) -> tensor<2x4xi32> {
    %t0 = cim.mvm_tile %x[0], %w, %z {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t1 = cim.mvm_tile %x[0], %w, %t0 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t2 = cim.mvm_tile %x[0], %w, %t1 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t3 = cim.mvm_tile %x[0], %w, %t2 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t4 = cim.mvm_tile %x[0], %w, %t3 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t5 = cim.mvm_tile %x[0], %w, %t4 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t6 = cim.mvm_tile %x[0], %w, %t5 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t7 = cim.mvm_tile %x[0], %w, %t6 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t8 = cim.mvm_tile %x[0], %w, %t7 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %t9 = cim.mvm_tile %x[0], %w, %t8 {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %t9 : tensor<2x4xi32>
  }
}

//--- errors.mlir

// expected-error @+1 {{'cim.target' attribute missing on the module; run --cim-set-target first}}
module {
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @untiled(%x: tensor<2x4xi8>, %w: tensor<4x4xi8>) -> tensor<2x4xi32> {
    // expected-error @+1 {{'cim.mvm' op has a stationary weight but is not tiled; run --cim-quantize and --cim-tile before --cim-place}}
    %y = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %y : tensor<2x4xi32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @unquantized(%x: tensor<2x4xf32>, %w: tensor<4x4xf32>) -> tensor<2x4xf32> {
    // expected-error @+1 {{'cim.linear' op has a stationary weight but is not tiled; run --cim-quantize and --cim-tile before --cim-place}}
    %y = cim.linear %x, %w : tensor<2x4xf32>, tensor<4x4xf32> -> tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @moe(%x: tensor<8x4xf32>, %w: tensor<2x4x6xf32>, %i: tensor<8x1xi32>) -> tensor<8x1x6xf32> {
    // expected-error @+1 {{'cim.moe_linear' op has a stationary weight but is not tiled; run --cim-quantize and --cim-tile before --cim-place}}
    %h = cim.moe_linear %x, %w, %i : tensor<8x4xf32>, tensor<2x4x6xf32>, tensor<8x1xi32> -> tensor<8x1x6xf32>
    return %h : tensor<8x1x6xf32>
  }
}

// -----

// Tiled for 8 x 8 units, placed on a 4 x 4 target.
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @too_big(%x: tensor<2x8xi8>, %w: tensor<8x8xi8>, %z: tensor<2x8xi32>) -> tensor<2x8xi32> {
    // expected-error @+1 {{'cim.mvm_tile' op weight block 8 x 8 does not fit the target's 4 x 4 MVM unit}}
    %y = cim.mvm_tile %x[0], %w, %z {rows = 8, cols = 8, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x8xi8>, tensor<8x8xi8> -> tensor<2x8xi32>
    return %y : tensor<2x8xi32>
  }
}

//--- pipeline.mlir

// The whole chain on a 6 x 5 layer and 4 x 4 units: 2 x 2 blocks, spread
// over the two cores of tile 0. Cells: (16 + 8 + 4 + 2) x 4 slices = 120.
// PIPE: module attributes {cim.placement = {blocks = 4 : i64, cells_per_round = array<i64: 120>, chips_used = 1 : i64, reprogram_rounds = 1 : i64, units_used = 4 : i64}
// PIPE: %[[Q:.*]], %[[S:.*]] = cim.quantize_dynamic
// PIPE: cim.mvm_tile %[[Q]][0], {{.*}}place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>{{.*}} : tensor<3x6xi8>, tensor<4x4xi8> -> tensor<3x4xi32>
// PIPE: cim.mvm_tile %[[Q]][4], {{.*}}place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0>{{.*}} : tensor<3x6xi8>, tensor<2x4xi8> -> tensor<3x4xi32>
// PIPE: cim.mvm_tile %[[Q]][0], {{.*}}place = #cim.place<chip = 0, tile = 0, core = 0, unit = 1>{{.*}} : tensor<3x6xi8>, tensor<4x1xi8> -> tensor<3x1xi32>
// PIPE: cim.mvm_tile %[[Q]][4], {{.*}}place = #cim.place<chip = 0, tile = 0, core = 1, unit = 1>{{.*}} : tensor<3x6xi8>, tensor<2x1xi8> -> tensor<3x1xi32>
// PIPE: %[[C:.*]] = tensor.concat dim(1)
// PIPE: cim.dequantize_acc %[[C]] scales({{.*}} : tensor<5xf32>) input_scales(%[[S]] : tensor<3x1xf32>)
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @layer(%x: tensor<3x6xf32>) -> tensor<3x5xf32> {
    %w = arith.constant dense<0.5> : tensor<6x5xf32>
    %y = cim.linear %x, %w : tensor<3x6xf32>, tensor<6x5xf32> -> tensor<3x5xf32>
    return %y : tensor<3x5xf32>
  }
}

//--- experts.mlir

// An mvm_tile, then 2 experts x 1 column block x 2 row blocks of 4 x 4, then
// another tile: one slot sequence, cores round-robin first.
// EXPERTS-LABEL: func.func @experts
// EXPERTS: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>
// EXPERTS: cim.moe_mvm {{.*}}places = [#cim.place<chip = 0, tile = 0, core = 1, unit = 0>, #cim.place<chip = 0, tile = 0, core = 0, unit = 1>, #cim.place<chip = 0, tile = 0, core = 1, unit = 1>, #cim.place<chip = 0, tile = 1, core = 0, unit = 0>]
// EXPERTS: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 1, core = 1, unit = 0>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @experts(%x: tensor<2x4xi8>, %q: tensor<2x8xi8>, %s: tensor<2x1xf32>, %l: tensor<2x2xi32>, %c: tensor<2xi32>) -> (tensor<2x4xi32>, tensor<2x1x4xf32>, tensor<2x4xi32>) {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %zero = arith.constant dense<0> : tensor<2x4xi32>
    %a = cim.mvm_tile %x[0], %w, %zero {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %we = arith.constant dense<1> : tensor<2x8x4xi8>
    %ws = arith.constant dense<1.0> : tensor<2x4xf32>
    %b = cim.moe_mvm %q scales(%s), %we scales(%ws), %l, %c {rows = 4 : i64, cols = 4 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x8xi8>, tensor<2x1xf32>, tensor<2x8x4xi8>, tensor<2x4xf32>, tensor<2x2xi32>, tensor<2xi32> -> tensor<2x1x4xf32>
    %d = cim.mvm_tile %x[0], %w, %zero {rows = 4, cols = 4, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %a, %b, %d : tensor<2x4xi32>, tensor<2x1x4xf32>, tensor<2x4xi32>
  }
}

//--- experts-round.mlir

// Experts that would fall into a reprogramming round.
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 2, tiles = 1, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @round(%q: tensor<2x8xi8>, %s: tensor<2x1xf32>, %l: tensor<2x2xi32>, %c: tensor<2xi32>) -> tensor<2x1x4xf32> {
    %we = arith.constant dense<1> : tensor<2x8x4xi8>
    %ws = arith.constant dense<1.0> : tensor<2x4xf32>
    // expected-error @+1 {{'cim.moe_mvm' op needs its 4 expert blocks resident, but they fall into reprogramming round 1; use overflow=multi-chip}}
    %b = cim.moe_mvm %q scales(%s), %we scales(%ws), %l, %c {rows = 4 : i64, cols = 4 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x8xi8>, tensor<2x1xf32>, tensor<2x8x4xi8>, tensor<2x4xf32>, tensor<2x2xi32>, tensor<2xi32> -> tensor<2x1x4xf32>
    return %b : tensor<2x1x4xf32>
  }
}

//--- experts-big.mlir

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @big(%q: tensor<2x8xi8>, %s: tensor<2x1xf32>, %l: tensor<2x2xi32>, %c: tensor<2xi32>) -> tensor<2x1x4xf32> {
    %we = arith.constant dense<1> : tensor<2x8x4xi8>
    %ws = arith.constant dense<1.0> : tensor<2x4xf32>
    // expected-error @+1 {{'cim.moe_mvm' op is tiled for 8 x 4 blocks, larger than the target's 4 x 4 MVM unit}}
    %b = cim.moe_mvm %q scales(%s), %we scales(%ws), %l, %c {rows = 8 : i64, cols = 4 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x8xi8>, tensor<2x1xf32>, tensor<2x8x4xi8>, tensor<2x4xf32>, tensor<2x2xi32>, tensor<2xi32> -> tensor<2x1x4xf32>
    return %b : tensor<2x1x4xf32>
  }
}

//--- stages.mlir

// replicate=2 balances the pipeline stages: the 3-block chain (3 block
// multiplications per row chunk) gets a copy of each block, the 1-block one
// none; the copies follow all blocks in slot order.
// REPLICATE: cim.placement = {blocks = 7 : i64
// REPLICATE: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>, rows
// REPLICATE: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0>, replicas = [#cim.place<chip = 0, tile = 0, core = 0, unit = 2>]
// REPLICATE: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 0, core = 0, unit = 1>, replicas = [#cim.place<chip = 0, tile = 0, core = 1, unit = 2>]
// REPLICATE: cim.mvm_tile {{.*}}place = #cim.place<chip = 0, tile = 0, core = 1, unit = 1>, replicas = [#cim.place<chip = 0, tile = 0, core = 0, unit = 3>]
// REPLICATE-ROUNDS: error: replicate=4 needs 10 resident MVM units but the target has 2; copies that are reprogrammed away balance nothing (use overflow=multi-chip or a smaller factor)
// REPLICATE-ZERO: error: replicate must be at least 1, got 0
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 4, cores = 2, tiles = 2, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @stages(%x: tensor<2x4xi8>, %y: tensor<2x12xi8>) -> (tensor<2x4xi32>, tensor<2x4xi32>) {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %zero = arith.constant dense<0> : tensor<2x4xi32>
    %a = cim.mvm_tile %x[0], %w, %zero {rows = 4, cols = 4, slicing = #s} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %b0 = cim.mvm_tile %y[0], %w, %zero {rows = 4, cols = 4, slicing = #s} : tensor<2x12xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %b1 = cim.mvm_tile %y[4], %w, %b0 {rows = 4, cols = 4, slicing = #s} : tensor<2x12xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %b2 = cim.mvm_tile %y[8], %w, %b1 {rows = 4, cols = 4, slicing = #s} : tensor<2x12xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %a, %b2 : tensor<2x4xi32>, tensor<2x4xi32>
  }
}

//--- stages-small.mlir

#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 2, tiles = 1, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true>} {
  func.func @stages(%x: tensor<2x4xi8>, %y: tensor<2x12xi8>) -> (tensor<2x4xi32>, tensor<2x4xi32>) {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %zero = arith.constant dense<0> : tensor<2x4xi32>
    %a = cim.mvm_tile %x[0], %w, %zero {rows = 4, cols = 4, slicing = #s} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %b0 = cim.mvm_tile %y[0], %w, %zero {rows = 4, cols = 4, slicing = #s} : tensor<2x12xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %b1 = cim.mvm_tile %y[4], %w, %b0 {rows = 4, cols = 4, slicing = #s} : tensor<2x12xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %b2 = cim.mvm_tile %y[8], %w, %b1 {rows = 4, cols = 4, slicing = #s} : tensor<2x12xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %a, %b2 : tensor<2x4xi32>, tensor<2x4xi32>
  }
}
