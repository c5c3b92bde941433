// --cim-bitslice: every crossbar product takes the target's #cim.slicing.
// RUN: mho-opt %s --split-input-file --cim-bitslice=report --verify-diagnostics | FileCheck %s
// RUN: not mho-opt %s --split-input-file --cim-bitslice 2>&1 | FileCheck %s --check-prefix=QUIET

// Without `report`, no remarks (the error cases still fail).
// QUIET-NOT: remark:
// QUIET: 'cim.mvm' op weight value -128
// QUIET-NOT: remark:

// Offset encoding, 2-bit cells, 1-bit DACs: 4 slices, 8 planes.
// CHECK-LABEL: func.func @offset
// CHECK: cim.mvm %{{.*}}, %{{.*}} {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>}
// CHECK: cim.mvm_tile %{{.*}}[0], %{{.*}}, %{{.*}} {cols = 128 : i64, rows = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>}
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @offset(%x: tensor<4x3xi8>) -> (tensor<4x2xi32>, tensor<4x2xi32>) {
    // The most negative weight is fine under offset encoding.
    %w = arith.constant dense<[[-128, 127], [0, 1], [2, 3]]> : tensor<3x2xi8>
    %zero = arith.constant dense<0> : tensor<4x2xi32>
    // expected-remark @+1 {{8 planes x 4 slices = 32 crossbar reads per input vector}}
    %a = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 1, slices = 8, input_bits = 8, dac_bits = 2, planes = 4, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    // expected-remark @+1 {{8 planes x 4 slices = 32 crossbar reads per input vector}}
    %b = cim.mvm_tile %x[0], %w, %zero {rows = 128, cols = 128, slicing = #cim.slicing<weight_bits = 8, cell_bits = 8, slices = 1, input_bits = 8, dac_bits = 8, planes = 1, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    return %a, %b : tensor<4x2xi32>, tensor<4x2xi32>
  }
}

// -----

// Differential encoding stores 7 magnitude bits: 4 slices of 2-bit cells on a
// positive and a negative array; 2-bit DACs stream 8-bit inputs in 4 planes.
// -127 is representable; an elided weight cannot be checked and passes.
// CHECK-LABEL: func.func @differential
// CHECK: cim.mvm %{{.*}}, %{{.*}} {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 2, planes = 4, encoding = differential>}
// CHECK: cim.mvm %{{.*}}, %{{.*}} {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 2, planes = 4, encoding = differential>}
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = differential, input_bits = 8, dac_bits = 2, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @differential(%x: tensor<4x3xi8>) -> (tensor<4x2xi32>, tensor<4x2xi32>) {
    %w = arith.constant dense<[[-127, 127], [0, 1], [2, 3]]> : tensor<3x2xi8>
    %e = arith.constant dense_resource<__elided__> : tensor<3x2xi8>
    // expected-remark @+1 {{4 planes x 4 slices x 2 (differential) = 32 crossbar reads per input vector}}
    %a = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    // expected-remark @+1 {{4 planes x 4 slices x 2 (differential) = 32 crossbar reads per input vector}}
    %b = cim.mvm %x, %e {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    return %a, %b : tensor<4x2xi32>, tensor<4x2xi32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = differential, input_bits = 8, dac_bits = 2, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @unrepresentable(%x: tensor<4x3xi8>) -> tensor<4x2xi32> {
    %w = arith.constant dense<[[1, 127], [0, -128], [2, 3]]> : tensor<3x2xi8>
    // expected-error @+1 {{'cim.mvm' op weight value -128 at [1, 1] cannot be stored under differential encoding (range [-127, 127])}}
    %a = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    return %a : tensor<4x2xi32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = differential, input_bits = 8, dac_bits = 2, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @short_blob(%x: tensor<4x3xi8>) -> tensor<4x2xi32> {
    %w = arith.constant dense_resource<short8> : tensor<3x2xi8>
    // expected-error @+1 {{'cim.mvm' op weight resource 'short8' holds 2 bytes, but 'tensor<3x2xi8>' needs 6}}
    %a = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    return %a : tensor<4x2xi32>
  }
}
{-#
  dialect_resources: {
    builtin: {
      short8: "0x010000000102"
    }
  }
#-}

// -----

// A blob with -128 under differential encoding.
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = differential, input_bits = 8, dac_bits = 2, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @blob_unrepresentable(%x: tensor<4x3xi8>) -> tensor<4x2xi32> {
    %w = arith.constant dense_resource<w8> : tensor<3x2xi8>
    // expected-error @+1 {{'cim.mvm' op weight value -128 at [2, 0] cannot be stored under differential encoding (range [-127, 127])}}
    %a = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    return %a : tensor<4x2xi32>
  }
}
{-#
  dialect_resources: {
    builtin: {
      w8: "0x01000000010203048005"
    }
  }
#-}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 6, dac_bits = 2, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @input_width(%x: tensor<4x3xi8>, %w: tensor<3x2xi8>) -> tensor<4x2xi32> {
    // expected-error @+1 {{'cim.mvm' op input element type 'i8' does not match the target's input_bits = 6}}
    %a = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    return %a : tensor<4x2xi32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 4, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 2, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @weight_width(%x: tensor<4x3xi8>, %w: tensor<3x2xi8>, %acc: tensor<4x2xi32>) -> tensor<4x2xi32> {
    // expected-error @+1 {{'cim.mvm_tile' op weight element type 'i8' does not match the target's weight_bits = 4}}
    %a = cim.mvm_tile %x[0], %w, %acc {rows = 128, cols = 128, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    return %a : tensor<4x2xi32>
  }
}

// -----

// expected-error @+1 {{'cim.target' attribute missing on the module; run --cim-set-target first}}
module {
  func.func @no_target(%x: tensor<4x3xi8>, %w: tensor<3x2xi8>) -> tensor<4x2xi32> {
    %a = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x3xi8>, tensor<3x2xi8> -> tensor<4x2xi32>
    return %a : tensor<4x2xi32>
  }
}

// -----

// Experts' weights take the slicing too.
// CHECK-LABEL: func.func @experts
// CHECK: cim.moe_mvm {{.*}}slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 2, planes = 4, encoding = differential>
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = differential, input_bits = 8, dac_bits = 2, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @experts(%q: tensor<2x2xi8>, %s: tensor<2x1xf32>, %l: tensor<2x2xi32>, %c: tensor<2xi32>) -> tensor<2x1x2xf32> {
    %w = arith.constant dense<[[[1, 2], [3, 4]], [[5, 6], [7, -127]]]> : tensor<2x2x2xi8>
    %ws = arith.constant dense<1.0> : tensor<2x2xf32>
    // expected-remark @+1 {{4 planes x 4 slices x 2 (differential) = 32 crossbar reads per input vector}}
    %a = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x2xi8>, tensor<2x1xf32>, tensor<2x2x2xi8>, tensor<2x2xf32>, tensor<2x2xi32>, tensor<2xi32> -> tensor<2x1x2xf32>
    return %a : tensor<2x1x2xf32>
  }
}

// -----

// A value the encoding cannot store is named by [expert, row, column].
module attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = differential, input_bits = 8, dac_bits = 2, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>} {
  func.func @experts_bad(%q: tensor<2x2xi8>, %s: tensor<2x1xf32>, %l: tensor<2x2xi32>, %c: tensor<2xi32>) -> tensor<2x1x2xf32> {
    %bad = arith.constant dense<[[[1, 2], [3, 4]], [[5, 6], [-128, 8]]]> : tensor<2x2x2xi8>
    %ws = arith.constant dense<1.0> : tensor<2x2xf32>
    // expected-error @+1 {{'cim.moe_mvm' op weight value -128 at [1, 1, 0] cannot be stored under differential encoding (range [-127, 127])}}
    %b = cim.moe_mvm %q scales(%s), %bad scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x2xi8>, tensor<2x1xf32>, tensor<2x2x2xi8>, tensor<2x2xf32>, tensor<2x2xi32>, tensor<2xi32> -> tensor<2x1x2xf32>
    return %b : tensor<2x1x2xf32>
  }
}
