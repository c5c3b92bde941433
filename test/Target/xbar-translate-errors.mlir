// mho-translate fails with a diagnostic, never a crash, and never leaves a
// partial output: -o is written to a temporary file renamed into place only
// on success.
// RUN: rm -rf %t && split-file %s %t
//
// Programs that cannot become an image, at the offending op.
// RUN: mho-translate --xbar-to-image --split-input-file --verify-diagnostics %t/export.mlir -o %t/export.mhoimg
// RUN: mho-translate --xbar-to-asm --split-input-file --verify-diagnostics %t/export.mlir -o %t/export.s
//
// Corrupt images: the ISA library's reader names the first violation and its
// byte offset.
// RUN: mho-translate --xbar-to-image %t/good.mlir -o %t/good.mhoimg
// RUN: head -c 100 %t/good.mhoimg > %t/truncated.mhoimg
// RUN: not mho-translate --image-to-xbar %t/truncated.mhoimg 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: truncated.mhoimg:0:0: error: invalid program image: image byte 0x64: file is truncated: 100 bytes, the header alone is 160
//
// RUN: cp %t/good.mhoimg %t/flipped.mhoimg
// RUN: printf '\377' | dd of=%t/flipped.mhoimg bs=1 seek=200 conv=notrunc 2>/dev/null
// RUN: not mho-translate --image-to-xbar %t/flipped.mhoimg 2>&1 | FileCheck %s --check-prefix=CHECKSUM
// CHECKSUM: flipped.mhoimg:0:0: error: invalid program image: image byte 0x98: checksum mismatch
//
// RUN: cp %t/good.mhoimg %t/version.mhoimg
// RUN: printf '\002' | dd of=%t/version.mhoimg bs=1 seek=8 conv=notrunc 2>/dev/null
// RUN: not mho-translate --image-to-xbar %t/version.mhoimg 2>&1 | FileCheck %s --check-prefix=VERSION
// VERSION: version.mhoimg:0:0: error: invalid program image: image byte 0x8: {{.*}}version 2
//
// RUN: not mho-translate --image-to-xbar %t/good.mlir 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: good.mlir:0:0: error: invalid program image: image byte 0x0: bad magic (not an mho program image)
//
// Listings: errors at their line and column.
// RUN: not mho-translate --asm-to-xbar %t/bad-field.s 2>&1 | FileCheck %s --check-prefix=FIELD
// FIELD: bad-field.s:6:3: error: vtopk: k 2 is larger than cols 1
// RUN: not mho-translate --asm-to-xbar %t/bad-dispatch.s 2>&1 | FileCheck %s --check-prefix=DISPATCH
// DISPATCH: bad-dispatch.s:3:3: error: vdispatch: capacity must be at least 1
//
// Images the ISA accepts but an xbar.program cannot hold.
// RUN: not mho-translate --asm-to-xbar %t/no-halt.s 2>&1 | FileCheck %s --check-prefix=NO-HALT
// NO-HALT: no-halt.s:0:0: error: stream 0 (core <0, 0, 0>) does not end with halt, which an xbar.core needs
// RUN: not mho-translate --asm-to-xbar %t/early-halt.s 2>&1 | FileCheck %s --check-prefix=EARLY-HALT
// EARLY-HALT: early-halt.s:0:0: error: stream 0 (core <0, 0, 0>) has a halt at instruction 0 before its end; an xbar.core holds one halt, last
// RUN: not mho-translate --asm-to-xbar %t/same-name.s 2>&1 | FileCheck %s --check-prefix=SAME-NAME
// SAME-NAME: same-name.s:0:0: error: symbol 0 is named 'w' like weight block 0; an xbar.program needs distinct names
// RUN: not mho-translate --asm-to-xbar %t/no-name.s 2>&1 | FileCheck %s --check-prefix=NO-NAME
// NO-NAME: no-name.s:0:0: error: symbol 0 has no name
// RUN: not mho-translate --asm-to-xbar %t/no-wprog.s 2>&1 | FileCheck %s --check-prefix=NO-WPROG
// NO-WPROG: no-wprog.s:0:0: error: 'xbar.mvm' op unit 0 is used before any xbar.wprog in this core programs it
// NO-WPROG: no-wprog.s:0:0: note: imported from stream 0 instruction 0
//
// Atomic output: a failed translation keeps the previous file and leaves no
// temporary behind; a successful one replaces it (with -o FILE or -o=FILE).
// RUN: mkdir %t/out && echo previous > %t/out/prog.mhoimg
// RUN: not mho-translate --xbar-to-image %t/elided.mlir -o %t/out/prog.mhoimg
// RUN: FileCheck %s --check-prefix=KEPT --input-file %t/out/prog.mhoimg
// KEPT: previous
// RUN: ls %t/out | FileCheck %s --check-prefix=FILES
// FILES-NOT: tmp
// FILES:     prog.mhoimg
// FILES-NOT: tmp
// RUN: mho-translate --xbar-to-image %t/good.mlir -o %t/out/prog.mhoimg
// RUN: cmp %t/good.mhoimg %t/out/prog.mhoimg
// RUN: mho-translate --xbar-to-image %t/good.mlir -o=%t/out/prog2.mhoimg
// RUN: cmp %t/good.mhoimg %t/out/prog2.mhoimg
// RUN: ls %t/out | FileCheck %s --check-prefix=FILES2
// FILES2-NOT: tmp
// FILES2:     prog.mhoimg
// FILES2-NEXT: prog2.mhoimg
// FILES2-NOT: tmp
//
// What is not a regular file (a symbolic link here; likewise stdout, devices
// and pipes) is written in place, not replaced.
// RUN: ln -s prog.mhoimg %t/out/link.mhoimg
// RUN: mho-translate --xbar-to-asm %t/good.mlir -o %t/out/link.mhoimg
// RUN: test -L %t/out/link.mhoimg
// RUN: FileCheck %s --check-prefix=LINKED --input-file %t/out/prog.mhoimg
// LINKED: .unit rows=128

//--- export.mlir
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{'xbar.weight_block' op has no weight data to write: its dense_resource blob is not i8/i16 of the tensor's size}}
  xbar.weight_block @w : tensor<2x2xi8> = dense_resource<short_blob>
}
{-#
  dialect_resources: {
    builtin: {
      short_blob: "0x0100000001"
    }
  }
#-}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{'xbar.dram_init' op has no data to write: its dense_resource blob is elided or does not hold 8 bytes}}
  xbar.dram_init dram[0x0] = dense_resource<__elided__> : tensor<2xf32>
}
// -----
// expected-error @+1 {{expected exactly one xbar.program, found 0}}
module {
}
// -----
// expected-error @+1 {{expected exactly one xbar.program, found 2}}
module {
  xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  }
  xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{'xbar.vec' op vec.exp: type i32 is not legal (f32)}}
    xbar.vec exp i32 dst 0x0 src1 0x100 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{'xbar.vdispatch' op vdispatch: experts must be at least 1}}
    xbar.vdispatch dst_lists 0x0 dst_counts 0x40 src 0x100 entries 4 experts 0 capacity 2
    xbar.halt
  }
}

//--- elided.mlir
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.dram_init dram[0x0] = dense_resource<__elided__> : tensor<2xf32>
}

//--- good.mlir
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.weight_block @w : tensor<1x2xi8> = dense<[[1, 2]]>
  xbar.symbol @x input : tensor<4xi8> at dram[0x0]
  xbar.core at <0, 0, 0> {
    xbar.wprog unit 0 @w
    xbar.mvm unit 0 src 0x0 dst 0x100 count 1 strides [0, 0]
    xbar.halt
  }
}

//--- bad-field.s
.unit rows=128 cols=64 weight_bits=8 cell_bits=2 slices=4 encoding=offset input_bits=8 dac_bits=1 planes=8 adc_bits=8 adc_shift=0 acc_bits=32 mvm_units=4 spad_bytes=0x1000 tbuf_bytes=0x2000 dram_bytes=0x10000 chips=1 tiles=2 cores=2
.weight 0 name="w" rows=1 cols=2 bits=8
  .hex 0102
.stream chip=0 tile=0 core=0
  wprog unit=0 block=0
  vtopk dst_values=0x0 dst_indices=0x40 src=0x100 rows=1 cols=1 k=2
  halt

//--- bad-dispatch.s
.unit rows=128 cols=64 weight_bits=8 cell_bits=2 slices=4 encoding=offset input_bits=8 dac_bits=1 planes=8 adc_bits=8 adc_shift=0 acc_bits=32 mvm_units=4 spad_bytes=0x1000 tbuf_bytes=0x2000 dram_bytes=0x10000 chips=1 tiles=2 cores=2
.stream chip=0 tile=0 core=0
  vdispatch dst_lists=0x0 dst_counts=0x40 src=0x100 entries=4 experts=2 capacity=0
  halt

//--- no-halt.s
.unit rows=128 cols=64 weight_bits=8 cell_bits=2 slices=4 encoding=offset input_bits=8 dac_bits=1 planes=8 adc_bits=8 adc_shift=0 acc_bits=32 mvm_units=4 spad_bytes=0x1000 tbuf_bytes=0x2000 dram_bytes=0x10000 chips=1 tiles=2 cores=2
.stream chip=0 tile=0 core=0
  nop

//--- early-halt.s
.unit rows=128 cols=64 weight_bits=8 cell_bits=2 slices=4 encoding=offset input_bits=8 dac_bits=1 planes=8 adc_bits=8 adc_shift=0 acc_bits=32 mvm_units=4 spad_bytes=0x1000 tbuf_bytes=0x2000 dram_bytes=0x10000 chips=1 tiles=2 cores=2
.stream chip=0 tile=0 core=0
  halt
  nop
  halt

//--- same-name.s
.unit rows=128 cols=64 weight_bits=8 cell_bits=2 slices=4 encoding=offset input_bits=8 dac_bits=1 planes=8 adc_bits=8 adc_shift=0 acc_bits=32 mvm_units=4 spad_bytes=0x1000 tbuf_bytes=0x2000 dram_bytes=0x10000 chips=1 tiles=2 cores=2
.weight 0 name="w" rows=1 cols=2 bits=8
  .hex 0102
.symbol name="w" kind=input type=i8 shape=[4] space=dram address=0x0 scale=1 zp=0

//--- no-name.s
.unit rows=128 cols=64 weight_bits=8 cell_bits=2 slices=4 encoding=offset input_bits=8 dac_bits=1 planes=8 adc_bits=8 adc_shift=0 acc_bits=32 mvm_units=4 spad_bytes=0x1000 tbuf_bytes=0x2000 dram_bytes=0x10000 chips=1 tiles=2 cores=2
.symbol name="" kind=input type=i8 shape=[4] space=dram address=0x0 scale=1 zp=0

//--- no-wprog.s
.unit rows=128 cols=64 weight_bits=8 cell_bits=2 slices=4 encoding=offset input_bits=8 dac_bits=1 planes=8 adc_bits=8 adc_shift=0 acc_bits=32 mvm_units=4 spad_bytes=0x1000 tbuf_bytes=0x2000 dram_bytes=0x10000 chips=1 tiles=2 cores=2
.stream chip=0 tile=0 core=0
  mvm unit=0 src=0x0 dst=0x100 count=1 src_stride=0 dst_stride=0
  halt
