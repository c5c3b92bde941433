// convert-cim-to-xbar with tile-buffers (the default): buffers that only the
// cores of one tile use live in its tile buffer, buffers one tile writes and
// another reads go over the NoC into the reader's; inputs, outputs and
// constants, and what no longer fits stay in DRAM.
// RUN: mho-opt %s --split-input-file --convert-cim-to-xbar | FileCheck %s

// Two layers on the cores of tile 0: the sums, their dequantization and the
// quantized activations go through tbuf; the input, the scales (a constant)
// and the output through DRAM.
// CHECK-LABEL: xbar.program
// CHECK: xbar.core at <0, 0, 0> {
// CHECK: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 8
// CHECK: xbar.dma spad[0x8] to tbuf[0x0] rows 1 row_bytes 32
// CHECK: xbar.dma dram[0x80] to spad[0x20] rows 1 row_bytes 16
// CHECK: xbar.dma tbuf[0x0] to spad[0x0] rows 1 row_bytes 32
// CHECK: xbar.dma spad[0x0] to tbuf[0x40] rows 1 row_bytes 32
// CHECK: xbar.dma tbuf[0x40] to spad[0x0] rows 1 row_bytes 32
// CHECK: xbar.dma spad[0x20] to tbuf[0x80] rows 1 row_bytes 8
// CHECK: xbar.core at <0, 0, 1> {
// CHECK: xbar.dma tbuf[0x80] to spad[0x0] rows 1 row_bytes 8
// CHECK: xbar.dma spad[0x8] to dram[0x140] rows 1 row_bytes 32
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 2, tiles = 2, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @one_tile(%x: tensor<2x4xi8>) -> tensor<2x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %s = arith.constant dense<1.0> : tensor<4xf32>
    %a = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %f = cim.dequantize_acc %a scales(%s : tensor<4xf32>) {input_scale = 1.0 : f32} : tensor<2x4xi32> -> tensor<2x4xf32>
    %q = cim.quantize %f {quant = #cim.quant<bits = 8, scale = 1.0 : f32>} : tensor<2x4xf32> -> tensor<2x4xi8>
    %b = cim.mvm_tile %q[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %b : tensor<2x4xi32>
  }
}

// -----

// The second layer on tile 1: the quantized activations cross tiles over the
// NoC. Tile 0 sends them into tile 1's buffer; the first reader's core
// receives them, then reads them from its tile buffer.
// CHECK-LABEL: xbar.program
// CHECK: xbar.core at <0, 0, 0> {
// CHECK: xbar.dma spad[0x8] to tbuf[0x0] rows 1 row_bytes 32
// CHECK: xbar.dma spad[0x0] to tbuf[0x40] rows 1 row_bytes 32
// CHECK: xbar.send spad[0x20] to <0, 1> tbuf[0x0] bytes 8 tag 1
// CHECK-NEXT: xbar.barrier id 0 count 2
// CHECK: xbar.core at <0, 1, 1> {
// CHECK-NEXT: xbar.wprog unit 0 @w1
// CHECK-NEXT: xbar.barrier id 0 count 2
// CHECK-NEXT: xbar.recv tag 1 from <0, 0> bytes 8
// CHECK-NEXT: xbar.dma tbuf[0x0] to spad[0x0] rows 1 row_bytes 8
// CHECK-NEXT: xbar.mvm unit 0
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x140] rows 1 row_bytes 32
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 2, tiles = 2, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @two_tiles(%x: tensor<2x4xi8>) -> tensor<2x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %s = arith.constant dense<1.0> : tensor<4xf32>
    %a = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %f = cim.dequantize_acc %a scales(%s : tensor<4xf32>) {input_scale = 1.0 : f32} : tensor<2x4xi32> -> tensor<2x4xf32>
    %q = cim.quantize %f {quant = #cim.quant<bits = 8, scale = 1.0 : f32>} : tensor<2x4xf32> -> tensor<2x4xi8>
    %b = cim.mvm_tile %q[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 1, core = 1, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %b : tensor<2x4xi32>
  }
}

// -----

// A 64-byte tile buffer holds the first intermediate only; the next ones
// spill to DRAM.
// CHECK-LABEL: xbar.program
// CHECK: xbar.dma spad[0x8] to tbuf[0x0] rows 1 row_bytes 32
// CHECK: xbar.dma spad[0x0] to dram[0xc0] rows 1 row_bytes 32
// CHECK: xbar.dma spad[0x20] to dram[0x100] rows 1 row_bytes 8
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 2, tiles = 2, chips = 1, spad_bytes = 4096, tbuf_bytes = 64, dmu = true, dram_bytes = 1048576>} {
  func.func @spill(%x: tensor<2x4xi8>) -> tensor<2x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %s = arith.constant dense<1.0> : tensor<4xf32>
    %a = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %f = cim.dequantize_acc %a scales(%s : tensor<4xf32>) {input_scale = 1.0 : f32} : tensor<2x4xi32> -> tensor<2x4xf32>
    %q = cim.quantize %f {quant = #cim.quant<bits = 8, scale = 1.0 : f32>} : tensor<2x4xf32> -> tensor<2x4xi8>
    %b = cim.mvm_tile %q[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %b : tensor<2x4xi32>
  }
}

// -----

// tile-buffers=false keeps every buffer in DRAM.
// RUN: mho-opt %s --split-input-file --convert-cim-to-xbar=tile-buffers=false | FileCheck %s --check-prefix=DRAM
// DRAM-NOT: tbuf[
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 2, tiles = 2, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @dram_only(%x: tensor<2x4xi8>) -> tensor<2x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %s = arith.constant dense<1.0> : tensor<4xf32>
    %a = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %f = cim.dequantize_acc %a scales(%s : tensor<4xf32>) {input_scale = 1.0 : f32} : tensor<2x4xi32> -> tensor<2x4xf32>
    %q = cim.quantize %f {quant = #cim.quant<bits = 8, scale = 1.0 : f32>} : tensor<2x4xf32> -> tensor<2x4xi8>
    %b = cim.mvm_tile %q[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %b : tensor<2x4xi32>
  }
}
