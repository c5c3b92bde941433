// convert-cim-to-xbar: mixture of experts. One vdispatch; per expert, its
// routed slots gathered, multiplied with count-indirect mvms (chunk counts
// clamped at run time), dequantized with the expert's channel scales and the
// slots' row scales; one scatter task per column block; the combine sums each
// token's slots in slot order.
// RUN: mho-opt %s --split-input-file --convert-cim-to-xbar=tile-buffers=false | FileCheck %s

// CHECK-LABEL: xbar.program
// CHECK: xbar.weight_block @w0 : tensor<4x4xi8> = dense<1>
// CHECK: xbar.weight_block @w1 : tensor<4x4xi8> = dense<1>
// CHECK: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.wprog unit 0 @w0
// The routing: indices in, lists and counts out.
// CHECK-NEXT: xbar.dma dram[0x80] to spad[0x0] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.vdispatch dst_lists 0x10 dst_counts 0x30 src 0x0 entries 4 experts 2 capacity 4
// CHECK-NEXT: xbar.dma spad[0x10] to dram[[[LISTS:0x[0-9a-f]+]]] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma spad[0x30] to dram[[[COUNTS:0x[0-9a-f]+]]] rows 1 row_bytes 8 strides [0, 0]
// The per-token input and its row scales copied once per slot (k = 2).
// CHECK-NEXT: xbar.dma dram[0x0] to dram[[[XS:0x[0-9a-f]+]]] rows 2 row_bytes 4 strides [4, 8]
// CHECK-NEXT: xbar.dma dram[0x0] to dram[0x204] rows 2 row_bytes 4 strides [4, 8]
// CHECK-NEXT: xbar.dma dram[0x40] to dram[[[SS:0x[0-9a-f]+]]] rows 2 row_bytes 4 strides [4, 8]
// CHECK-NEXT: xbar.dma dram[0x40] to dram[0x244] rows 2 row_bytes 4 strides [4, 8]
// Expert 0: its count and list, the scales, the slots' inputs.
// CHECK-NEXT: xbar.dma dram[[[COUNTS]]] to spad[0x0] rows 1 row_bytes 4
// CHECK-NEXT: xbar.dma dram[[[LISTS]]] to spad[0x8] rows 1 row_bytes 16
// CHECK-NEXT: xbar.dma dram[[[SS]]] to spad[0x78] rows 1 row_bytes 16
// CHECK-NEXT: xbar.dma dram[0x180] to spad[0x98] rows 1 row_bytes 16
// CHECK-NEXT: xbar.dma dram[[[XS]]] to spad[0x18] rows 1 row_bytes 16
// CHECK-NEXT: xbar.vec sub i32 dst 0x4 src1 0x0 imm0 0 : i32 rows 1 cols 1
// CHECK-NEXT: xbar.vec max i32 dst 0x4 src1 0x4 imm0 0 : i32 rows 1 cols 1
// CHECK-NEXT: xbar.vec min i32 dst 0x4 src1 0x4 imm0 4 : i32 rows 1 cols 1
// CHECK-NEXT: xbar.vgather dst 0x28 src 0x18 index 0x8 count 4 row_bytes 4 {count_indirect}
// CHECK-NEXT: xbar.mvm unit 0 src 0x28 dst 0x38 count 4 strides [4, 16] {count_indirect}
// CHECK-NEXT: xbar.vgather dst 0x88 src 0x78 index 0x8 count 4 row_bytes 4 {count_indirect}
// CHECK-NEXT: xbar.vec dequant i32 to f32 dst 0x38 src1 0x38 src2 col 0x98 imm0 1.000000e+00 : f32 rows 4 cols 4
// CHECK-NEXT: xbar.vec mul f32 dst 0x38 src1 0x38 src2 row 0x88 rows 4 cols 4
// CHECK-NEXT: xbar.dma spad[0x38] to dram[[[Y0:0x[0-9a-f]+]]] rows 1 row_bytes 64
// CHECK-NEXT: xbar.barrier id 0 count 2
// CHECK-NEXT: xbar.barrier id 1 count 2
// The scatter: zeroed block, each expert's rows to its slots.
// CHECK-NEXT: xbar.vec mul i32 dst 0x14 src1 0x14 imm0 0 : i32 rows 4 cols 4
// CHECK-NEXT: xbar.dma dram[[[COUNTS]]] to spad[0x0]
// CHECK-NEXT: xbar.dma dram[[[LISTS]]] to spad[0x4]
// CHECK-NEXT: xbar.dma dram[[[Y0]]] to spad[0x54]
// CHECK-NEXT: xbar.vscatter dst 0x14 src 0x54 index 0x4 count 0 row_bytes 16 {count_indirect}
// CHECK-NEXT: xbar.dma dram[0x144] to spad[0x0]
// CHECK-NEXT: xbar.dma dram[0x110] to spad[0x4]
// CHECK-NEXT: xbar.dma dram[[[Y1:0x[0-9a-f]+]]] to spad[0x54]
// CHECK-NEXT: xbar.vscatter dst 0x14 src 0x54 index 0x4 count 0 row_bytes 16 {count_indirect}
// CHECK-NEXT: xbar.dma spad[0x14] to dram[[[Y:0x[0-9a-f]+]]] rows 1 row_bytes 64
// The combine: slot weights per row, then slot 0 + slot 1 per token.
// CHECK-NEXT: xbar.dma dram[0xc0] to spad[0x40] rows 1 row_bytes 16
// CHECK-NEXT: xbar.dma dram[[[Y]]] to spad[0x0] rows 1 row_bytes 64
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 src2 row 0x40 rows 4 cols 4
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 elem 0x10 rows 1 cols 4
// CHECK-NEXT: xbar.vec add f32 dst 0x20 src1 0x20 src2 elem 0x30 rows 1 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x300] rows 2 row_bytes 16 strides [32, 16]
// CHECK-NEXT: xbar.halt
// Expert 1 on core 1, with its own channel scales (row 1: dram 0x190).
// CHECK: xbar.core at <0, 0, 1> {
// CHECK-NEXT: xbar.wprog unit 0 @w1
// CHECK-NEXT: xbar.barrier id 0 count 2
// CHECK-NEXT: xbar.dma dram[0x144] to spad[0x0]
// CHECK-NEXT: xbar.dma dram[0x110] to spad[0x8]
// CHECK-NEXT: xbar.dma dram[[[SS]]] to spad[0x78]
// CHECK-NEXT: xbar.dma dram[0x190] to spad[0x98]
// CHECK: xbar.mvm unit 0 src 0x28 dst 0x38 count 4 strides [4, 16] {count_indirect}
// CHECK: xbar.dma spad[0x38] to dram[[[Y1]]] rows 1 row_bytes 64
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 3, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, adc_shift = 2, dram_bytes = 1048576>} {
  func.func @moe(%q: tensor<2x4xi8>, %s: tensor<2x1xf32>, %i: tensor<2x2xi32>, %p: tensor<2x2xf32>) -> tensor<2x4xf32> {
    %w = arith.constant dense<1> : tensor<2x4x4xi8>
    %ws = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
    %l, %c = cim.moe_dispatch %i {experts = 2 : i64} : tensor<2x2xi32> -> tensor<2x4xi32>, tensor<2xi32>
    %y = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 4 : i64, cols = 4 : i64, slicing = #s,
        places = [#cim.place<chip = 0, tile = 0, core = 0, unit = 0>, #cim.place<chip = 0, tile = 0, core = 1, unit = 0>]}
        : tensor<2x4xi8>, tensor<2x1xf32>, tensor<2x4x4xi8>, tensor<2x4xf32>, tensor<2x4xi32>, tensor<2xi32> -> tensor<2x2x4xf32>
    %o = cim.moe_combine %y, %p : tensor<2x2x4xf32>, tensor<2x2xf32> -> tensor<2x4xf32>
    return %o : tensor<2x4xf32>
  }
}

// -----

// A chain of two row blocks on two cores: each core's partial sums go to
// DRAM, the first core adds them (in block order) before the epilogue. The
// 160-byte scratchpad takes two slots at a time: two chunks, each with its
// run-time count clamp(count - first, 0, 2) and its part of the list.
// CHECK-LABEL: xbar.program
// CHECK: xbar.core at <0, 0, 0> {
// CHECK: xbar.vec sub i32 dst 0x4 src1 0x0 imm0 0 : i32 rows 1 cols 1
// CHECK-NEXT: xbar.vec max i32 dst 0x4 src1 0x4 imm0 0 : i32 rows 1 cols 1
// CHECK-NEXT: xbar.vec min i32 dst 0x4 src1 0x4 imm0 2 : i32 rows 1 cols 1
// CHECK-NEXT: xbar.vgather dst 0x28 src 0x18 index 0x8 count 4 row_bytes 4 {count_indirect}
// CHECK-NEXT: xbar.mvm unit 0 src 0x28 dst 0x30 count 4 strides [4, 16] {count_indirect}
// CHECK: xbar.vec sub i32 dst 0x4 src1 0x0 imm0 2 : i32 rows 1 cols 1
// CHECK: xbar.vgather dst 0x28 src 0x18 index 0x10 count 4 row_bytes 4 {count_indirect}
// CHECK: xbar.barrier id 0 count 2
// CHECK: xbar.vec add i32 dst 0x30 src1 0x30 src2 elem 0x50 rows 2 cols 4
// CHECK: xbar.vec dequant i32 to f32 dst 0x30 src1 0x30 src2 col 0x88 imm0 1.000000e+00 : f32 rows 2 cols 4
// CHECK: xbar.core at <0, 0, 1> {
// CHECK-NEXT: xbar.wprog unit 0 @w1
// CHECK: xbar.mvm unit 0 src 0x28 dst 0x30 count 4 strides [4, 16] {count_indirect}
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 3, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 160, tbuf_bytes = 4096, dmu = true, adc_shift = 2, dram_bytes = 1048576>} {
  func.func @split(%q: tensor<2x2x8xi8>, %s: tensor<2x2x1xf32>, %l: tensor<1x4xi32>, %c: tensor<1xi32>) -> tensor<2x2x4xf32> {
    %w = arith.constant dense<1> : tensor<1x8x4xi8>
    %ws = arith.constant dense<1.0> : tensor<1x4xf32>
    %y = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 4 : i64, cols = 4 : i64, slicing = #s,
        places = [#cim.place<chip = 0, tile = 0, core = 0, unit = 0>, #cim.place<chip = 0, tile = 0, core = 1, unit = 0>]}
        : tensor<2x2x8xi8>, tensor<2x2x1xf32>, tensor<1x8x4xi8>, tensor<1x4xf32>, tensor<1x4xi32>, tensor<1xi32> -> tensor<2x2x4xf32>
    return %y : tensor<2x2x4xf32>
  }
}
