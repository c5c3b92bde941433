// One case per verifier message of the xbar dialect, including the ISA
// library's rules the verifiers apply (docs/ISA.md). Unless a case says
// otherwise, the unit configuration is: 128x64 crossbars, 8-bit weights in
// four 2-bit slices (offset), 8-bit inputs one bit a plane, 4 MVM units,
// spad 4 KiB, tbuf 8 KiB, dram 64 KiB, 1 chip x 2 tiles x 2 cores.
// RUN: mho-opt %s --split-input-file --verify-diagnostics

// Unit configuration
// expected-error @+1 {{'rows' = 70000 does not fit its 16-bit field of the unit configuration}}
xbar.program #xbar.unit_config<rows = 70000, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
}
// -----
// expected-error @+1 {{unit configuration: slices is 3, must be in [4, 16]}}
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 3, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
}
// -----
// expected-error @+1 {{unit configuration: planes is 4, must be ceil(input_bits / dac_bits) = 8}}
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 4, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
}
// -----
// expected-error @+1 {{unit configuration: largest shift adc_shift + (slices-1)*cell_bits + (planes-1)*dac_bits is 33, must be < 32}}
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 20, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
}
// -----
// expected-error @+1 {{unit configuration: largest column sum rows*(2^dac_bits-1)*(2^cell_bits-1) = 4261413375 does not fit in i32}}
xbar.program #xbar.unit_config<rows = 65535, cols = 64, weight_bits = 8, cell_bits = 8, slices = 1, encoding = offset, input_bits = 8, dac_bits = 8, planes = 1, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
}
// -----
// xbar.program
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-note @+1 {{first defined here}}
  xbar.core at <0, 1, 0> {
    xbar.halt
  }
  // expected-error @+1 {{core <0, 1, 0> is defined twice in the program}}
  xbar.core at <0, 1, 0> {
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{'func.func' op cannot be in an 'xbar.program', which holds only xbar.core, xbar.weight_block, xbar.symbol and xbar.dram_init}}
  func.func @f() {
    return
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-note @+1 {{the other xbar.dram_init}}
  xbar.dram_init dram[0x100] = dense<0> : tensor<64xi8>
  xbar.dram_init dram[0x200] = dense<0> : tensor<4xi32>
  // expected-error @+1 {{bytes [0x120, 0x124) overlap the xbar.dram_init at 0x100}}
  xbar.dram_init dram[0x120] = dense<0> : tensor<4xi8>
}
// -----
// Weight blocks and symbols share the program's symbol table (MLIR's check).
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-note @+1 {{see existing symbol definition here}}
  xbar.weight_block @w : tensor<2x3xi8> = dense<1>
  // expected-error @+1 {{redefinition of symbol named 'w'}}
  xbar.weight_block @w : tensor<2x3xi8> = dense<2>
  xbar.core at <0, 0, 0> {
    xbar.wprog unit 0 @w
    xbar.mvm unit 0 src 0x0 dst 0x100 count 1 strides [0, 0]
    xbar.halt
  }
}
// -----
// xbar.core
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{core <0, 2, 0> is outside the configured 1 chip(s) x 2 tile(s) x 2 core(s)}}
  xbar.core at <0, 2, 0> {
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{'arith.constant' op cannot be in an 'xbar.core', which holds only xbar instructions}}
    %0 = arith.constant 0 : i32
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.weight_block @w : tensor<2x3xi8> = dense<1>
  xbar.core at <0, 0, 0> {
    xbar.wprog unit 1 @w
    // expected-error @+1 {{unit 0 is used before any xbar.wprog in this core programs it}}
    xbar.mvm unit 0 src 0x0 dst 0x100 count 1 strides [0, 0]
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.weight_block @w : tensor<2x3xi8> = dense<1>
  xbar.core at <0, 0, 0> {
    xbar.wprog unit 0 @w
    // expected-error @+1 {{input vectors [0xfe0, 0x1002) exceed spad (4096 bytes) for the 2x3 block unit 0 holds}}
    xbar.mvm unit 0 src 0xfe0 dst 0x0 count 2 strides [32, 12]
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.weight_block @w : tensor<2x3xi8> = dense<1>
  xbar.core at <0, 0, 0> {
    xbar.wprog unit 0 @w
    // expected-error @+1 {{output vectors [0xff0, 0x1008) exceed spad (4096 bytes) for the 2x3 block unit 0 holds}}
    xbar.mvm unit 0 src 0x0 dst 0xff0 count 2 strides [2, 12]
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{'xbar.halt' op must be the last operation in the parent block}}
    xbar.halt
    xbar.nop
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{block with no terminator}}
    xbar.nop
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{'xbar.nop' op expects parent op 'xbar.core'}}
  xbar.nop
}
// -----
// xbar.weight_block
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{weights must be a static rank-2 tensor, got 'tensor<4xi8>'}}
  xbar.weight_block @w : tensor<4xi8> = dense<1>
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{weights must be signless integers, got 'f32'}}
  xbar.weight_block @w : tensor<2x2xf32> = dense<1.0>
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{weights must be a dense<...> or dense_resource<...> attribute}}
  xbar.weight_block @w : tensor<2x2xi8> = sparse<[[0, 0]], [1]>
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{block 129x4 does not fit the 128x64 crossbar}}
  xbar.weight_block @w : tensor<129x4xi8> = dense<1>
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{weight block 'w': bits 16 exceeds weight_bits 8}}
  xbar.weight_block @w : tensor<2x2xi16> = dense<1>
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{weight block 'w': bits is 1, must be in [2, 16]}}
  xbar.weight_block @w : tensor<2x2xi1> = dense<true>
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 1, slices = 7, encoding = differential, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{weight block 'w': value -128 at [1][0] is -2^(W-1), which differential encoding cannot hold}}
  xbar.weight_block @w : tensor<2x2xi8> = dense<[[1, 2], [-128, 3]]>
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{custom op 'xbar.weight_block' expected an elements attribute}}
  xbar.weight_block @w : tensor<2x2xi8> = "x"
}
// -----
// xbar.symbol
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{element type must be i8, i16, i32, f32, bf16 or f16, got 'i64'}}
  xbar.symbol @x input : tensor<4xi64> at dram[0x0]
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{rank 7 exceeds the 6 dimensions of the image's symbol table}}
  xbar.symbol @x input : tensor<1x1x1x1x1x1x1xi8> at dram[0x0]
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{type must have a static shape, got 'tensor<?x4xf32>'}}
  xbar.symbol @x input : tensor<?x4xf32> at dram[0x0]
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{dimension 5000000000 does not fit 32 bits}}
  xbar.symbol @x input : tensor<5000000000xi8> at dram[0x0]
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{bytes [0xff00, +1024) exceed dram (65536 bytes)}}
  xbar.symbol @x output : tensor<256xf32> at dram[0xff00]
}
// -----
// xbar.dram_init
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{value must be a dense<...> or dense_resource<...> attribute}}
  xbar.dram_init dram[0x0] = sparse<[[0]], [1]> : tensor<4xi8>
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{elements must be integers or floats a whole number of bytes wide, got 'i1'}}
  xbar.dram_init dram[0x0] = dense<true> : tensor<8xi1>
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  // expected-error @+1 {{bytes [0xfffc, +8) exceed dram (65536 bytes)}}
  xbar.dram_init dram[0xfffc] = dense<0.0> : tensor<2xf32>
}
// -----
// Control and synchronisation
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{barrier: count must be at least 1}}
    xbar.barrier id 0 count 0
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{barrier: count 5 exceeds the number of cores (4)}}
    xbar.barrier id 0 count 5
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{count 3 exceeds the 2 core(s) of the program: it would never release}}
    xbar.barrier id 0 count 3
    xbar.halt
  }
  xbar.core at <0, 1, 0> {
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{src address 0x100000000 does not fit its 32-bit field}}
    xbar.send dram[0x100000000] to <0, 1> tbuf[0x0] bytes 4 tag 0
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{send: src [0xff0, +64 bytes) is outside spad (4096 bytes)}}
    xbar.send spad[0xff0] to <0, 1> tbuf[0x0] bytes 64 tag 0
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{send: dst_tile 0x2 (chip 0, tile 2) is outside the system (1 chips x 2 tiles)}}
    xbar.send spad[0x0] to <0, 2> tbuf[0x0] bytes 64 tag 0
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{recv: bytes [0x0, +8193 bytes) is outside tbuf (8192 bytes)}}
    xbar.recv tag 0 from <0, 1> bytes 8193
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{recv: src_tile 0x10000 (chip 1, tile 0) is outside the system (1 chips x 2 tiles)}}
    xbar.recv tag 0 from <1, 0> bytes 8
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{custom op 'xbar.recv' integer value too large}}
    xbar.recv tag 0 from <70000, 0> bytes 8
    xbar.halt
  }
}
// -----
// Weights and crossbars
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{no xbar.weight_block named @w}}
    xbar.wprog unit 0 @w
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.symbol @x input : tensor<4xi8> at dram[0x0]
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{@x is not an xbar.weight_block but a 'xbar.symbol'}}
    xbar.wprog unit 0 @x
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.weight_block @w : tensor<2x3xi8> = dense<1>
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{wprog: unit 4 does not exist (mvm_units 4)}}
    xbar.wprog unit 4 @w
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.weight_block @w : tensor<2x3xi8> = dense<1>
  xbar.core at <0, 0, 0> {
    xbar.wprog unit 0 @w
    // expected-error @+1 {{mvm: count [0xffe, +4 bytes) is outside spad (4096 bytes)}}
    xbar.mvm unit 0 src 0x0 dst 0x100 count 4094 strides [2, 12] {count_indirect}
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{dst address 0x100000000 does not fit its 32-bit field}}
    xbar.mvm unit 0 src 0x0 dst 0x100000000 count 1 strides [2, 12]
    xbar.halt
  }
}
// -----
// Data movement
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{src address 0x1000000000000 does not fit its 48-bit field}}
    xbar.dma dram[0x1000000000000] to spad[0x0] rows 1 row_bytes 4 strides [0, 0]
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{dma: src [0xfff0, +64 bytes) is outside dram (65536 bytes)}}
    xbar.dma dram[0xfff0] to spad[0x0] rows 1 row_bytes 64 strides [0, 0]
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{source and destination overlap in tbuf (source row 2 and destination row 0)}}
    xbar.dma tbuf[0x0] to tbuf[0x84] rows 4 row_bytes 8 strides [64, 256]
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error-re @+1 {{source and destination overlap in spad{{$}}}}
    xbar.dma spad[0x0] to spad[0x0] rows 2000000 row_bytes 1 strides [0, 0]
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vgather: index [0xff0, +64 bytes) is outside spad (4096 bytes)}}
    xbar.vgather dst 0x0 src 0x100 index 0xff0 count 16 row_bytes 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vscatter: row_bytes 6 must be a multiple of 4 with acc (f32 rows)}}
    xbar.vscatter dst 0x0 src 0x100 index 0x200 count 4 row_bytes 6 {accumulate}
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{dst_counts address 0x100000000 does not fit its 32-bit field}}
    xbar.vdispatch dst_lists 0x0 dst_counts 0x100000000 src 0x100 entries 8 experts 4 capacity 2
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vdispatch: entries must be at least 1}}
    xbar.vdispatch dst_lists 0x0 dst_counts 0x40 src 0x100 entries 0 experts 4 capacity 2
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vdispatch: experts must be at least 1}}
    xbar.vdispatch dst_lists 0x0 dst_counts 0x40 src 0x100 entries 8 experts 0 capacity 2
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vdispatch: capacity must be at least 1}}
    xbar.vdispatch dst_lists 0x0 dst_counts 0x40 src 0x100 entries 8 experts 4 capacity 0
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vdispatch: entries does not fit an i32 index}}
    xbar.vdispatch dst_lists 0x0 dst_counts 0x40 src 0x100 entries 2147483648 experts 4 capacity 2
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vdispatch: src [0xff0, +32 bytes) is outside spad (4096 bytes)}}
    xbar.vdispatch dst_lists 0x0 dst_counts 0x40 src 0xff0 entries 8 experts 4 capacity 2
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vdispatch: dst_lists [0xfe0, +48 bytes) is outside spad (4096 bytes)}}
    xbar.vdispatch dst_lists 0xfe0 dst_counts 0x40 src 0x100 entries 8 experts 4 capacity 3
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vdispatch: dst_counts [0xffc, +16 bytes) is outside spad (4096 bytes)}}
    xbar.vdispatch dst_lists 0x0 dst_counts 0xffc src 0x100 entries 8 experts 4 capacity 2
    xbar.halt
  }
}
// -----
// Vector unit
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{src2_mode and src2 must be given together}}
    "xbar.vec"() <{func = 1 : i32, type = 2 : i32, dst = 0 : ui64, src1 = 0 : ui64, src2_mode = 1 : i32, rows = 1 : ui32, cols = 1 : ui32}> : () -> ()
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{'cvt' needs a result type (`to <type>`)}}
    xbar.vec cvt i32 dst 0x0 src1 0x100 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{'add' takes no result type}}
    xbar.vec add f32 to i32 dst 0x0 src1 0x100 src2 elem 0x200 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{unary function 'exp' takes no src2}}
    xbar.vec exp f32 dst 0x0 src1 0x100 src2 elem 0x200 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{imm0 is unused by 'exp'}}
    xbar.vec exp f32 dst 0x0 src1 0x100 imm0 1.0 : f32 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{imm0 is unused by 'add' with src2}}
    xbar.vec add f32 dst 0x0 src1 0x100 src2 row 0x200 imm0 1.0 : f32 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{'mul' needs imm0 (its scalar operand, as there is no src2)}}
    xbar.vec mul f32 dst 0x0 src1 0x100 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{'quant' needs imm0 (1 / scale)}}
    xbar.vec quant f32 to i8 dst 0x0 src1 0x100 imm1 0 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{'dequant' needs imm0 (the scale)}}
    xbar.vec dequant i32 to f32 dst 0x0 src1 0x100 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{imm0 of 'add' on i32 must be an i32, got 1.000000e+00 : f32}}
    xbar.vec add i32 dst 0x0 src1 0x100 imm0 1.0 : f32 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{imm0 of 'add' on f32 must be an f32, got 1 : i32}}
    xbar.vec add f32 dst 0x0 src1 0x100 imm0 1 : i32 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{'quant' needs imm1 (the zero point)}}
    xbar.vec quant f32 to i8 dst 0x0 src1 0x100 imm0 1.0 : f32 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{imm1 is used only by quant, not 'add'}}
    xbar.vec add f32 dst 0x0 src1 0x100 imm0 1.0 : f32 imm1 0 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vec.exp: type i32 is not legal (f32)}}
    xbar.vec exp i32 dst 0x0 src1 0x100 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vec.div: type i32 is not legal (f32)}}
    xbar.vec div i32 dst 0x0 src1 0x100 src2 elem 0x200 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vec.add: type bf16 is not legal (f32, i32)}}
    xbar.vec add bf16 dst 0x0 src1 0x100 src2 elem 0x200 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vec.cvt: type i8 is not legal (i32, f32)}}
    xbar.vec cvt i8 to f32 dst 0x0 src1 0x100 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vec.cvt: to f32 is not legal (i32)}}
    xbar.vec cvt f32 to f32 dst 0x0 src1 0x100 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vec.quant: to i32 is not legal (i8, i16)}}
    xbar.vec quant f32 to i32 dst 0x0 src1 0x100 imm0 1.0 : f32 imm1 0 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vec.dequant: type f32 is not legal (i32)}}
    xbar.vec dequant f32 to f32 dst 0x0 src1 0x100 imm0 1.0 : f32 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vec.exp: src1 [0xf00, +1024 bytes) is outside spad (4096 bytes)}}
    xbar.vec exp f32 dst 0x0 src1 0xf00 rows 4 cols 64
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vec.add: src2 [0xffc, +16 bytes) is outside spad (4096 bytes)}}
    xbar.vec add f32 dst 0x0 src1 0x100 src2 row 0xffc rows 4 cols 64
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vec.quant: dst [0xfff, +4 bytes) is outside spad (4096 bytes)}}
    xbar.vec quant f32 to i8 dst 0xfff src1 0x100 imm0 1.0 : f32 imm1 0 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{src2 address 0x100000000 does not fit its 32-bit field}}
    xbar.vec add f32 dst 0x0 src1 0x100 src2 row 0x100000000 rows 4 cols 64
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vred.sum: type i8 is not legal (f32, i32)}}
    xbar.vred sum i8 dst 0x0 src 0x100 rows 1 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vred.max: cols must be at least 1}}
    xbar.vred max f32 dst 0x0 src 0x100 rows 1 cols 0
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vred.min: dst [0xffc, +8 bytes) is outside spad (4096 bytes)}}
    xbar.vred min f32 dst 0xffc src 0x100 rows 2 cols 4
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vtopk: k 5 is larger than cols 4}}
    xbar.vtopk dst_values 0x0 dst_indices 0x40 src 0x100 rows 1 cols 4 k 5
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{vtopk: dst_indices [0xffc, +8 bytes) is outside spad (4096 bytes)}}
    xbar.vtopk dst_values 0x0 dst_indices 0xffc src 0x100 rows 1 cols 4 k 2
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{dmm: type i32 is not legal (f32, i8)}}
    xbar.dmm i32 dst 0x0 a 0x100 b 0x200 m 1 k 1 n 1
    xbar.halt
  }
}
// -----
xbar.program #xbar.unit_config<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 8, adc_shift = 0, acc_bits = 32, mvm_units = 4, spad_bytes = 4096, tbuf_bytes = 8192, dram_bytes = 65536, chips = 1, tiles = 2, cores = 2> {
  xbar.core at <0, 0, 0> {
    // expected-error @+1 {{dmm: b [0xf00, +1024 bytes) is outside spad (4096 bytes)}}
    xbar.dmm f32 dst 0x0 a 0x100 b 0xf00 m 1 k 16 n 16 {transpose_b}
    xbar.halt
  }
}
