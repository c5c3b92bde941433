// Every diagnostic of convert-cim-to-xbar, at the op it names.
// RUN: mho-opt %s --split-input-file --convert-cim-to-xbar --verify-diagnostics

// expected-error @+1 {{'cim.target' attribute missing on the module; run --cim-set-target first}}
module {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    return %x : tensor<2x4xf32>
  }
}

// -----

// expected-error @+1 {{convert-cim-to-xbar expects exactly one public function with a body (the entry), found 2}}
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    return %x : tensor<2x4xf32>
  }
  func.func @g(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    return %x : tensor<2x4xf32>
  }
}

// -----

// expected-error @+1 {{convert-cim-to-xbar expects exactly one public function with a body (the entry), found 0}}
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func private @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32>
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  // expected-error @+1 {{'func.func' op has more than one block}}
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    cf.br ^bb1
  ^bb1:
    return %x : tensor<2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  // expected-error @+1 {{'func.func' op has the dynamic shape 'tensor<?x4xf32>'; convert-cim-to-xbar needs static shapes}}
  func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    return %x : tensor<?x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xf32>, %n: index) -> tensor<?x4xf32> {
    // expected-error @+1 {{'tensor.extract_slice' op has the dynamic shape 'tensor<?x4xf32>'; convert-cim-to-xbar needs static shapes}}
    %s = tensor.extract_slice %x[0, 0] [%n, 4] [1, 1] : tensor<2x4xf32> to tensor<?x4xf32>
    return %s : tensor<?x4xf32>
  }
}

// -----

// An adc_bits the ISA's unit configuration cannot hold.
// expected-error @+1 {{the target does not give a valid ISA unit configuration: unit configuration: adc_bits is 30, must be in [1, 29]}}
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 30, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    return %x : tensor<2x4xf32>
  }
}

// -----

#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xi8>) -> tensor<2x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    // expected-error @+1 {{'cim.mvm_tile' op has no #cim.place; run --cim-place first}}
    %y = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %y : tensor<2x4xi32>
  }
}

// -----

#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xi8>) -> tensor<2x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    // expected-error @+1 {{'cim.mvm_tile' op is placed at #cim.place<chip = 0, tile = 0, core = 0, unit = 2>, outside the target's 1 tiles x 2 cores x 2 MVM units}}
    %y = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 2>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %y : tensor<2x4xi32>
  }
}

// -----

#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
// expected-error @+1 {{the placement uses 70000 chips; the image holds at most 65535}}
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xi8>) -> tensor<2x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %y = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 69999, tile = 0, core = 0, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %y : tensor<2x4xi32>
  }
}

// -----

#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xi8>, %w: tensor<4x4xi8>) -> tensor<2x4xi32> {
    %z = arith.constant dense<0> : tensor<2x4xi32>
    // expected-error @+1 {{'cim.mvm_tile' op weight is not a constant; a weight block must be known at compile time}}
    %y = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %y : tensor<2x4xi32>
  }
}

// -----

// One input vector of a 5-row block (8 bytes aligned) and 4 sums do not fit
// 21 bytes.
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 5, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 21, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x5xi8>) -> tensor<2x4xi32> {
    %w = arith.constant dense<1> : tensor<5x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    // expected-error @+1 {{'cim.mvm_tile' op needs 24 bytes of scratchpad for one input vector (5 i8 inputs, 4 i32 sums, 4-byte aligned) but the target's spad_bytes is 21}}
    %y = cim.mvm_tile %x[0], %w, %z {rows = 5 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x5xi8>, tensor<5x4xi8> -> tensor<2x4xi32>
    return %y : tensor<2x4xi32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    %w = arith.constant dense<1.0> : tensor<4x4xf32>
    // expected-error @+1 {{'cim.linear' op is not supported by convert-cim-to-xbar}}
    %y = cim.linear %x, %w : tensor<2x4xf32>, tensor<4x4xf32> -> tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<1x4xf32> {
    // expected-error @+1 {{'cim.reduce' op along axis 0 of 2 is not supported: the vector unit reduces the last axis; transpose the axis to the end first}}
    %y = cim.reduce <sum> %x {axis = 0 : i64, keep_dims} : tensor<2x4xf32> -> tensor<1x4xf32>
    return %y : tensor<1x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    // expected-error @+1 {{'cim.softmax' op along axis 0 of 2 is not supported: the vector unit reduces the last axis; transpose the axis to the end first}}
    %y = cim.softmax %x {axis = 0 : i64} : tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xi8>) -> tensor<2x1xi8> {
    // expected-error @+1 {{'cim.reduce' op on 'i8' is not supported: the vector unit reduces f32 and i32}}
    %y = cim.reduce <max> %x {axis = 1 : i64, keep_dims} : tensor<2x4xi8> -> tensor<2x1xi8>
    return %y : tensor<2x1xi8>
  }
}

// -----

// A softmax row of 2048 f32 (8 KiB) and its max and sum do not fit 4 KiB.
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x2048xf32>) -> tensor<2x2048xf32> {
    // expected-error @+1 {{'cim.softmax' op needs 8200 bytes of scratchpad for one row of 2048 columns but the target's spad_bytes is 4096}}
    %y = cim.softmax %x {axis = 1 : i64} : tensor<2x2048xf32>
    return %y : tensor<2x2048xf32>
  }
}

// -----

// Element-wise rows split into column blocks, but one column of x and of b
// (8 bytes) does not fit a 5-byte scratchpad.
module attributes {cim.target = #cim.target<rows = 1, cols = 1, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 5, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
    // expected-error @+1 {{'cim.binary' op needs 8 bytes of scratchpad for one row of 1 column but the target's spad_bytes is 5}}
    %y = cim.binary <add> %x, %b : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  }
}

// -----

// One row of a and one of b (K = 1024 f32) do not fit 4 KiB.
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%a: tensor<2x1024xf32>, %b: tensor<4x1024xf32>) -> tensor<2x4xf32> {
    // expected-error @+1 {{'cim.dmm' op needs 8196 bytes of scratchpad for one row of a, one column of b and one result (K = 1024) but the target's spad_bytes is 4096}}
    %d = cim.dmm %a, %b {transpose_b} : tensor<2x1024xf32>, tensor<4x1024xf32> -> tensor<2x4xf32>
    return %d : tensor<2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = false, dram_bytes = 1048576>} {
  func.func @f(%a: tensor<2x8xf32>, %b: tensor<8x4xf32>) -> tensor<2x4xf32> {
    // expected-error @+1 {{'cim.dmm' op needs the digital matrix unit, which the target does not have (dmu = false)}}
    %d = cim.dmm %a, %b : tensor<2x8xf32>, tensor<8x4xf32> -> tensor<2x4xf32>
    return %d : tensor<2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%a: tensor<2x1xi16>, %b: tensor<1x4xi16>) -> tensor<2x4xi32> {
    // expected-error @+1 {{'cim.dmm' op on 'i16' x 'i16' is not supported: the digital matrix unit multiplies f32 or i8}}
    %d = cim.dmm %a, %b : tensor<2x1xi16>, tensor<1x4xi16> -> tensor<2x4xi32>
    return %d : tensor<2x4xi32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 4096>} {
  func.func @f(%x: tensor<16x64xf32>) -> tensor<16x64xf32> {
    // expected-error @+1 {{'cim.unary' op exhausts DRAM: its 4096-byte buffer at 0x1000 does not fit the target's 4096 bytes (dram_bytes)}}
    %y = cim.unary <exp> %x : tensor<16x64xf32>
    return %y : tensor<16x64xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xi8>, %y: tensor<2x4xi8>) -> tensor<2x4xi8> {
    // expected-error @+1 {{'cim.binary' op on 'i8' is not supported: the vector unit computes f32 and i32}}
    %z = cim.binary <add> %x, %y : tensor<2x4xi8>, tensor<2x4xi8> -> tensor<2x4xi8>
    return %z : tensor<2x4xi8>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xi4> {
    // expected-error @+1 {{'cim.quantize' op to 4 bits is not supported: the vector unit's quant saturates to i8 or i16}}
    %q = cim.quantize %x {quant = #cim.quant<bits = 4, scale = 2.500000e-01 : f32>} : tensor<2x4xf32> -> tensor<2x4xi4>
    return %q : tensor<2x4xi4>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  // expected-error @+1 {{'func.func' op argument #0 of type 'tensor<2x4xi1>' cannot be an image symbol (element types i8, i16, i32, f32, bf16, f16; rank <= 6)}}
  func.func @f(%x: tensor<2x4xi1>) -> tensor<2x4xi1> {
    return %x : tensor<2x4xi1>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xi64> {
    %c = arith.constant dense<1> : tensor<2x4xi64>
    // expected-error @+1 {{'func.return' op result #0 of type 'tensor<2x4xi64>' cannot be an image symbol (element types i8, i16, i32, f32, bf16, f16; rank <= 6)}}
    return %c : tensor<2x4xi64>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x2xf32>) -> tensor<1x2xi64> {
    // expected-error @+1 {{'arith.constant' op constant of type 'tensor<2x2xi64>' cannot be placed in DRAM (element types i8, i16, i32, f32, bf16, f16; rank <= 6)}}
    %c = arith.constant dense<1> : tensor<2x2xi64>
    %y = tensor.extract_slice %c[0, 0] [1, 2] [1, 1] : tensor<2x2xi64> to tensor<1x2xi64>
    return %y : tensor<1x2xi64>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x2xf32>) -> tensor<2x4xi64> {
    %c = arith.constant dense<1> : tensor<2x2xi64>
    // expected-error @+1 {{'tensor.concat' op element type 'i64' has no memory layout on the target}}
    %y = tensor.concat dim(1) %c, %c : (tensor<2x2xi64>, tensor<2x2xi64>) -> tensor<2x4xi64>
    return %y : tensor<2x4xi64>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<4x4xf32>) -> tensor<2x4xf32> {
    %i = arith.constant 1 : index
    // expected-error @+1 {{'tensor.extract_slice' op has dynamic offsets, sizes or strides; convert-cim-to-xbar needs static slices}}
    %s = tensor.extract_slice %x[%i, 0] [2, 4] [1, 1] : tensor<4x4xf32> to tensor<2x4xf32>
    return %s : tensor<2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<4x4xf32>, %y: tensor<2x4xf32>) -> tensor<4x4xf32> {
    %i = arith.constant 1 : index
    // expected-error @+1 {{'tensor.insert_slice' op has dynamic offsets, sizes or strides; convert-cim-to-xbar needs static slices}}
    %s = tensor.insert_slice %y into %x[%i, 0] [2, 4] [1, 1] : tensor<2x4xf32> into tensor<4x4xf32>
    return %s : tensor<4x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    // expected-error @+1 {{'arith.addf' op is not supported by convert-cim-to-xbar}}
    %y = arith.addf %x, %x : tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%q: tensor<2x4xi8>, %s: tensor<2x1xf32>, %l: tensor<2x4xi32>, %c: tensor<2xi32>) -> tensor<2x2x4xf32> {
    %w = arith.constant dense<1> : tensor<2x4x4xi8>
    %ws = arith.constant dense<1.0> : tensor<2x4xf32>
    // expected-error @+1 {{'cim.moe_mvm' op has no places; run --cim-place first}}
    %y = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 4 : i64, cols = 4 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<2x4xi8>, tensor<2x1xf32>, tensor<2x4x4xi8>, tensor<2x4xf32>, tensor<2x4xi32>, tensor<2xi32> -> tensor<2x2x4xf32>
    return %y : tensor<2x2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%q: tensor<2x4xi8>, %s: tensor<2x1xf32>, %w: tensor<2x4x4xi8>, %l: tensor<2x4xi32>, %c: tensor<2xi32>) -> tensor<2x2x4xf32> {
    %ws = arith.constant dense<1.0> : tensor<2x4xf32>
    // expected-error @+1 {{'cim.moe_mvm' op weight is not a constant; expert weight blocks must be known at compile time}}
    %y = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 4 : i64, cols = 4 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>, places = [#cim.place<chip = 0, tile = 0, core = 0, unit = 0>, #cim.place<chip = 0, tile = 0, core = 1, unit = 0>]} : tensor<2x4xi8>, tensor<2x1xf32>, tensor<2x4x4xi8>, tensor<2x4xf32>, tensor<2x4xi32>, tensor<2xi32> -> tensor<2x2x4xf32>
    return %y : tensor<2x2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 64, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%q: tensor<2x4xi8>, %s: tensor<2x1xf32>, %l: tensor<2x4xi32>, %c: tensor<2xi32>) -> tensor<2x2x4xf32> {
    %w = arith.constant dense<1> : tensor<2x4x4xi8>
    %ws = arith.constant dense<1.0> : tensor<2x4xf32>
    // expected-error @+1 {{'cim.moe_mvm' op needs 112 bytes of scratchpad for one slot of an expert (4 slots' inputs of a 4-row block, 4 columns), but the target's spad_bytes is 64}}
    %y = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 4 : i64, cols = 4 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>, places = [#cim.place<chip = 0, tile = 0, core = 0, unit = 0>, #cim.place<chip = 0, tile = 0, core = 1, unit = 0>]} : tensor<2x4xi8>, tensor<2x1xf32>, tensor<2x4x4xi8>, tensor<2x4xf32>, tensor<2x4xi32>, tensor<2xi32> -> tensor<2x2x4xf32>
    return %y : tensor<2x2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 48, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%i: tensor<2x2xi32>) -> tensor<2x2x4xf32> {
    // expected-error @+1 {{'cim.moe_dispatch' op needs 56 bytes of scratchpad for its 4 routing entries and 2 expert lists, but the target's spad_bytes is 48}}
    %l2, %c2 = cim.moe_dispatch %i {experts = 2 : i64} : tensor<2x2xi32> -> tensor<2x4xi32>, tensor<2xi32>
    %y = arith.constant dense<0.0> : tensor<2x2x4xf32>
    return %y : tensor<2x2x4xf32>
  }
}

// -----

module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 24, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @f(%h: tensor<2x4x4xf32>, %p: tensor<2x4xf32>) -> tensor<2x4xf32> {
    // expected-error @+1 {{'cim.moe_combine' op cannot combine 4 slots within the target's spad_bytes = 24}}
    %y = cim.moe_combine %h, %p : tensor<2x4x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
    return %y : tensor<2x4xf32>
  }
}

// -----

#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 3, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 210, tbuf_bytes = 4096, dmu = true, adc_shift = 2, dram_bytes = 1048576>} {
  func.func @f(%q: tensor<10x1xi8>, %s: tensor<10x1xf32>, %l: tensor<2x20xi32>, %c: tensor<2xi32>) -> tensor<10x2x1xf32> {
    %w = arith.constant dense<1> : tensor<2x1x1xi8>
    %ws = arith.constant dense<1.0> : tensor<2x1xf32>
    // expected-error @+1 {{'cim.moe_mvm' op needs 244 bytes of scratchpad to scatter one column of 20 slots, but the target's spad_bytes is 210}}
    %y = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 4 : i64, cols = 4 : i64, slicing = #s,
        places = [#cim.place<chip = 0, tile = 0, core = 0, unit = 0>, #cim.place<chip = 0, tile = 0, core = 1, unit = 0>]}
        : tensor<10x1xi8>, tensor<10x1xf32>, tensor<2x1x1xi8>, tensor<2x1xf32>, tensor<2x20xi32>, tensor<2xi32> -> tensor<10x2x1xf32>
    return %y : tensor<10x2x1xf32>
  }
}
