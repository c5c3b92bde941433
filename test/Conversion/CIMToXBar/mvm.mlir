// convert-cim-to-xbar: cim.mvm_tile chains (one block, accumulation on one
// core and across cores, concat columns, scratchpad chunks, reprogramming
// rounds, elided weights, layer pipelining, copies). Exact instruction streams.
// RUN: mho-opt %s --split-input-file --convert-cim-to-xbar=tile-buffers=false | FileCheck %s

// One mvm_tile: its block is programmed at the start of the core's stream;
// the input rows come in, one mvm over all of them, the sums go out.
// CHECK-LABEL: xbar.program #xbar.unit_config<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 3, adc_shift = 2, acc_bits = 32, mvm_units = 2, spad_bytes = 4096, tbuf_bytes = 4096, dram_bytes = 1048576, chips = 1, tiles = 1, cores = 2> {
// CHECK-NEXT: xbar.weight_block @w0 : tensor<4x4xi8> = dense<1>
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x4xi8> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x4xi32> at dram[0x40]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.wprog unit 0 @w0
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x40] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 3, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, adc_shift = 2, dram_bytes = 1048576>} {
  func.func @one_tile(%x: tensor<2x4xi8>) -> tensor<2x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %y = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %y : tensor<2x4xi32>
  }
}

// -----

// A 2x1 tiling (8x4 weight) on one core: the second block's mvm reads
// input columns 4..7 and accumulates into the same scratchpad sums.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.weight_block @w0 : tensor<4x4xi8> = dense<1>
// CHECK-NEXT: xbar.weight_block @w1 : tensor<4x4xi8> = dense<2>
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x8xi8> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x4xi32> at dram[0x40]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.wprog unit 0 @w0
// CHECK-NEXT: xbar.wprog unit 1 @w1
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 2 row_bytes 4 strides [8, 4]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma dram[0x4] to spad[0x0] rows 2 row_bytes 4 strides [8, 4]
// CHECK-NEXT: xbar.mvm unit 1 src 0x0 dst 0x8 count 2 strides [4, 16] {accumulate}
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x40] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @same_core(%x: tensor<2x8xi8>) -> tensor<2x4xi32> {
    %w0 = arith.constant dense<1> : tensor<4x4xi8>
    %w1 = arith.constant dense<2> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %p = cim.mvm_tile %x[0], %w0, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x8xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %y = cim.mvm_tile %x[4], %w1, %p {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 1>} : tensor<2x8xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %y : tensor<2x4xi32>
  }
}

// -----

// The same tiling across two cores: each core writes its partial sums to
// DRAM, they meet at a barrier, and core 0 (the row split of the 2 rows)
// adds the partials with vec add i32.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.weight_block @w0 : tensor<4x4xi8> = dense<1>
// CHECK-NEXT: xbar.weight_block @w1 : tensor<4x4xi8> = dense<2>
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x8xi8> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x4xi32> at dram[0x40]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.wprog unit 0 @w0
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 2 row_bytes 4 strides [8, 4]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x80] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.barrier id 0 count 2
// CHECK-NEXT: xbar.dma dram[0x80] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0xc0] to spad[0x20] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec add i32 dst 0x0 src1 0x0 src2 elem 0x20 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x40] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
// CHECK-NEXT: xbar.core at <0, 0, 1> {
// CHECK-NEXT: xbar.wprog unit 0 @w1
// CHECK-NEXT: xbar.dma dram[0x4] to spad[0x0] rows 2 row_bytes 4 strides [8, 4]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0xc0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.barrier id 0 count 2
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @two_cores(%x: tensor<2x8xi8>) -> tensor<2x4xi32> {
    %w0 = arith.constant dense<1> : tensor<4x4xi8>
    %w1 = arith.constant dense<2> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %p = cim.mvm_tile %x[0], %w0, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x8xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %y = cim.mvm_tile %x[4], %w1, %p {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0>} : tensor<2x8xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %y : tensor<2x4xi32>
  }
}

// -----

// Two column blocks joined by a concat: each chain writes its sums straight
// into its columns of the concat's buffer (row stride 32 bytes), no copy. A
// non-zero first acc is loaded and accumulated into.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.weight_block @w0 : tensor<4x4xi8> = dense<1>
// CHECK-NEXT: xbar.weight_block @w1 : tensor<4x4xi8> = dense<2>
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x4xi8> at dram[0x0]
// CHECK-NEXT: xbar.symbol @input1 input : tensor<2x4xi32> at dram[0x40]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x8xi32> at dram[0x80]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.wprog unit 0 @w0
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x80] rows 2 row_bytes 16 strides [16, 32]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
// CHECK-NEXT: xbar.core at <0, 0, 1> {
// CHECK-NEXT: xbar.wprog unit 0 @w1
// CHECK-NEXT: xbar.dma dram[0x40] to spad[0x8] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16] {accumulate}
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x90] rows 2 row_bytes 16 strides [16, 32]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @concat(%x: tensor<2x4xi8>, %a: tensor<2x4xi32>) -> tensor<2x8xi32> {
    %w0 = arith.constant dense<1> : tensor<4x4xi8>
    %w1 = arith.constant dense<2> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %c0 = cim.mvm_tile %x[0], %w0, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %c1 = cim.mvm_tile %x[0], %w1, %a {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %y = tensor.concat dim(1) %c0, %c1 : (tensor<2x4xi32>, tensor<2x4xi32>) -> tensor<2x8xi32>
    return %y : tensor<2x8xi32>
  }
}

// -----

// A 64-byte scratchpad holds 3 input vectors (12 bytes) and their sums (48
// bytes): 5 rows take chunks of 3 and 2.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.weight_block @w0 : tensor<4x4xi8> = dense<1>
// CHECK-NEXT: xbar.symbol @input0 input : tensor<5x4xi8> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<5x4xi32> at dram[0x40]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.wprog unit 0 @w0
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 12 strides [0, 0]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0xc count 3 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0xc] to dram[0x40] rows 1 row_bytes 48 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0xc] to spad[0x0] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0xc count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0xc] to dram[0x70] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 1, tiles = 1, chips = 1, spad_bytes = 64, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @chunks(%x: tensor<5x4xi8>) -> tensor<5x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<5x4xi32>
    %y = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<5x4xi8>, tensor<4x4xi8> -> tensor<5x4xi32>
    return %y : tensor<5x4xi32>
  }
}

// -----

// Reprogramming (cim-place overflow=reprogram): one unit holds round 0's
// block first; round 1's block is programmed after round 0's last use,
// before its own first mvm, so the cost shows in the stream.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.weight_block @w0 : tensor<4x4xi8> = dense<1>
// CHECK-NEXT: xbar.weight_block @w1 : tensor<4x4xi8> = dense<2>
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x4xi8> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x4xi32> at dram[0x40]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<2x4xi32> at dram[0x80]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.wprog unit 0 @w0
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x40] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.wprog unit 0 @w1
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x80] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 1, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @rounds(%x: tensor<2x4xi8>) -> (tensor<2x4xi32>, tensor<2x4xi32>) {
    %w0 = arith.constant dense<1> : tensor<4x4xi8>
    %w1 = arith.constant dense<2> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %a = cim.mvm_tile %x[0], %w0, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    %b = cim.mvm_tile %x[0], %w1, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0, round = 1>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %a, %b : tensor<2x4xi32>, tensor<2x4xi32>
  }
}

// -----

// Elided weights stay elided dense_resource blocks (shape-only compilation).
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.weight_block @w0 : tensor<4x4xi8> = dense_resource<__elided__>
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x4xi8> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x4xi32> at dram[0x40]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.wprog unit 0 @w0
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x40] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 1, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @elided(%x: tensor<2x4xi8>) -> tensor<2x4xi32> {
    %w = arith.constant dense_resource<__elided__> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<2x4xi32>
    %y = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<2x4xi8>, tensor<4x4xi8> -> tensor<2x4xi32>
    return %y : tensor<2x4xi32>
  }
}

// -----

// Layer pipelining: a 40-byte scratchpad gives 2-row chunks, each one task a
// level after the previous; tasks depend only on the rows they read. The
// dequantize/quantize between the layers runs in two row parts (rows 0-15 on
// core 0, 16-31 on core 1), so layer 2's first chunks (core 1) need only
// layer 1's first eight: from level 8 on, core 0 computes layer 1's chunk 8 +
// i while core 1 computes layer 2's chunk i. (Levels 0-7 have one core
// active: no barriers.)
// CHECK-LABEL: xbar.program
// CHECK: xbar.core at <0, 0, 0> {
// CHECK-COUNT-8: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK: xbar.barrier id 7 count 2
// CHECK-NEXT: xbar.dma dram[0x40] to spad[0x0] rows 1 row_bytes 8
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x180] rows 1 row_bytes 32
// CHECK-NEXT: xbar.barrier id 8 count 2
// CHECK: xbar.core at <0, 0, 1> {
// CHECK-NEXT: xbar.wprog unit 0 @w1
// CHECK-NEXT: xbar.barrier id 7 count 2
// CHECK-NEXT: xbar.dma dram[0x4c0] to spad[0x0] rows 1 row_bytes 8
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x540] rows 1 row_bytes 32
// CHECK-NEXT: xbar.barrier id 8 count 2
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 2, tiles = 1, chips = 1, spad_bytes = 40, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @pipeline(%x: tensor<32x4xi8>) -> tensor<32x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<32x4xi32>
    %s = arith.constant dense<1.0> : tensor<4xf32>
    %a = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>} : tensor<32x4xi8>, tensor<4x4xi8> -> tensor<32x4xi32>
    %f = cim.dequantize_acc %a scales(%s : tensor<4xf32>) {input_scale = 1.0 : f32} : tensor<32x4xi32> -> tensor<32x4xf32>
    %q = cim.quantize %f {quant = #cim.quant<bits = 8, scale = 1.0 : f32>} : tensor<32x4xf32> -> tensor<32x4xi8>
    %b = cim.mvm_tile %q[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0>} : tensor<32x4xi8>, tensor<4x4xi8> -> tensor<32x4xi32>
    return %b : tensor<32x4xi32>
  }
}

// -----

// A block with a copy (cim-place replicate): row chunks go to the copies in
// turn, so the two 2-row chunks run at once on two cores, each programming
// the same weight block into its own unit.
// CHECK-LABEL: xbar.program
// CHECK: xbar.weight_block @w0 : tensor<4x4xi8> = dense<1>
// CHECK: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.wprog unit 0 @w0
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x40] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK: xbar.core at <0, 0, 1> {
// CHECK-NEXT: xbar.wprog unit 0 @w0
// CHECK-NEXT: xbar.dma dram[0x8] to spad[0x0] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.mvm unit 0 src 0x0 dst 0x8 count 2 strides [4, 16]
// CHECK-NEXT: xbar.dma spad[0x8] to dram[0x60] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 1, cores = 2, tiles = 1, chips = 1, spad_bytes = 40, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @copies(%x: tensor<4x4xi8>) -> tensor<4x4xi32> {
    %w = arith.constant dense<1> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<4x4xi32>
    %y = cim.mvm_tile %x[0], %w, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>, replicas = [#cim.place<chip = 0, tile = 0, core = 1, unit = 0>]} : tensor<4x4xi8>, tensor<4x4xi8> -> tensor<4x4xi32>
    return %y : tensor<4x4xi32>
  }
}

// -----

// Copies that group the chain's tiles differently from the first placement
// ({a, b} + {c} against {a} + {b, c}) are not used: the partial sums are per
// group. Every chunk runs on the first placement's cores; the copies are only
// programmed.
// CHECK-LABEL: xbar.program
// CHECK: xbar.core at <0, 0, 0> {
// CHECK-COUNT-2: xbar.mvm unit 1 src 0x0 dst 0x8 count 2 strides [4, 16] {accumulate}
// CHECK: xbar.core at <0, 0, 2> {
// CHECK-NOT: xbar.mvm
// CHECK: xbar.core at <0, 0, 3> {
// CHECK-NOT: xbar.mvm
// CHECK: xbar.halt
#s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 4, tiles = 1, chips = 1, spad_bytes = 40, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @g(%x: tensor<4x12xi8>) -> tensor<4x4xi32> {
    %w0 = arith.constant dense<1> : tensor<4x4xi8>
    %w1 = arith.constant dense<2> : tensor<4x4xi8>
    %w2 = arith.constant dense<3> : tensor<4x4xi8>
    %z = arith.constant dense<0> : tensor<4x4xi32>
    %a = cim.mvm_tile %x[0], %w0, %z {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 0>, replicas = [#cim.place<chip = 0, tile = 0, core = 2, unit = 0>]} : tensor<4x12xi8>, tensor<4x4xi8> -> tensor<4x4xi32>
    %b = cim.mvm_tile %x[4], %w1, %a {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 0, unit = 1>, replicas = [#cim.place<chip = 0, tile = 0, core = 3, unit = 0>]} : tensor<4x12xi8>, tensor<4x4xi8> -> tensor<4x4xi32>
    %c = cim.mvm_tile %x[8], %w2, %b {rows = 4 : i64, cols = 4 : i64, slicing = #s, place = #cim.place<chip = 0, tile = 0, core = 1, unit = 0>, replicas = [#cim.place<chip = 0, tile = 0, core = 3, unit = 1>]} : tensor<4x12xi8>, tensor<4x4xi8> -> tensor<4x4xi32>
    return %c : tensor<4x4xi32>
  }
}
