// Weights without values (dense_resource without a blob) make shape-only
// blocks: the image records their shape and flag, listings say shape_only, and
// both translate back.
// RUN: rm -rf %t && mkdir -p %t
// RUN: mho-translate --xbar-to-image %s -o %t/p.mhoimg
// RUN: mho-translate --image-to-xbar %t/p.mhoimg | FileCheck %s
// RUN: mho-translate --xbar-to-asm %s | FileCheck %s --check-prefix=ASM
// RUN: mho-translate --xbar-to-asm %s | mho-translate --asm-to-xbar | FileCheck %s
// RUN: mho-translate --image-to-xbar %t/p.mhoimg | mho-translate --xbar-to-image -o %t/q.mhoimg
// RUN: cmp %t/p.mhoimg %t/q.mhoimg

// CHECK: xbar.weight_block @w_elided : tensor<128x64xi8> = dense_resource<w_elided>
// CHECK: xbar.weight_block @w_real : tensor<1x2xi8> = dense<{{\[\[}}1, -2]]>
// ASM: .weight 0 name="w_elided" rows=128 cols=64 bits=8 shape_only
// ASM: .weight 1 name="w_real" rows=1 cols=2 bits=8
// ASM-NEXT: .hex

xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.weight_block @w_elided : tensor<128x64xi8> = dense_resource<weights_of_a_big_model>
  xbar.weight_block @w_real : tensor<1x2xi8> = dense<[[1, -2]]>
  xbar.core at <0, 0, 0> {
    xbar.wprog unit 0 @w_elided
    xbar.halt
  }
}
