// Every xbar op and attribute prints and parses back, in the custom form, the
// generic form and bytecode.
// RUN: mho-opt %s | mho-opt | FileCheck %s
// RUN: mho-opt %s --mlir-print-op-generic | mho-opt | FileCheck %s
// RUN: mho-opt %s --emit-bytecode | mho-opt | FileCheck %s

#offset = #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 65536, tbuf_bytes = 1048576, dram_bytes = 1073741824, chips = 2, tiles = 4, cores = 2>

// CHECK-LABEL: xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 65536, tbuf_bytes = 1048576, dram_bytes = 1073741824, chips = 2, tiles = 4, cores = 2> {
xbar.program #offset {
  // CHECK-NEXT: xbar.weight_block @w0 : tensor<2x3xi8> = dense<{{\[}}[1, -2, 3], [4, 5, -128]]>
  xbar.weight_block @w0 : tensor<2x3xi8> = dense<[[1, -2, 3], [4, 5, -128]]>
  // CHECK-NEXT: xbar.weight_block @w1 : tensor<2x2xi4> = dense<-8>
  xbar.weight_block @w1 : tensor<2x2xi4> = dense<-8>
  // CHECK-NEXT: xbar.weight_block @w2 : tensor<2x2xi8> = dense_resource<w2_data>
  xbar.weight_block @w2 : tensor<2x2xi8> = dense_resource<w2_data>
  // CHECK-NEXT: xbar.weight_block @w3 : tensor<128x64xi8> = dense_resource<__elided__>
  xbar.weight_block @w3 : tensor<128x64xi8> = dense_resource<__elided__>
  // CHECK-NEXT: xbar.symbol @x input : tensor<1x128xi8> at dram[0x1000] {scale = 5.000000e-01 : f32, zero_point = -3 : i32}
  xbar.symbol @x input : tensor<1x128xi8> at dram[0x1000] {scale = 0.5 : f32, zero_point = -3 : i32}
  // CHECK-NEXT: xbar.symbol @y output : tensor<4x64xi32> at dram[0x2000]{{$}}
  xbar.symbol @y output : tensor<4x64xi32> at dram[0x2000]
  // CHECK-NEXT: xbar.symbol @c constant : tensor<2xf32> at dram[0x3000]
  xbar.symbol @c constant : tensor<2xf32> at dram[0x3000]
  // CHECK-NEXT: xbar.symbol @s constant : tensor<8xi16> at tbuf[0x40]
  xbar.symbol @s constant : tensor<8xi16> at tbuf[0x40]
  // CHECK-NEXT: xbar.symbol @h output : tensor<2x2x1x1x1x3xbf16> at dram[0x4000]
  xbar.symbol @h output : tensor<2x2x1x1x1x3xbf16> at dram[0x4000]
  // CHECK-NEXT: xbar.symbol @g output : tensor<f16> at dram[0x5000]
  xbar.symbol @g output : tensor<f16> at dram[0x5000]
  // CHECK-NEXT: xbar.dram_init dram[0x3000] = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  xbar.dram_init dram[0x3000] = dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK-NEXT: xbar.dram_init dram[0x3100] = dense<7> : tensor<16xi8>
  xbar.dram_init dram[0x3100] = dense<7> : tensor<16xi8>
  // CHECK-NEXT: xbar.dram_init dram[0x3200] = dense_resource<init_data> : tensor<2xi16>
  xbar.dram_init dram[0x3200] = dense_resource<init_data> : tensor<2xi16>

  // CHECK-NEXT: xbar.core at <0, 0, 0> {
  xbar.core at <0, 0, 0> {
    // CHECK-NEXT: xbar.nop
    xbar.nop
    // CHECK-NEXT: xbar.barrier id 5 count 2
    xbar.barrier id 5 count 2
    // CHECK-NEXT: xbar.send spad[0x100] to <1, 3> tbuf[0x200] bytes 64 tag 7
    xbar.send spad[0x100] to <1, 3> tbuf[0x200] bytes 64 tag 7
    // CHECK-NEXT: xbar.send tbuf[0x0] to <0, 0> tbuf[0x400] bytes 16 tag 8
    xbar.send tbuf[0] to <0, 0> tbuf[1024] bytes 16 tag 8
    // CHECK-NEXT: xbar.send dram[0x3000] to <0, 1> tbuf[0x0] bytes 8 tag 9
    xbar.send dram[0x3000] to <0, 1> tbuf[0x0] bytes 8 tag 9
    // CHECK-NEXT: xbar.recv tag 7 from <1, 3> bytes 64
    xbar.recv tag 7 from <1, 3> bytes 64
    // CHECK-NEXT: xbar.wprog unit 3 @w0
    xbar.wprog unit 3 @w0
    // CHECK-NEXT: xbar.mvm unit 3 src 0x100 dst 0x400 count 16 strides [128, 512]{{$}}
    xbar.mvm unit 3 src 0x100 dst 0x400 count 16 strides [128, 512]
    // CHECK-NEXT: xbar.mvm unit 3 src 0x100 dst 0x400 count 16 strides [2, 12] {accumulate}
    xbar.mvm unit 3 src 0x100 dst 0x400 count 16 strides [2, 12] {accumulate}
    // CHECK-NEXT: xbar.mvm unit 3 src 0x100 dst 0x400 count 8 strides [128, 512] {accumulate, count_indirect}
    xbar.mvm unit 3 src 0x100 dst 0x400 count 8 strides [128, 512] {accumulate, count_indirect}
    // CHECK-NEXT: xbar.dma dram[0x1000] to spad[0x0] rows 4 row_bytes 128 strides [256, 128]
    xbar.dma dram[0x1000] to spad[0x0] rows 4 row_bytes 128 strides [256, 128]
    // CHECK-NEXT: xbar.dma tbuf[0x10] to dram[0x3fff0000] rows 1 row_bytes 4096 strides [0, 0]
    xbar.dma tbuf[0x10] to dram[0x3fff0000] rows 1 row_bytes 4096 strides [0, 0]
    // CHECK-NEXT: xbar.dma spad[0x0] to spad[0x1] rows 2 row_bytes 1 strides [2, 2]
    xbar.dma spad[0x0] to spad[0x1] rows 2 row_bytes 1 strides [2, 2]
    // CHECK-NEXT: xbar.vgather dst 0x0 src 0x100 index 0x200 count 16 row_bytes 64{{$}}
    xbar.vgather dst 0x0 src 0x100 index 0x200 count 16 row_bytes 64
    // CHECK-NEXT: xbar.vgather dst 0x0 src 0x100 index 0x200 count 256 row_bytes 64 {count_indirect}
    xbar.vgather dst 0x0 src 0x100 index 0x200 count 256 row_bytes 64 {count_indirect}
    // CHECK-NEXT: xbar.vscatter dst 0x0 src 0x100 index 0x200 count 16 row_bytes 64 {accumulate}
    xbar.vscatter dst 0x0 src 0x100 index 0x200 count 16 row_bytes 64 {accumulate}
    // CHECK-NEXT: xbar.vscatter dst 0x0 src 0x100 index 0x200 count 256 row_bytes 3 {count_indirect}
    xbar.vscatter dst 0x0 src 0x100 index 0x200 count 256 row_bytes 3 {count_indirect}
    // CHECK-NEXT: xbar.vdispatch dst_lists 0x300 dst_counts 0x380 src 0x200 entries 16 experts 4 capacity 8{{$}}
    xbar.vdispatch dst_lists 0x300 dst_counts 0x380 src 0x200 entries 16 experts 4 capacity 8
    // CHECK-NEXT: xbar.halt
    xbar.halt
  }

  // CHECK: xbar.core at <1, 3, 1> {
  xbar.core at <1, 3, 1> {
    // CHECK-NEXT: xbar.barrier id 5 count 2
    xbar.barrier id 5 count 2
    // CHECK-NEXT: xbar.vec copy f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec copy f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec copy i32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec copy i32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec add f32 dst 0x0 src1 0x400 src2 elem 0x800 rows 4 cols 64
    xbar.vec add f32 dst 0x0 src1 0x400 src2 elem 0x800 rows 4 cols 64
    // CHECK-NEXT: xbar.vec sub f32 dst 0x0 src1 0x400 src2 row 0x800 rows 4 cols 64
    xbar.vec sub f32 dst 0x0 src1 0x400 src2 row 0x800 rows 4 cols 64
    // CHECK-NEXT: xbar.vec mul f32 dst 0x0 src1 0x400 src2 col 0x800 rows 4 cols 64
    xbar.vec mul f32 dst 0x0 src1 0x400 src2 col 0x800 rows 4 cols 64
    // CHECK-NEXT: xbar.vec div f32 dst 0x0 src1 0x400 imm0 3.000000e+00 : f32 rows 4 cols 64
    xbar.vec div f32 dst 0x0 src1 0x400 imm0 3.0 : f32 rows 4 cols 64
    // CHECK-NEXT: xbar.vec max i32 dst 0x0 src1 0x400 imm0 -7 : i32 rows 4 cols 64
    xbar.vec max i32 dst 0x0 src1 0x400 imm0 -7 : i32 rows 4 cols 64
    // CHECK-NEXT: xbar.vec min i32 dst 0x0 src1 0x400 src2 elem 0x800 rows 4 cols 64
    xbar.vec min i32 dst 0x0 src1 0x400 src2 elem 0x800 rows 4 cols 64
    // CHECK-NEXT: xbar.vec max f32 dst 0x0 src1 0x400 imm0 0x7FC00001 : f32 rows 4 cols 64
    xbar.vec max f32 dst 0x0 src1 0x400 imm0 0x7FC00001 : f32 rows 4 cols 64
    // CHECK-NEXT: xbar.vec neg f32
    xbar.vec neg f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec abs f32
    xbar.vec abs f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec exp f32
    xbar.vec exp f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec recip f32
    xbar.vec recip f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec sqrt f32
    xbar.vec sqrt f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec rsqrt f32
    xbar.vec rsqrt f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec tanh f32
    xbar.vec tanh f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec sigmoid f32
    xbar.vec sigmoid f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec erf f32
    xbar.vec erf f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec gelu f32
    xbar.vec gelu f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec silu f32
    xbar.vec silu f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec cvt i32 to f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec cvt i32 to f32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec cvt f32 to i32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec cvt f32 to i32 dst 0x0 src1 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vec quant f32 to i8 dst 0x0 src1 0x400 imm0 4.000000e+00 : f32 imm1 -3 rows 4 cols 64
    xbar.vec quant f32 to i8 dst 0x0 src1 0x400 imm0 4.0 : f32 imm1 -3 rows 4 cols 64
    // CHECK-NEXT: xbar.vec quant f32 to i16 dst 0x0 src1 0x400 imm0 2.500000e-01 : f32 imm1 0 rows 4 cols 64
    xbar.vec quant f32 to i16 dst 0x0 src1 0x400 imm0 0.25 : f32 imm1 0 rows 4 cols 64
    // CHECK-NEXT: xbar.vec quant f32 to i8 dst 0x0 src1 0x400 src2 row 0x800 imm1 0 rows 4 cols 64
    xbar.vec quant f32 to i8 dst 0x0 src1 0x400 src2 row 0x800 imm1 0 rows 4 cols 64
    // CHECK-NEXT: xbar.vec dequant i32 to f32 dst 0x0 src1 0x400 imm0 1.250000e-01 : f32 rows 4 cols 64
    xbar.vec dequant i32 to f32 dst 0x0 src1 0x400 imm0 0.125 : f32 rows 4 cols 64
    // CHECK-NEXT: xbar.vec dequant i32 to f32 dst 0x0 src1 0x400 src2 col 0x800 imm0 1.250000e-01 : f32 rows 4 cols 64
    xbar.vec dequant i32 to f32 dst 0x0 src1 0x400 src2 col 0x800 imm0 0.125 : f32 rows 4 cols 64
    // CHECK-NEXT: xbar.vred sum f32 dst 0x0 src 0x400 rows 4 cols 64
    xbar.vred sum f32 dst 0x0 src 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vred max i32 dst 0x0 src 0x400 rows 4 cols 64
    xbar.vred max i32 dst 0x0 src 0x400 rows 4 cols 64
    // CHECK-NEXT: xbar.vred min f32 dst 0x0 src 0x400 rows 4 cols 1
    xbar.vred min f32 dst 0x0 src 0x400 rows 4 cols 1
    // CHECK-NEXT: xbar.vtopk dst_values 0x0 dst_indices 0x40 src 0x400 rows 4 cols 64 k 2
    xbar.vtopk dst_values 0x0 dst_indices 0x40 src 0x400 rows 4 cols 64 k 2
    // CHECK-NEXT: xbar.dmm f32 dst 0x0 a 0x400 b 0x800 m 4 k 64 n 16{{$}}
    xbar.dmm f32 dst 0x0 a 0x400 b 0x800 m 4 k 64 n 16
    // CHECK-NEXT: xbar.dmm i8 dst 0x0 a 0x400 b 0x800 m 4 k 64 n 16 {accumulate, transpose_b}
    xbar.dmm i8 dst 0x0 a 0x400 b 0x800 m 4 k 64 n 16 {transpose_b, accumulate}
    // CHECK-NEXT: xbar.halt
    xbar.halt
  }
}

// Differential weights: the most negative i8 has no encoding, -127 does.
// CHECK-LABEL: xbar.program #xbar.unit_config<rows = 256, cols = 256, weight_bits = 8, cell_bits = 1, slices = 7, encoding = differential, input_bits = 4, dac_bits = 2, planes = 2, adc_bits = 10, adc_shift = 2, acc_bits = 24, mvm_units = 1, spad_bytes = 4096, tbuf_bytes = 4096, dram_bytes = 4096, chips = 1, tiles = 1, cores = 1> {
xbar.program #xbar.unit_config<rows = 256, cols = 256, weight_bits = 8, cell_bits = 1, slices = 7, encoding = differential, input_bits = 4, dac_bits = 2, planes = 2, adc_bits = 10, adc_shift = 2, acc_bits = 24, mvm_units = 1, spad_bytes = 4096, tbuf_bytes = 4096, dram_bytes = 4096, chips = 1, tiles = 1, cores = 1> {
  // CHECK-NEXT: xbar.weight_block @d : tensor<1x2xi8> = dense<{{\[}}[-127, 127]]>
  xbar.weight_block @d : tensor<1x2xi8> = dense<[[-127, 127]]>
  // CHECK-NEXT: xbar.core at <0, 0, 0> {
  // CHECK-NEXT: xbar.halt
  xbar.core at <0, 0, 0> {
    xbar.halt
  }
}

// CHECK: {-#
// CHECK: w2_data: "0x0400000001020304"
// CHECK: init_data: "0x040000000100FFFF"
{-#
  dialect_resources: {
    builtin: {
      w2_data: "0x0400000001020304",
      init_data: "0x040000000100FFFF"
    }
  }
#-}
