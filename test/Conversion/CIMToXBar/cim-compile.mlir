// The cim-compile pipeline: exporter IR -> one xbar.program -> a program
// image (mho-translate). Numerical checks of compiled programs are in
// CIMToXBarTest.cpp (run on the ISA library against the FP32 reference);
// mho-sim's functional engine does not exist yet.
// RUN: rm -rf %t && mkdir -p %t

// One BERT layer with random weights, target written inline.
// RUN: %python %mho_src/models/gen_transformer_ir.py bert --layers 1 --hidden 64 --heads 2 --ffn 128 --seq 8 --weights random -o %t/bert.mlir
// RUN: mho-opt %t/bert.mlir --cim-compile="target='#cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 9, mvm_units = 12, cores = 2, tiles = 4, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>'" -o %t/bert.xbar.mlir
// RUN: FileCheck %s --check-prefix=BERT < %t/bert.xbar.mlir
// RUN: mho-translate --xbar-to-image %t/bert.xbar.mlir -o %t/bert.mhoimg
// RUN: mho-translate --image-to-xbar %t/bert.mhoimg | FileCheck %s --check-prefix=IMAGE
// BERT: module attributes {torch.debug_module_name = "BertEncoder"} {
// BERT-NEXT: xbar.program #xbar.unit_config<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, slices = 4, encoding = offset, input_bits = 8, dac_bits = 1, planes = 8, adc_bits = 9, adc_shift = 0, acc_bits = 32, mvm_units = 12, spad_bytes = 27648, tbuf_bytes = 131072, dram_bytes = 4294967296, chips = 1, tiles = 4, cores = 2> {
// BERT-NEXT: xbar.weight_block @w0 : tensor<64x64xi8> = dense<"0x
// BERT-NEXT: xbar.weight_block @w1 : tensor<64x64xi8> = dense<"0x
// BERT-NEXT: xbar.weight_block @w2 : tensor<64x64xi8> = dense<"0x
// BERT-NEXT: xbar.weight_block @w3 : tensor<64x64xi8> = dense<"0x
// BERT-NEXT: xbar.weight_block @w4 : tensor<64x128xi8> = dense<"0x
// BERT-NEXT: xbar.weight_block @w5 : tensor<128x64xi8> = dense<"0x
// BERT-NEXT: xbar.symbol @input0 input : tensor<1x8x64xf32> at dram[0x0]
// BERT: xbar.symbol @output0 output : tensor<1x8x64xf32>
// BERT: xbar.dram_init
// BERT: xbar.core at <0, 0, 0> {
// BERT-NEXT: xbar.wprog unit 0 @w0
// BERT-NEXT: xbar.wprog unit 1 @w2
// BERT-NEXT: xbar.wprog unit 2 @w4
// BERT: xbar.vec quant f32 to i8
// BERT: xbar.mvm unit 0
// BERT: xbar.vec dequant i32 to f32
// BERT: xbar.dmm f32
// BERT: xbar.vec erf f32
// BERT: xbar.halt
// BERT: xbar.core at <0, 0, 1> {
// BERT-NEXT: xbar.wprog unit 0 @w1
// BERT-NEXT: xbar.wprog unit 1 @w3
// BERT-NEXT: xbar.wprog unit 2 @w5
// IMAGE: xbar.program
// IMAGE-COUNT-6: xbar.weight_block
// IMAGE: xbar.core at <0, 0, 0>

// The target from an architecture file (cim-set-target), and the same layer
// when the chip has one MVM unit: six reprogramming rounds on one core.
// RUN: mho-opt %t/bert.mlir --cim-compile="arch=%mho_src/hw/arch/default.yaml" | FileCheck %s --check-prefix=ARCH
// ARCH: xbar.program #xbar.unit_config<rows = 128, cols = 128, {{.*}}, mvm_units = 12, {{.*}}, tiles = 256, cores = 2> {
// RUN: mho-opt %t/bert.mlir --cim-compile="target='#cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 9, mvm_units = 1, cores = 1, tiles = 1, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>' overflow=reprogram" 2>/dev/null | FileCheck %s --check-prefix=ROUNDS
// ROUNDS: xbar.core at <0, 0, 0> {
// ROUNDS-NEXT: xbar.wprog unit 0 @w0
// ROUNDS: xbar.mvm unit 0
// ROUNDS: xbar.wprog unit 0 @w1
// ROUNDS: xbar.mvm unit 0
// ROUNDS: xbar.wprog unit 0 @w2
// ROUNDS: xbar.wprog unit 0 @w3
// ROUNDS: xbar.wprog unit 0 @w4
// ROUNDS: xbar.wprog unit 0 @w5
// ROUNDS-NOT: xbar.wprog

// BERT-base with elided weights (shape only): 12 layers x 432 blocks of
// 128 x 128 on the default architecture; the image is written too (its
// weight blocks shape-only).
// RUN: %python %mho_src/models/gen_transformer_ir.py bert -o %t/bert-base.mlir
// RUN: mho-opt %t/bert-base.mlir --cim-compile="arch=%mho_src/hw/arch/default.yaml" -o %t/bert-base.xbar.mlir
// RUN: grep -c "xbar.weight_block @w.* = dense_resource<" %t/bert-base.xbar.mlir | FileCheck %s --check-prefix=BLOCKS
// RUN: mho-translate --xbar-to-image %t/bert-base.xbar.mlir -o %t/bert-base.mhoimg
// BLOCKS: 5184

// A Llama-style TOSA layer (weights as arguments, bound shape-only; RoPE as
// slices, negation and concat; RMSNorm; SwiGLU).
// RUN: %python %mho_src/models/gen_transformer_ir.py llama --hidden 32 --heads 4 --kv-heads 2 --ffn 64 --seq 8 \
// RUN:   | mho-opt --cim-compile="tosa=true weight-arguments=1,2,3,4,5,6,7,8,9 bind-arguments=elided target='#cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 9, mvm_units = 12, cores = 2, tiles = 4, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>'" \
// RUN:   | FileCheck %s --check-prefix=LLAMA
// LLAMA: xbar.program
// LLAMA: xbar.weight_block @w0 : tensor<32x32xi8> = dense_resource<
// LLAMA: xbar.symbol @input0 input : tensor<1x8x32xf32>
// LLAMA-DAG: xbar.vec rsqrt f32
// LLAMA-DAG: xbar.vec neg f32
// LLAMA-DAG: xbar.vec exp f32
// LLAMA-DAG: xbar.vec recip f32
// LLAMA-DAG: xbar.dmm f32

// A target option that is not a #cim.target.
// RUN: not mho-opt %t/bert.mlir --cim-compile="target='1 : i32'" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: cim-compile: target='1 : i32' is not a #cim.target attribute
