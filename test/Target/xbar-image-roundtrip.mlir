// An xbar.program survives both program-image forms exactly: the binary image
// (ISA §5) and the assembly listing. The import prints what mho-opt prints for
// this file, and re-exporting the import gives the same bytes.
//
// RUN: mho-opt %s -o %t.expected
// RUN: mho-translate --xbar-to-image %s -o %t.mhoimg
// RUN: mho-translate --image-to-xbar %t.mhoimg | FileCheck %s
// RUN: mho-translate --image-to-xbar %t.mhoimg -o %t.imported
// RUN: diff -B %t.expected %t.imported
// RUN: mho-translate --xbar-to-image %t.imported -o %t.again.mhoimg
// RUN: cmp %t.mhoimg %t.again.mhoimg
//
// RUN: mho-translate --xbar-to-asm %s -o %t.s
// RUN: FileCheck %s --check-prefix=ASM --input-file %t.s
// RUN: mho-translate --asm-to-xbar %t.s -o %t.from-asm
// RUN: diff -B %t.expected %t.from-asm
// RUN: mho-translate --xbar-to-image %t.from-asm -o %t.from-asm.mhoimg
// RUN: cmp %t.mhoimg %t.from-asm.mhoimg

// Ops come in image order (weight blocks, symbols, dram_inits, cores), and a
// dram_init has the type of the symbol at its address, or i8.

// CHECK:      module {
// CHECK-NEXT:   xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 65536, tbuf_bytes = 1048576, dram_bytes = 1073741824, chips = 2, tiles = 4, cores = 2> {
// CHECK-NEXT:     xbar.weight_block @w0 : tensor<2x3xi8> = dense<{{\[}}[1, -2, 3], [4, 5, -128]]>
// CHECK-NEXT:     xbar.weight_block @w1 : tensor<2x2xi4> = dense<{{\[}}[-8, 7], [0, -1]]>
// CHECK-NEXT:     xbar.weight_block @w2 : tensor<128x64xi8> = dense<3>
// CHECK-NEXT:     xbar.symbol @x input : tensor<1x128xi8> at dram[0x1000] {scale = 5.000000e-01 : f32, zero_point = -3 : i32}
// CHECK-NEXT:     xbar.symbol @y output : tensor<4x64xi32> at dram[0x2000]
// CHECK-NEXT:     xbar.symbol @c constant : tensor<2xf32> at dram[0x3000]
// CHECK-NEXT:     xbar.symbol @s constant : tensor<8xi16> at tbuf[0x40]
// CHECK-NEXT:     xbar.symbol @h output : tensor<2x2x1x1x1x3xbf16> at dram[0x4000] {scale = 0x7FC00001 : f32}
// CHECK-NEXT:     xbar.symbol @g output : tensor<f16> at dram[0x5000]
// CHECK-NEXT:     xbar.dram_init dram[0x3000] = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:     xbar.dram_init dram[0x3100] = dense<7> : tensor<16xi8>
// CHECK-NEXT:     xbar.dram_init dram[0x3200] = dense<[1, 0, -1, -1]> : tensor<4xi8>
// CHECK-NEXT:     xbar.core at <0, 0, 0> {
// CHECK-NEXT:       xbar.nop
// CHECK-NEXT:       xbar.barrier id 5 count 2
// CHECK-NEXT:       xbar.send spad[0x100] to <1, 3> tbuf[0x200] bytes 64 tag 7
// CHECK-NEXT:       xbar.send tbuf[0x0] to <0, 0> tbuf[0x400] bytes 16 tag 8
// CHECK-NEXT:       xbar.send dram[0x3000] to <0, 1> tbuf[0x0] bytes 8 tag 9
// CHECK-NEXT:       xbar.recv tag 7 from <1, 3> bytes 64
// CHECK-NEXT:       xbar.wprog unit 3 @w0
// CHECK-NEXT:       xbar.wprog unit 0 @w2
// CHECK-NEXT:       xbar.mvm unit 3 src 0x100 dst 0x400 count 16 strides [128, 512]
// CHECK-NEXT:       xbar.mvm unit 0 src 0x100 dst 0x400 count 16 strides [128, 256] {accumulate}
// CHECK-NEXT:       xbar.mvm unit 3 src 0x100 dst 0x400 count 8 strides [128, 512] {accumulate, count_indirect}
// CHECK-NEXT:       xbar.dma dram[0x1000] to spad[0x0] rows 4 row_bytes 128 strides [256, 128]
// CHECK-NEXT:       xbar.dma tbuf[0x10] to dram[0x3fff0000] rows 1 row_bytes 4096 strides [0, 0]
// CHECK-NEXT:       xbar.dma spad[0x0] to spad[0x1] rows 2 row_bytes 1 strides [2, 2]
// CHECK-NEXT:       xbar.vgather dst 0x0 src 0x100 index 0x200 count 16 row_bytes 64
// CHECK-NEXT:       xbar.vgather dst 0x0 src 0x100 index 0x200 count 256 row_bytes 64 {count_indirect}
// CHECK-NEXT:       xbar.vscatter dst 0x0 src 0x100 index 0x200 count 16 row_bytes 64 {accumulate}
// CHECK-NEXT:       xbar.vscatter dst 0x0 src 0x100 index 0x200 count 256 row_bytes 3 {count_indirect}
// CHECK-NEXT:       xbar.vdispatch dst_lists 0x300 dst_counts 0x380 src 0x200 entries 16 experts 4 capacity 8
// CHECK-NEXT:       xbar.halt
// CHECK-NEXT:     }
// CHECK-NEXT:     xbar.core at <1, 3, 1> {
// CHECK-NEXT:       xbar.barrier id 5 count 2
// CHECK-NEXT:       xbar.vec copy f32 dst 0x0 src1 0x400 rows 4 cols 64
// CHECK-NEXT:       xbar.vec copy i32 dst 0x0 src1 0x400 rows 4 cols 64
// CHECK-NEXT:       xbar.vec add f32 dst 0x0 src1 0x400 src2 elem 0x800 rows 4 cols 64
// CHECK-NEXT:       xbar.vec sub f32 dst 0x0 src1 0x400 src2 row 0x800 rows 4 cols 64
// CHECK-NEXT:       xbar.vec mul f32 dst 0x0 src1 0x400 src2 col 0x800 rows 4 cols 64
// CHECK-NEXT:       xbar.vec div f32 dst 0x0 src1 0x400 imm0 3.000000e+00 : f32 rows 4 cols 64
// CHECK-NEXT:       xbar.vec max i32 dst 0x0 src1 0x400 imm0 -7 : i32 rows 4 cols 64
// CHECK-NEXT:       xbar.vec min i32 dst 0x0 src1 0x400 src2 elem 0x800 rows 4 cols 64
// CHECK-NEXT:       xbar.vec max f32 dst 0x0 src1 0x400 imm0 0x7FC00001 : f32 rows 4 cols 64
// CHECK-NEXT:       xbar.vec min f32 dst 0x0 src1 0x400 imm0 -0.000000e+00 : f32 rows 4 cols 64
// CHECK-NEXT:       xbar.vec neg f32 dst 0x0 src1 0x400 rows 4 cols 64
// CHECK-NEXT:       xbar.vec abs f32
// CHECK-NEXT:       xbar.vec exp f32
// CHECK-NEXT:       xbar.vec recip f32
// CHECK-NEXT:       xbar.vec sqrt f32
// CHECK-NEXT:       xbar.vec rsqrt f32
// CHECK-NEXT:       xbar.vec tanh f32
// CHECK-NEXT:       xbar.vec sigmoid f32
// CHECK-NEXT:       xbar.vec erf f32
// CHECK-NEXT:       xbar.vec gelu f32
// CHECK-NEXT:       xbar.vec silu f32
// CHECK-NEXT:       xbar.vec cvt i32 to f32 dst 0x0 src1 0x400 rows 4 cols 64
// CHECK-NEXT:       xbar.vec cvt f32 to i32 dst 0x0 src1 0x400 rows 4 cols 64
// CHECK-NEXT:       xbar.vec quant f32 to i8 dst 0x0 src1 0x400 imm0 4.000000e+00 : f32 imm1 -3 rows 4 cols 64
// CHECK-NEXT:       xbar.vec quant f32 to i16 dst 0x0 src1 0x400 imm0 2.500000e-01 : f32 imm1 0 rows 4 cols 64
// CHECK-NEXT:       xbar.vec dequant i32 to f32 dst 0x0 src1 0x400 imm0 1.250000e-01 : f32 rows 4 cols 64
// CHECK-NEXT:       xbar.vec dequant i32 to f32 dst 0x0 src1 0x400 src2 col 0x800 imm0 1.250000e-01 : f32 rows 4 cols 64
// CHECK-NEXT:       xbar.vred sum f32 dst 0x0 src 0x400 rows 4 cols 64
// CHECK-NEXT:       xbar.vred max i32 dst 0x0 src 0x400 rows 4 cols 64
// CHECK-NEXT:       xbar.vred min f32 dst 0x0 src 0x400 rows 4 cols 1
// CHECK-NEXT:       xbar.vtopk dst_values 0x0 dst_indices 0x40 src 0x400 rows 4 cols 64 k 2
// CHECK-NEXT:       xbar.dmm f32 dst 0x0 a 0x400 b 0x800 m 4 k 64 n 16
// CHECK-NEXT:       xbar.dmm i8 dst 0x0 a 0x400 b 0x800 m 4 k 64 n 16 {accumulate, transpose_b}
// CHECK-NEXT:       xbar.halt
// CHECK-NEXT:     }
// CHECK-NEXT:     xbar.core at <0, 1, 1> {
// CHECK-NEXT:       xbar.halt
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT: }

// The listing is the ISA library's (docs/ISA.md §7).
// ASM:      .unit rows=128 cols=64 weight_bits=8 cell_bits=2 slices=4 encoding=offset
// ASM:      .weight 0 name="w0" rows=2 cols=3 bits=8
// ASM-NEXT:   .hex 01fe03
// ASM-NEXT:   .hex 040580
// ASM:      .weight 1 name="w1" rows=2 cols=2 bits=4
// ASM:      .symbol name="x" kind=input type=i8 shape=[1,128] space=dram address=0x1000 scale=0.5 zp=-3
// ASM:      .dram address=0x3000 size=8
// ASM-NEXT:   .hex 0000803f00000040
// ASM:      .stream chip=0 tile=0 core=0
// ASM:        wprog unit=3 block=0
// ASM-NEXT:   wprog unit=0 block=2
// ASM-NEXT:   mvm unit=3 src=0x100 dst=0x400 count=16 src_stride=128 dst_stride=512
// ASM:        vdispatch dst_lists=0x300 dst_counts=0x380 src=0x200 entries=16 experts=4 capacity=8
// ASM:      .stream chip=1 tile=3 core=1
// ASM:        vec.quant type=f32 to=i8 dst=0x0 src1=0x400 rows=4 cols=64 inv_scale=4 zp=-3
// ASM:      .stream chip=0 tile=1 core=1
// ASM-NEXT:   halt

xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 65536, tbuf_bytes = 1048576, dram_bytes = 1073741824, chips = 2, tiles = 4, cores = 2> {
  xbar.weight_block @w0 : tensor<2x3xi8> = dense<[[1, -2, 3], [4, 5, -128]]>
  xbar.weight_block @w1 : tensor<2x2xi4> = dense<[[-8, 7], [0, -1]]>
  xbar.weight_block @w2 : tensor<128x64xi8> = dense<3>
  xbar.symbol @x input : tensor<1x128xi8> at dram[0x1000] {scale = 0.5 : f32, zero_point = -3 : i32}
  xbar.symbol @y output : tensor<4x64xi32> at dram[0x2000]
  xbar.symbol @c constant : tensor<2xf32> at dram[0x3000]
  xbar.symbol @s constant : tensor<8xi16> at tbuf[0x40]
  xbar.symbol @h output : tensor<2x2x1x1x1x3xbf16> at dram[0x4000] {scale = 0x7FC00001 : f32}
  xbar.symbol @g output : tensor<f16> at dram[0x5000]
  xbar.dram_init dram[0x3000] = dense<[1.0, 2.0]> : tensor<2xf32>
  xbar.dram_init dram[0x3100] = dense<7> : tensor<16xi8>
  xbar.dram_init dram[0x3200] = dense<[1, 0, -1, -1]> : tensor<4xi8>
  xbar.core at <0, 0, 0> {
    xbar.nop
    xbar.barrier id 5 count 2
    xbar.send spad[0x100] to <1, 3> tbuf[0x200] bytes 64 tag 7
    xbar.send tbuf[0x0] to <0, 0> tbuf[0x400] bytes 16 tag 8
    xbar.send dram[0x3000] to <0, 1> tbuf[0x0] bytes 8 tag 9
    xbar.recv tag 7 from <1, 3> bytes 64
    xbar.wprog unit 3 @w0
    xbar.wprog unit 0 @w2
    xbar.mvm unit 3 src 0x100 dst 0x400 count 16 strides [128, 512]
    xbar.mvm unit 0 src 0x100 dst 0x400 count 16 strides [128, 256] {accumulate}
    xbar.mvm unit 3 src 0x100 dst 0x400 count 8 strides [128, 512] {accumulate, count_indirect}
    xbar.dma dram[0x1000] to spad[0x0] rows 4 row_bytes 128 strides [256, 128]
    xbar.dma tbuf[0x10] to dram[0x3fff0000] rows 1 row_bytes 4096 strides [0, 0]
    xbar.dma spad[0x0] to spad[0x1] rows 2 row_bytes 1 strides [2, 2]
    xbar.vgather dst 0x0 src 0x100 index 0x200 count 16 row_bytes 64
    xbar.vgather dst 0x0 src 0x100 index 0x200 count 256 row_bytes 64 {count_indirect}
    xbar.vscatter dst 0x0 src 0x100 index 0x200 count 16 row_bytes 64 {accumulate}
    xbar.vscatter dst 0x0 src 0x100 index 0x200 count 256 row_bytes 3 {count_indirect}
    xbar.vdispatch dst_lists 0x300 dst_counts 0x380 src 0x200 entries 16 experts 4 capacity 8
    xbar.halt
  }
  xbar.core at <1, 3, 1> {
    xbar.barrier id 5 count 2
    xbar.vec copy f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec copy i32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec add f32 dst 0x0 src1 0x400 src2 elem 0x800 rows 4 cols 64
    xbar.vec sub f32 dst 0x0 src1 0x400 src2 row 0x800 rows 4 cols 64
    xbar.vec mul f32 dst 0x0 src1 0x400 src2 col 0x800 rows 4 cols 64
    xbar.vec div f32 dst 0x0 src1 0x400 imm0 3.0 : f32 rows 4 cols 64
    xbar.vec max i32 dst 0x0 src1 0x400 imm0 -7 : i32 rows 4 cols 64
    xbar.vec min i32 dst 0x0 src1 0x400 src2 elem 0x800 rows 4 cols 64
    xbar.vec max f32 dst 0x0 src1 0x400 imm0 0x7FC00001 : f32 rows 4 cols 64
    xbar.vec min f32 dst 0x0 src1 0x400 imm0 -0.0 : f32 rows 4 cols 64
    xbar.vec neg f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec abs f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec exp f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec recip f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec sqrt f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec rsqrt f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec tanh f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec sigmoid f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec erf f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec gelu f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec silu f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec cvt i32 to f32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec cvt f32 to i32 dst 0x0 src1 0x400 rows 4 cols 64
    xbar.vec quant f32 to i8 dst 0x0 src1 0x400 imm0 4.0 : f32 imm1 -3 rows 4 cols 64
    xbar.vec quant f32 to i16 dst 0x0 src1 0x400 imm0 0.25 : f32 imm1 0 rows 4 cols 64
    xbar.vec dequant i32 to f32 dst 0x0 src1 0x400 imm0 0.125 : f32 rows 4 cols 64
    xbar.vec dequant i32 to f32 dst 0x0 src1 0x400 src2 col 0x800 imm0 0.125 : f32 rows 4 cols 64
    xbar.vred sum f32 dst 0x0 src 0x400 rows 4 cols 64
    xbar.vred max i32 dst 0x0 src 0x400 rows 4 cols 64
    xbar.vred min f32 dst 0x0 src 0x400 rows 4 cols 1
    xbar.vtopk dst_values 0x0 dst_indices 0x40 src 0x400 rows 4 cols 64 k 2
    xbar.dmm f32 dst 0x0 a 0x400 b 0x800 m 4 k 64 n 16
    xbar.dmm i8 dst 0x0 a 0x400 b 0x800 m 4 k 64 n 16 {transpose_b, accumulate}
    xbar.halt
  }
  xbar.core at <0, 1, 1> {
    xbar.halt
  }
}
