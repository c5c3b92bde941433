// convert-cim-to-xbar: digital matrix products, data movement (transpose,
// concat, slices, reshapes, broadcast) and constants. Exact instruction
// streams.
// RUN: mho-opt %s --split-input-file --convert-cim-to-xbar | FileCheck %s

// cim.dmm with transpose_b: per batch element, b (5x8) and a (3x8) in, one
// dmm with the transpose flag, the 3x5 result out.
// CHECK-LABEL: xbar.program #xbar.unit_config<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 2, spad_bytes = 4096, tbuf_bytes = 4096, dram_bytes = 1048576, chips = 1, tiles = 1, cores = 2> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x3x8xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @input1 input : tensor<2x5x8xf32> at dram[0xc0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x3x5xf32> at dram[0x200]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0xc0] to spad[0x60] rows 1 row_bytes 160 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dmm f32 dst 0x100 a 0x0 b 0x60 m 3 k 8 n 5 {transpose_b}
// CHECK-NEXT: xbar.dma spad[0x100] to dram[0x200] rows 1 row_bytes 60 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x160] to spad[0x60] rows 1 row_bytes 160 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x60] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dmm f32 dst 0x100 a 0x0 b 0x60 m 3 k 8 n 5 {transpose_b}
// CHECK-NEXT: xbar.dma spad[0x100] to dram[0x23c] rows 1 row_bytes 60 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @dmm(%q: tensor<2x3x8xf32>, %k: tensor<2x5x8xf32>) -> tensor<2x3x5xf32> {
    %s = cim.dmm %q, %k {transpose_b} : tensor<2x3x8xf32>, tensor<2x5x8xf32> -> tensor<2x3x5xf32>
    return %s : tensor<2x3x5xf32>
  }
}

// -----

// b (8 x 64 f32, 2 KiB) does not fit a 1 KiB scratchpad: blocks of 24
// columns of b (the fewest dmm instructions), each with both rows of a,
// results stored with the result's row stride.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x8xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @input1 input : tensor<8x64xf32> at dram[0x40]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x64xf32> at dram[0x840]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x40] to spad[0x40] rows 8 row_bytes 96 strides [256, 96]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 64 strides [0, 0]
// CHECK-NEXT: xbar.dmm f32 dst 0x340 a 0x0 b 0x40 m 2 k 8 n 24
// CHECK-NEXT: xbar.dma spad[0x340] to dram[0x840] rows 2 row_bytes 96 strides [96, 256]
// CHECK-NEXT: xbar.dma dram[0xa0] to spad[0x40] rows 8 row_bytes 96 strides [256, 96]
// CHECK-NEXT: xbar.dmm f32 dst 0x340 a 0x0 b 0x40 m 2 k 8 n 24
// CHECK-NEXT: xbar.dma spad[0x340] to dram[0x8a0] rows 2 row_bytes 96 strides [96, 256]
// CHECK-NEXT: xbar.dma dram[0x100] to spad[0x40] rows 8 row_bytes 64 strides [256, 64]
// CHECK-NEXT: xbar.dmm f32 dst 0x340 a 0x0 b 0x40 m 2 k 8 n 16
// CHECK-NEXT: xbar.dma spad[0x340] to dram[0x900] rows 2 row_bytes 64 strides [64, 256]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @dmm_blocks(%a: tensor<2x8xf32>, %b: tensor<8x64xf32>) -> tensor<2x64xf32> {
    %s = cim.dmm %a, %b : tensor<2x8xf32>, tensor<8x64xf32> -> tensor<2x64xf32>
    return %s : tensor<2x64xf32>
  }
}

// -----

// Transposes are DMAs: one keeping the last dimension moves whole rows; a
// 2-D transpose moves 4-byte elements with strides. A concat copies each
// operand into its columns.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x3x4xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @input1 input : tensor<4x2xf32> at dram[0x80]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<3x2x4xf32> at dram[0x100]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<2x4xf32> at dram[0x180]
// CHECK-NEXT: xbar.symbol @output2 output : tensor<4x4xf32> at dram[0xc0]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x0] to dram[0x100] rows 2 row_bytes 16 strides [48, 16]
// CHECK-NEXT: xbar.dma dram[0x10] to dram[0x120] rows 2 row_bytes 16 strides [48, 16]
// CHECK-NEXT: xbar.dma dram[0x20] to dram[0x140] rows 2 row_bytes 16 strides [48, 16]
// CHECK-NEXT: xbar.dma dram[0x80] to dram[0x180] rows 4 row_bytes 4 strides [8, 4]
// CHECK-NEXT: xbar.dma dram[0x84] to dram[0x190] rows 4 row_bytes 4 strides [8, 4]
// CHECK-NEXT: xbar.dma dram[0x80] to dram[0xc0] rows 4 row_bytes 8 strides [8, 16]
// CHECK-NEXT: xbar.dma dram[0x80] to dram[0xc8] rows 4 row_bytes 8 strides [8, 16]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @transpose_concat(%x: tensor<2x3x4xf32>, %y: tensor<4x2xf32>) -> (tensor<3x2x4xf32>, tensor<2x4xf32>, tensor<4x4xf32>) {
    %e = tensor.empty() : tensor<3x2x4xf32>
    %t = linalg.transpose ins(%x : tensor<2x3x4xf32>) outs(%e : tensor<3x2x4xf32>) permutation = [1, 0, 2]
    %e2 = tensor.empty() : tensor<2x4xf32>
    %u = linalg.transpose ins(%y : tensor<4x2xf32>) outs(%e2 : tensor<2x4xf32>) permutation = [1, 0]
    %c = tensor.concat dim(1) %y, %y : (tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x4xf32>
    return %t, %u, %c : tensor<3x2x4xf32>, tensor<2x4xf32>, tensor<4x4xf32>
  }
}

// -----

// Slices are 2-D DMAs; insert_slice copies the destination then the source
// (one task, in order); reshapes alias their source (output2 is input0's
// address); linalg.broadcast reads its input with a stride of 0.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<4x6xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @input1 input : tensor<2x3xf32> at dram[0x80]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x3xf32> at dram[0xc0]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<4x6xf32> at dram[0x100]
// CHECK-NEXT: xbar.symbol @output2 output : tensor<6x4xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output3 output : tensor<2x4x6xf32> at dram[0x180]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x20] to dram[0xc0] rows 2 row_bytes 12 strides [24, 12]
// CHECK-NEXT: xbar.dma dram[0x0] to dram[0x100] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x80] to dram[0x10c] rows 2 row_bytes 12 strides [12, 24]
// CHECK-NEXT: xbar.dma dram[0x0] to dram[0x180] rows 2 row_bytes 96 strides [0, 96]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @slices(%x: tensor<4x6xf32>, %y: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<4x6xf32>, tensor<6x4xf32>, tensor<2x4x6xf32>) {
    %s = tensor.extract_slice %x[1, 2] [2, 3] [1, 1] : tensor<4x6xf32> to tensor<2x3xf32>
    %i = tensor.insert_slice %y into %x[0, 3] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<4x6xf32>
    %c = tensor.collapse_shape %x [[0, 1]] : tensor<4x6xf32> into tensor<24xf32>
    %v = tensor.expand_shape %c [[0, 1]] output_shape [6, 4] : tensor<24xf32> into tensor<6x4xf32>
    %e = tensor.empty() : tensor<2x4x6xf32>
    %b = linalg.broadcast ins(%x : tensor<4x6xf32>) outs(%e : tensor<2x4x6xf32>) dimensions = [0]
    return %s, %i, %v, %b : tensor<2x3xf32>, tensor<4x6xf32>, tensor<6x4xf32>, tensor<2x4x6xf32>
  }
}

// -----

// Constants read from DRAM get a constant symbol and a dram_init; a fill and
// a from_elements of constants are constants too; a shape-only constant (a
// dense_resource without its blob) keeps its symbol but has no dram_init.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x4xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @c0 constant : tensor<2x4xf32> at dram[0x40]
// CHECK-NEXT: xbar.symbol @c1 constant : tensor<4xf32> at dram[0x100]
// CHECK-NEXT: xbar.symbol @c2 constant : tensor<4xf32> at dram[0x180]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x4xf32> at dram[0x80]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<2x4xf32> at dram[0xc0]
// CHECK-NEXT: xbar.symbol @output2 output : tensor<2x4xf32> at dram[0x140]
// CHECK-NEXT: xbar.dram_init dram[0x40] = dense<5.000000e+00> : tensor<2x4xf32>
// CHECK-NEXT: xbar.dram_init dram[0x100] = dense<[1.000000e+00, 2.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<4xf32>
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x40] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x20] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec sub f32 dst 0x0 src1 0x0 src2 elem 0x20 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x80] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x100] to spad[0x20] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 src2 col 0x20 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0xc0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x180] to spad[0x20] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x20 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x140] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @constants(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>) {
    %f0 = arith.constant 5.0 : f32
    %e = tensor.empty() : tensor<2x4xf32>
    %fill = linalg.fill ins(%f0 : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
    %c1 = arith.constant 1.0 : f32
    %c2 = arith.constant 2.0 : f32
    %v = tensor.from_elements %c1, %c2, %c1, %c2 : tensor<4xf32>
    %shape = arith.constant dense_resource<__elided__> : tensor<4xf32>
    %a = cim.binary <sub> %fill, %x : tensor<2x4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
    %b = cim.binary <mul> %x, %v : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
    %c = cim.binary <add> %x, %shape : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
    return %a, %b, %c : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>
  }
}
