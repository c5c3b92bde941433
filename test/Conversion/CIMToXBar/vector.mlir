// convert-cim-to-xbar: vector-unit ops (dynamic quantization, dequantization,
// broadcasts, reductions, softmax, norms, RoPE, unary functions, top-k), row
// chunks over cores and column blocks. Exact instruction streams.
// RUN: mho-opt %s --split-input-file --convert-cim-to-xbar | FileCheck %s

// cim.quantize_dynamic: |x|, per-row max, / 127, the zero-row rule
// (t = min(s0 * 2^127 * 2^127, 1) - 1 is -1 only for s0 = 0; s = s0 - t),
// 1 / s, and quant with the per-row multipliers; q and s go out.
// CHECK-LABEL: xbar.program #xbar.unit_config<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 2, spad_bytes = 4096, tbuf_bytes = 4096, dram_bytes = 1048576, chips = 1, tiles = 1, cores = 2> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x4xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x4xi8> at dram[0x40]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<2x1xf32> at dram[0x80]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec abs f32 dst 0x20 src1 0x0 rows 2 cols 4
// CHECK-NEXT: xbar.vred max f32 dst 0x40 src 0x20 rows 2 cols 4
// CHECK-NEXT: xbar.vec div f32 dst 0x40 src1 0x40 imm0 1.270000e+02 : f32 rows 2 cols 1
// CHECK-NEXT: xbar.vec mul f32 dst 0x48 src1 0x40 imm0 1.70141183E+38 : f32 rows 2 cols 1
// CHECK-NEXT: xbar.vec mul f32 dst 0x48 src1 0x48 imm0 1.70141183E+38 : f32 rows 2 cols 1
// CHECK-NEXT: xbar.vec min f32 dst 0x48 src1 0x48 imm0 1.000000e+00 : f32 rows 2 cols 1
// CHECK-NEXT: xbar.vec sub f32 dst 0x48 src1 0x48 imm0 1.000000e+00 : f32 rows 2 cols 1
// CHECK-NEXT: xbar.vec sub f32 dst 0x40 src1 0x40 src2 elem 0x48 rows 2 cols 1
// CHECK-NEXT: xbar.vec recip f32 dst 0x50 src1 0x40 rows 2 cols 1
// CHECK-NEXT: xbar.vec quant f32 to i8 dst 0x20 src1 0x0 src2 row 0x50 imm1 0 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x20] to dram[0x40] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.dma spad[0x40] to dram[0x80] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @quantize_dynamic(%x: tensor<2x4xf32>) -> (tensor<2x4xi8>, tensor<2x1xf32>) {
    %q, %s = cim.quantize_dynamic %x {bits = 8 : i64} : tensor<2x4xf32> -> tensor<2x4xi8>, tensor<2x1xf32>
    return %q, %s : tensor<2x4xi8>, tensor<2x1xf32>
  }
}

// -----

// cim.dequantize_acc, per-row input scales: dequant with 1.0 and the
// per-column scales, then vec mul by the row scales; per-tensor with
// offsets: the column scales times the input scale once per column block,
// vec add i32 of the offsets, dequant.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x4xi32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @input1 input : tensor<2x1xf32> at dram[0x40]
// CHECK-NEXT: xbar.symbol @c0 constant : tensor<4xf32> at dram[0x80]
// CHECK-NEXT: xbar.symbol @c1 constant : tensor<4xi32> at dram[0x140]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x4xf32> at dram[0xc0]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<2x4xf32> at dram[0x100]
// CHECK-NEXT: xbar.dram_init dram[0x80] = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-NEXT: xbar.dram_init dram[0x140] = dense<[0, 1, 2, 3]> : tensor<4xi32>
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x80] to spad[0x20] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x40] to spad[0x30] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.vec dequant i32 to f32 dst 0x0 src1 0x0 src2 col 0x20 imm0 1.000000e+00 : f32 rows 2 cols 4
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 src2 row 0x30 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0xc0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x80] to spad[0x20] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x140] to spad[0x30] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.vec mul f32 dst 0x40 src1 0x20 imm0 5.000000e-01 : f32 rows 1 cols 4
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec add i32 dst 0x0 src1 0x0 src2 col 0x30 rows 2 cols 4
// CHECK-NEXT: xbar.vec dequant i32 to f32 dst 0x0 src1 0x0 src2 col 0x40 imm0 1.000000e+00 : f32 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x100] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @dequantize_acc(%acc: tensor<2x4xi32>, %r: tensor<2x1xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
    %s = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
    %o = arith.constant dense<[0, 1, 2, 3]> : tensor<4xi32>
    %y = cim.dequantize_acc %acc scales(%s : tensor<4xf32>) input_scales(%r : tensor<2x1xf32>) : tensor<2x4xi32> -> tensor<2x4xf32>
    %z = cim.dequantize_acc %acc scales(%s : tensor<4xf32>) offsets(%o : tensor<4xi32>) {input_scale = 5.000000e-01 : f32} : tensor<2x4xi32> -> tensor<2x4xf32>
    return %y, %z : tensor<2x4xf32>, tensor<2x4xf32>
  }
}

// -----

// cim.binary broadcast modes: elem (same shape), row (last dim 1), col
// (only the last dim; swapped to src2 for a commutative function), an
// immediate (rank-0 constant), a leading-dimension broadcast (the 3x4
// operand DMA'd twice with stride 0), x - y with x broadcast as (-y) + x,
// and 1 / x as recip.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x3x4xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @input1 input : tensor<2x3x4xf32> at dram[0x80]
// CHECK-NEXT: xbar.symbol @input2 input : tensor<2x3x1xf32> at dram[0x100]
// CHECK-NEXT: xbar.symbol @input3 input : tensor<4xf32> at dram[0x140]
// CHECK-NEXT: xbar.symbol @input4 input : tensor<3x4xf32> at dram[0x180]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x3x4xf32> at dram[0x1c0]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<2x3x4xf32> at dram[0x240]
// CHECK-NEXT: xbar.symbol @output2 output : tensor<2x3x4xf32> at dram[0x2c0]
// CHECK-NEXT: xbar.symbol @output3 output : tensor<2x3x4xf32> at dram[0x340]
// CHECK-NEXT: xbar.symbol @output4 output : tensor<2x3x4xf32> at dram[0x3c0]
// CHECK-NEXT: xbar.symbol @output5 output : tensor<2x3x4xf32> at dram[0x440]
// CHECK-NEXT: xbar.symbol @output6 output : tensor<2x3x4xf32> at dram[0x4c0]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x80] to spad[0x60] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 src2 elem 0x60 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x1c0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x100] to spad[0x60] rows 1 row_bytes 24 strides [0, 0]
// CHECK-NEXT: xbar.vec sub f32 dst 0x0 src1 0x0 src2 row 0x60 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x240] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x140] to spad[0x60] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x60 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x2c0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.vec div f32 dst 0x0 src1 0x0 imm0 2.000000e+00 : f32 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x340] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x180] to spad[0x60] rows 2 row_bytes 48 strides [0, 48]
// CHECK-NEXT: xbar.vec max f32 dst 0x0 src1 0x0 src2 elem 0x60 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x3c0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x100] to spad[0x60] rows 1 row_bytes 24 strides [0, 0]
// CHECK-NEXT: xbar.vec neg f32 dst 0x0 src1 0x0 rows 6 cols 4
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 row 0x60 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x440] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.vec recip f32 dst 0x0 src1 0x0 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x4c0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @binary(%x: tensor<2x3x4xf32>, %y: tensor<2x3x4xf32>, %r: tensor<2x3x1xf32>, %c: tensor<4xf32>, %l: tensor<3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
    %two = arith.constant dense<2.0> : tensor<f32>
    %one = arith.constant dense<1.0> : tensor<f32>
    %e = cim.binary <mul> %x, %y : tensor<2x3x4xf32>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
    %w = cim.binary <sub> %x, %r : tensor<2x3x4xf32>, tensor<2x3x1xf32> -> tensor<2x3x4xf32>
    %k = cim.binary <add> %c, %x : tensor<4xf32>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
    %i = cim.binary <div> %x, %two : tensor<2x3x4xf32>, tensor<f32> -> tensor<2x3x4xf32>
    %b = cim.binary <max> %x, %l : tensor<2x3x4xf32>, tensor<3x4xf32> -> tensor<2x3x4xf32>
    %n = cim.binary <sub> %r, %x : tensor<2x3x1xf32>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
    %v = cim.binary <div> %one, %x : tensor<f32>, tensor<2x3x4xf32> -> tensor<2x3x4xf32>
    return %e, %w, %k, %i, %b, %n, %v : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
  }
}

// -----

// cim.reduce along the last axis (kept or dropped) is one vred; cim.softmax
// is vred max, vec sub (row), vec exp, vred sum, vec div (row).
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x3x4xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x3x1xf32> at dram[0x80]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<2x3xf32> at dram[0xc0]
// CHECK-NEXT: xbar.symbol @output2 output : tensor<2x3x4xf32> at dram[0x100]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.vred sum f32 dst 0x60 src 0x0 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x60] to dram[0x80] rows 1 row_bytes 24 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.vred max f32 dst 0x60 src 0x0 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x60] to dram[0xc0] rows 1 row_bytes 24 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.vred max f32 dst 0x60 src 0x0 rows 6 cols 4
// CHECK-NEXT: xbar.vec sub f32 dst 0x0 src1 0x0 src2 row 0x60 rows 6 cols 4
// CHECK-NEXT: xbar.vec exp f32 dst 0x0 src1 0x0 rows 6 cols 4
// CHECK-NEXT: xbar.vred sum f32 dst 0x78 src 0x0 rows 6 cols 4
// CHECK-NEXT: xbar.vec div f32 dst 0x0 src1 0x0 src2 row 0x78 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x100] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @reduce_softmax(%x: tensor<2x3x4xf32>) -> (tensor<2x3x1xf32>, tensor<2x3xf32>, tensor<2x3x4xf32>) {
    %s = cim.reduce <sum> %x {axis = 2 : i64, keep_dims} : tensor<2x3x4xf32> -> tensor<2x3x1xf32>
    %m = cim.reduce <max> %x {axis = 2 : i64} : tensor<2x3x4xf32> -> tensor<2x3xf32>
    %p = cim.softmax %x {axis = 2 : i64} : tensor<2x3x4xf32>
    return %s, %m, %p : tensor<2x3x1xf32>, tensor<2x3xf32>, tensor<2x3x4xf32>
  }
}

// -----

// cim.layer_norm and cim.rms_norm decomposed (gamma and beta per column).
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x4xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @input1 input : tensor<4xf32> at dram[0x40]
// CHECK-NEXT: xbar.symbol @input2 input : tensor<4xf32> at dram[0x80]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x4xf32> at dram[0xc0]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<2x4xf32> at dram[0x100]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x40] to spad[0x20] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x80] to spad[0x30] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vred sum f32 dst 0x60 src 0x0 rows 2 cols 4
// CHECK-NEXT: xbar.vec div f32 dst 0x60 src1 0x60 imm0 4.000000e+00 : f32 rows 2 cols 1
// CHECK-NEXT: xbar.vec sub f32 dst 0x0 src1 0x0 src2 row 0x60 rows 2 cols 4
// CHECK-NEXT: xbar.vec mul f32 dst 0x40 src1 0x0 src2 elem 0x0 rows 2 cols 4
// CHECK-NEXT: xbar.vred sum f32 dst 0x68 src 0x40 rows 2 cols 4
// CHECK-NEXT: xbar.vec div f32 dst 0x68 src1 0x68 imm0 4.000000e+00 : f32 rows 2 cols 1
// CHECK-NEXT: xbar.vec add f32 dst 0x68 src1 0x68 imm0 9.99999974E-6 : f32 rows 2 cols 1
// CHECK-NEXT: xbar.vec rsqrt f32 dst 0x68 src1 0x68 rows 2 cols 1
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 src2 row 0x68 rows 2 cols 4
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 src2 col 0x20 rows 2 cols 4
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x30 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0xc0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x40] to spad[0x20] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec mul f32 dst 0x30 src1 0x0 src2 elem 0x0 rows 2 cols 4
// CHECK-NEXT: xbar.vred sum f32 dst 0x50 src 0x30 rows 2 cols 4
// CHECK-NEXT: xbar.vec div f32 dst 0x50 src1 0x50 imm0 4.000000e+00 : f32 rows 2 cols 1
// CHECK-NEXT: xbar.vec add f32 dst 0x50 src1 0x50 imm0 9.99999997E-7 : f32 rows 2 cols 1
// CHECK-NEXT: xbar.vec rsqrt f32 dst 0x50 src1 0x50 rows 2 cols 1
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 src2 row 0x50 rows 2 cols 4
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 src2 col 0x20 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x100] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @norms(%x: tensor<2x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
    %l = cim.layer_norm %x, %g, %b {axis = 1 : i64, epsilon = 9.99999974E-6 : f32} : tensor<2x4xf32>, tensor<4xf32>
    %r = cim.rms_norm %x, %g {epsilon = 9.99999997E-7 : f32} : tensor<2x4xf32>, tensor<4xf32>
    return %l, %r : tensor<2x4xf32>, tensor<2x4xf32>
  }
}

// -----

// cim.rope: r = concat(x2, x1) and sin' = concat(-sin1, sin2) by scratchpad
// DMAs, then x * cos + r * sin'; cos and sin broadcast over the leading dim.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x3x4xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @input1 input : tensor<3x4xf32> at dram[0x80]
// CHECK-NEXT: xbar.symbol @input2 input : tensor<3x4xf32> at dram[0xc0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x3x4xf32> at dram[0x100]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x80] to spad[0x60] rows 2 row_bytes 48 strides [0, 48]
// CHECK-NEXT: xbar.dma dram[0xc0] to spad[0xc0] rows 2 row_bytes 48 strides [0, 48]
// CHECK-NEXT: xbar.dma spad[0x8] to spad[0x120] rows 6 row_bytes 8 strides [16, 16]
// CHECK-NEXT: xbar.dma spad[0x0] to spad[0x128] rows 6 row_bytes 8 strides [16, 16]
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 src2 elem 0x60 rows 6 cols 4
// CHECK-NEXT: xbar.vec neg f32 dst 0x60 src1 0xc0 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x60] to spad[0xc0] rows 6 row_bytes 8 strides [16, 16]
// CHECK-NEXT: xbar.vec mul f32 dst 0x120 src1 0x120 src2 elem 0xc0 rows 6 cols 4
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 elem 0x120 rows 6 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x100] rows 1 row_bytes 96 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @rope(%x: tensor<2x3x4xf32>, %cos: tensor<3x4xf32>, %sin: tensor<3x4xf32>) -> tensor<2x3x4xf32> {
    %y = cim.rope %x, %cos, %sin : tensor<2x3x4xf32>, tensor<3x4xf32>
    return %y : tensor<2x3x4xf32>
  }
}

// -----

// cim.unary (gelu directly, gelu_tanh decomposed, relu as max with 0),
// cim.topk (vtopk) and the static cim.quantize (quant with 1/scale and the
// zero point).
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x4xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x4xf32> at dram[0x40]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<2x4xf32> at dram[0x80]
// CHECK-NEXT: xbar.symbol @output2 output : tensor<2x4xf32> at dram[0xc0]
// CHECK-NEXT: xbar.symbol @output3 output : tensor<2x2xf32> at dram[0x100]
// CHECK-NEXT: xbar.symbol @output4 output : tensor<2x2xi32> at dram[0x140]
// CHECK-NEXT: xbar.symbol @output5 output : tensor<2x4xi8> at dram[0x180]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec gelu f32 dst 0x0 src1 0x0 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x40] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec mul f32 dst 0x20 src1 0x0 src2 elem 0x0 rows 2 cols 4
// CHECK-NEXT: xbar.vec mul f32 dst 0x20 src1 0x20 src2 elem 0x0 rows 2 cols 4
// CHECK-NEXT: xbar.vec mul f32 dst 0x20 src1 0x20 imm0 4.471500e-02 : f32 rows 2 cols 4
// CHECK-NEXT: xbar.vec add f32 dst 0x20 src1 0x20 src2 elem 0x0 rows 2 cols 4
// CHECK-NEXT: xbar.vec mul f32 dst 0x20 src1 0x20 imm0 0.797884583 : f32 rows 2 cols 4
// CHECK-NEXT: xbar.vec tanh f32 dst 0x20 src1 0x20 rows 2 cols 4
// CHECK-NEXT: xbar.vec add f32 dst 0x20 src1 0x20 imm0 1.000000e+00 : f32 rows 2 cols 4
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 src2 elem 0x20 rows 2 cols 4
// CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x0 imm0 5.000000e-01 : f32 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x80] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec max f32 dst 0x0 src1 0x0 imm0 0.000000e+00 : f32 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0xc0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vtopk dst_values 0x20 dst_indices 0x30 src 0x0 rows 2 cols 4 k 2
// CHECK-NEXT: xbar.dma spad[0x20] to dram[0x100] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.dma spad[0x30] to dram[0x140] rows 1 row_bytes 16 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 32 strides [0, 0]
// CHECK-NEXT: xbar.vec quant f32 to i8 dst 0x20 src1 0x0 imm0 4.000000e+00 : f32 imm1 3 rows 2 cols 4
// CHECK-NEXT: xbar.dma spad[0x20] to dram[0x180] rows 1 row_bytes 8 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 4096, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @unary(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x2xf32>, tensor<2x2xi32>, tensor<2x4xi8>) {
    %g = cim.unary <gelu> %x : tensor<2x4xf32>
    %t = cim.unary <gelu_tanh> %x : tensor<2x4xf32>
    %r = cim.unary <relu> %x : tensor<2x4xf32>
    %v, %i = cim.topk %x {k = 2 : i64} : tensor<2x4xf32> -> tensor<2x2xf32>, tensor<2x2xi32>
    %q = cim.quantize %x {quant = #cim.quant<bits = 8, scale = 2.500000e-01 : f32, zero_point = 3>} : tensor<2x4xf32> -> tensor<2x4xi8>
    return %g, %t, %r, %v, %i, %q : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x2xf32>, tensor<2x2xi32>, tensor<2x4xi8>
  }
}

// -----

// Chunking: 16 rows split over the 2 cores (8 rows each, at least 8 a
// core); a 1 KiB scratchpad holds 4 rows of 64 f32, so 2 chunks each.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<16x64xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<16x64xf32> at dram[0x1000]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 1024 strides [0, 0]
// CHECK-NEXT: xbar.vec exp f32 dst 0x0 src1 0x0 rows 4 cols 64
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x1000] rows 1 row_bytes 1024 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x400] to spad[0x0] rows 1 row_bytes 1024 strides [0, 0]
// CHECK-NEXT: xbar.vec exp f32 dst 0x0 src1 0x0 rows 4 cols 64
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x1400] rows 1 row_bytes 1024 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
// CHECK-NEXT: xbar.core at <0, 0, 1> {
// CHECK-NEXT: xbar.dma dram[0x800] to spad[0x0] rows 1 row_bytes 1024 strides [0, 0]
// CHECK-NEXT: xbar.vec exp f32 dst 0x0 src1 0x0 rows 4 cols 64
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x1800] rows 1 row_bytes 1024 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0xc00] to spad[0x0] rows 1 row_bytes 1024 strides [0, 0]
// CHECK-NEXT: xbar.vec exp f32 dst 0x0 src1 0x0 rows 4 cols 64
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x1c00] rows 1 row_bytes 1024 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @chunks(%x: tensor<16x64xf32>) -> tensor<16x64xf32> {
    %y = cim.unary <exp> %x : tensor<16x64xf32>
    return %y : tensor<16x64xf32>
  }
}

// -----

// A row wider than the scratchpad: an element-wise op takes column blocks
// (128 columns of x and of the bias fit 1 KiB), one row at a time.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<2x512xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @input1 input : tensor<512xf32> at dram[0x1000]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<2x512xf32> at dram[0x1800]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x1000] to spad[0x200] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x200 rows 1 cols 128
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x1800] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x800] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x200 rows 1 cols 128
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x2000] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x1200] to spad[0x200] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x200] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x200 rows 1 cols 128
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x1a00] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0xa00] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x200 rows 1 cols 128
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x2200] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x1400] to spad[0x200] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x400] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x200 rows 1 cols 128
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x1c00] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0xc00] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x200 rows 1 cols 128
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x2400] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x1600] to spad[0x200] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x600] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x200 rows 1 cols 128
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x1e00] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0xe00] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x0 src2 col 0x200 rows 1 cols 128
// CHECK-NEXT: xbar.dma spad[0x0] to dram[0x2600] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 1024, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @columns(%x: tensor<2x512xf32>, %b: tensor<512xf32>) -> tensor<2x512xf32> {
    %y = cim.binary <add> %x, %b : tensor<2x512xf32>, tensor<512xf32> -> tensor<2x512xf32>
    return %y : tensor<2x512xf32>
  }
}

// -----

// A quantize_dynamic row wider than the scratchpad is read twice in column
// blocks (256 f32 in blocks of 128): the blocks' maxima combined with vec
// max, then quant block by block with the row's multiplier.
// CHECK-LABEL: xbar.program #xbar.unit_config<{{.*}}> {
// CHECK-NEXT: xbar.symbol @input0 input : tensor<1x256xf32> at dram[0x0]
// CHECK-NEXT: xbar.symbol @output0 output : tensor<1x256xi8> at dram[0x400]
// CHECK-NEXT: xbar.symbol @output1 output : tensor<1x1xf32> at dram[0x500]
// CHECK-NEXT: xbar.core at <0, 0, 0> {
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec abs f32 dst 0x200 src1 0x0 rows 1 cols 128
// CHECK-NEXT: xbar.vred max f32 dst 0x400 src 0x200 rows 1 cols 128
// CHECK-NEXT: xbar.dma dram[0x200] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec abs f32 dst 0x200 src1 0x0 rows 1 cols 128
// CHECK-NEXT: xbar.vred max f32 dst 0x40c src 0x200 rows 1 cols 128
// CHECK-NEXT: xbar.vec max f32 dst 0x400 src1 0x400 src2 elem 0x40c rows 1 cols 1
// CHECK-NEXT: xbar.vec div f32 dst 0x400 src1 0x400 imm0 1.270000e+02 : f32 rows 1 cols 1
// CHECK-NEXT: xbar.vec mul f32 dst 0x404 src1 0x400 imm0 1.70141183E+38 : f32 rows 1 cols 1
// CHECK-NEXT: xbar.vec mul f32 dst 0x404 src1 0x404 imm0 1.70141183E+38 : f32 rows 1 cols 1
// CHECK-NEXT: xbar.vec min f32 dst 0x404 src1 0x404 imm0 1.000000e+00 : f32 rows 1 cols 1
// CHECK-NEXT: xbar.vec sub f32 dst 0x404 src1 0x404 imm0 1.000000e+00 : f32 rows 1 cols 1
// CHECK-NEXT: xbar.vec sub f32 dst 0x400 src1 0x400 src2 elem 0x404 rows 1 cols 1
// CHECK-NEXT: xbar.vec recip f32 dst 0x408 src1 0x400 rows 1 cols 1
// CHECK-NEXT: xbar.dma spad[0x400] to dram[0x500] rows 1 row_bytes 4 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x0] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec quant f32 to i8 dst 0x200 src1 0x0 src2 row 0x408 imm1 0 rows 1 cols 128
// CHECK-NEXT: xbar.dma spad[0x200] to dram[0x400] rows 1 row_bytes 128 strides [0, 0]
// CHECK-NEXT: xbar.dma dram[0x200] to spad[0x0] rows 1 row_bytes 512 strides [0, 0]
// CHECK-NEXT: xbar.vec quant f32 to i8 dst 0x200 src1 0x0 src2 row 0x408 imm1 0 rows 1 cols 128
// CHECK-NEXT: xbar.dma spad[0x200] to dram[0x480] rows 1 row_bytes 128 strides [0, 0]
// CHECK-NEXT: xbar.halt
// CHECK-NEXT: }
module attributes {cim.target = #cim.target<rows = 4, cols = 4, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 2, cores = 2, tiles = 1, chips = 1, spad_bytes = 1040, tbuf_bytes = 4096, dmu = true, dram_bytes = 1048576>} {
  func.func @wide_quantize(%x: tensor<1x256xf32>) -> (tensor<1x256xi8>, tensor<1x1xf32>) {
    %q, %s = cim.quantize_dynamic %x {bits = 8 : i64} : tensor<1x256xf32> -> tensor<1x256xi8>, tensor<1x1xf32>
    return %q, %s : tensor<1x256xi8>, tensor<1x1xf32>
  }
}
