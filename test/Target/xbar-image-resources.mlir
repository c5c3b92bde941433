// Weights and DRAM contents held in dense_resource blobs are written like
// dense<...> ones (the image stores values, not their MLIR spelling); the
// import gives them back as dense<...>.
// RUN: mho-translate --xbar-to-image %s -o %t.mhoimg
// RUN: mho-translate --image-to-xbar %t.mhoimg | FileCheck %s

// CHECK: xbar.weight_block @w8 : tensor<2x2xi8> = dense<{{\[}}[1, 2], [-1, -128]]>
// CHECK: xbar.weight_block @w16 : tensor<1x2xi16> = dense<{{\[}}[-2, 300]]>
// CHECK: xbar.dram_init dram[0x0] = dense<[1, -1]> : tensor<2xi16>
// CHECK: xbar.dram_init dram[0x100] = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NOT: dialect_resources
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 16, cell_bits = 2, slices = 8, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 1, cores = 1> {
  xbar.weight_block @w8 : tensor<2x2xi8> = dense_resource<w8_data>
  xbar.weight_block @w16 : tensor<1x2xi16> = dense_resource<w16_data>
  xbar.symbol @c constant : tensor<2xi16> at dram[0x0]
  xbar.symbol @f constant : tensor<2xf32> at dram[0x100]
  xbar.dram_init dram[0x0] = dense_resource<init_data> : tensor<2xi16>
  xbar.dram_init dram[0x100] = dense<[1.0, 2.0]> : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w8_data: "0x040000000102FF80",
      w16_data: "0x04000000FEFF2C01",
      init_data: "0x040000000100FFFF"
    }
  }
#-}
