// Every cim op and attribute round-trips through the custom form, the generic
// form and bytecode.
// RUN: mho-opt %s | mho-opt | FileCheck %s
// RUN: mho-opt %s --mlir-print-op-generic | mho-opt | FileCheck %s
// RUN: mho-opt %s --emit-bytecode | mho-opt | FileCheck %s

// CHECK-LABEL: func.func @attributes
// CHECK-SAME: cim.binary_fn = #cim.binary_fn<max>
// CHECK-SAME: cim.differential = #cim.encoding<differential>
// CHECK-SAME: cim.offset = #cim.encoding<offset>
// CHECK-SAME: cim.place = #cim.place<chip = 1, tile = 2, core = 3, unit = 4>
// CHECK-SAME: cim.place_round = #cim.place<chip = 0, tile = 0, core = 0, unit = 0, round = 2>
// CHECK-SAME: cim.quant = #cim.quant<bits = 4, scale = 2.500000e-01 : f32, zero_point = -3>
// CHECK-SAME: cim.reduce_kind = #cim.reduce_kind<sum>
// CHECK-SAME: cim.slicing = #cim.slicing<weight_bits = 4, cell_bits = 1, slices = 3, input_bits = 6, dac_bits = 4, planes = 2, encoding = differential>
// CHECK-SAME: cim.unary_fn = #cim.unary_fn<gelu_tanh>
func.func @attributes() attributes {
  cim.offset = #cim.encoding<offset>,
  cim.differential = #cim.encoding<differential>,
  cim.quant = #cim.quant<zero_point = -3, bits = 4, scale = 0.25 : f32>,
  cim.slicing = #cim.slicing<weight_bits = 4, cell_bits = 1, slices = 3, input_bits = 6, dac_bits = 4, planes = 2, encoding = differential>,
  cim.unary_fn = #cim.unary_fn<gelu_tanh>,
  cim.binary_fn = #cim.binary_fn<max>,
  cim.reduce_kind = #cim.reduce_kind<sum>,
  cim.place = #cim.place<unit = 4, core = 3, tile = 2, chip = 1>,
  cim.place_round = #cim.place<chip = 0, tile = 0, core = 0, unit = 0, round = 2>} {
  return
}

// The module's target, parameters in any order.
// CHECK-LABEL: module @target
// CHECK-SAME: cim.target = #cim.target<rows = 128, cols = 64, weight_bits = 8, cell_bits = 2, encoding = differential, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>
module @target attributes {cim.target = #cim.target<dmu = true, cols = 64, rows = 128, weight_bits = 8, cell_bits = 2, encoding = differential, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072>} {
}

// CHECK-LABEL: func.func @linear
func.func @linear(%x: tensor<2x8x64xf32>, %xd: tensor<?x64xf32>, %w: tensor<64x32xf32>, %b: tensor<32xf32>) -> (tensor<2x8x32xf32>, tensor<?x32xf32>) {
  // CHECK: cim.linear %{{.*}}, %{{.*}} bias %{{.*}} : tensor<2x8x64xf32>, tensor<64x32xf32>, tensor<32xf32> -> tensor<2x8x32xf32>
  %0 = cim.linear %x, %w bias %b : tensor<2x8x64xf32>, tensor<64x32xf32>, tensor<32xf32> -> tensor<2x8x32xf32>
  // CHECK: cim.linear %{{.*}}, %{{.*}} : tensor<?x64xf32>, tensor<64x32xf32> -> tensor<?x32xf32>
  %1 = cim.linear %xd, %w : tensor<?x64xf32>, tensor<64x32xf32> -> tensor<?x32xf32>
  return %0, %1 : tensor<2x8x32xf32>, tensor<?x32xf32>
}

// CHECK-LABEL: func.func @quantization
func.func @quantization(%x: tensor<4x64xf32>, %acc: tensor<2x4x32xi32>, %s: tensor<32xf32>, %o: tensor<32xi32>) -> (tensor<4x64xf32>, tensor<2x4x32xf32>, tensor<2x4x32xf32>) {
  // CHECK: %[[Q:.*]] = cim.quantize %{{.*}} {quant = #cim.quant<bits = 8, scale = 5.000000e-02 : f32>} : tensor<4x64xf32> -> tensor<4x64xi8>
  %q = cim.quantize %x {quant = #cim.quant<bits = 8, scale = 0.05 : f32, zero_point = 0>} : tensor<4x64xf32> -> tensor<4x64xi8>
  // CHECK: cim.dequantize %[[Q]] {quant = #cim.quant<bits = 8, scale = 5.000000e-02 : f32>} : tensor<4x64xi8> -> tensor<4x64xf32>
  %d = cim.dequantize %q {quant = #cim.quant<bits = 8, scale = 0.05 : f32>} : tensor<4x64xi8> -> tensor<4x64xf32>
  // CHECK: cim.dequantize_acc %{{.*}} scales(%{{.*}} : tensor<32xf32>) {input_scale = 5.000000e-02 : f32} : tensor<2x4x32xi32> -> tensor<2x4x32xf32>
  %y = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) {input_scale = 0.05 : f32} : tensor<2x4x32xi32> -> tensor<2x4x32xf32>
  // CHECK: cim.dequantize_acc %{{.*}} scales(%{{.*}} : tensor<32xf32>) offsets(%{{.*}} : tensor<32xi32>) {input_scale = 1.250000e-01 : f32} : tensor<2x4x32xi32> -> tensor<2x4x32xf32>
  %z = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi32>) {input_scale = 0.125 : f32} : tensor<2x4x32xi32> -> tensor<2x4x32xf32>
  return %d, %y, %z : tensor<4x64xf32>, tensor<2x4x32xf32>, tensor<2x4x32xf32>
}

// CHECK-LABEL: func.func @dynamic_quantization
func.func @dynamic_quantization(%x: tensor<2x4x64xf32>, %xd: tensor<?x64xf32>, %acc: tensor<2x4x32xi32>, %s: tensor<32xf32>, %o: tensor<32xi32>) -> (tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<?x64xi6>, tensor<?x1xf32>) {
  // CHECK: %[[Q:.*]], %[[S:.*]] = cim.quantize_dynamic %{{.*}} {bits = 8 : i64} : tensor<2x4x64xf32> -> tensor<2x4x64xi8>, tensor<2x4x1xf32>
  %q, %r = cim.quantize_dynamic %x {bits = 8} : tensor<2x4x64xf32> -> tensor<2x4x64xi8>, tensor<2x4x1xf32>
  // CHECK: cim.quantize_dynamic %{{.*}} {bits = 6 : i64} : tensor<?x64xf32> -> tensor<?x64xi6>, tensor<?x1xf32>
  %qd, %rd = cim.quantize_dynamic %xd {bits = 6} : tensor<?x64xf32> -> tensor<?x64xi6>, tensor<?x1xf32>
  // CHECK: cim.dequantize_acc %{{.*}} scales(%{{.*}} : tensor<32xf32>) input_scales(%[[S]] : tensor<2x4x1xf32>) : tensor<2x4x32xi32> -> tensor<2x4x32xf32>
  %y = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) input_scales(%r : tensor<2x4x1xf32>) : tensor<2x4x32xi32> -> tensor<2x4x32xf32>
  // CHECK: cim.dequantize_acc %{{.*}} scales(%{{.*}} : tensor<32xf32>) offsets(%{{.*}} : tensor<32xi32>) input_scales(%[[S]] : tensor<2x4x1xf32>) : tensor<2x4x32xi32> -> tensor<2x4x32xf32>
  %z = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) offsets(%o : tensor<32xi32>) input_scales(%r : tensor<2x4x1xf32>) : tensor<2x4x32xi32> -> tensor<2x4x32xf32>
  return %y, %z, %qd, %rd : tensor<2x4x32xf32>, tensor<2x4x32xf32>, tensor<?x64xi6>, tensor<?x1xf32>
}

// CHECK-LABEL: func.func @mvm
func.func @mvm(%x: tensor<4x256xi8>, %xb: tensor<2x?x256xi8>, %w: tensor<256x64xi8>, %w4: tensor<256x64xi4>, %blk: tensor<128x64xi8>, %acc: tensor<4x64xi32>) -> (tensor<4x64xi32>, tensor<2x?x64xi32>, tensor<4x64xi32>) {
  // CHECK: cim.mvm %{{.*}}, %{{.*}} {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x256xi8>, tensor<256x64xi8> -> tensor<4x64xi32>
  %0 = cim.mvm %x, %w {slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x256xi8>, tensor<256x64xi8> -> tensor<4x64xi32>
  // Differential 4-bit weights store 3 magnitude bits.
  // CHECK: cim.mvm %{{.*}}, %{{.*}} {slicing = #cim.slicing<weight_bits = 4, cell_bits = 3, slices = 1, input_bits = 8, dac_bits = 2, planes = 4, encoding = differential>} : tensor<2x?x256xi8>, tensor<256x64xi4> -> tensor<2x?x64xi32>
  %1 = cim.mvm %xb, %w4 {slicing = #cim.slicing<weight_bits = 4, cell_bits = 3, slices = 1, input_bits = 8, dac_bits = 2, planes = 4, encoding = differential>} : tensor<2x?x256xi8>, tensor<256x64xi4> -> tensor<2x?x64xi32>
  // CHECK: cim.mvm_tile %{{.*}}[128], %{{.*}}, %{{.*}} {cols = 64 : i64, rows = 128 : i64, slicing = #cim.slicing<{{.*}}>} : tensor<4x256xi8>, tensor<128x64xi8> -> tensor<4x64xi32>
  %2 = cim.mvm_tile %x[128], %blk, %acc {rows = 128, cols = 64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x256xi8>, tensor<128x64xi8> -> tensor<4x64xi32>
  // CHECK: cim.mvm_tile %{{.*}}[0], %{{.*}}, %{{.*}} {cols = 64 : i64, place = #cim.place<chip = 0, tile = 1, core = 0, unit = 2, round = 1>, rows = 128 : i64, slicing = #cim.slicing<{{.*}}>} : tensor<4x256xi8>, tensor<128x64xi8> -> tensor<4x64xi32>
  %3 = cim.mvm_tile %x[0], %blk, %2 {rows = 128, cols = 64, place = #cim.place<chip = 0, tile = 1, core = 0, unit = 2, round = 1>, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<4x256xi8>, tensor<128x64xi8> -> tensor<4x64xi32>
  return %0, %1, %3 : tensor<4x64xi32>, tensor<2x?x64xi32>, tensor<4x64xi32>
}

// CHECK-LABEL: func.func @dmm
func.func @dmm(%q: tensor<2x8x16xf32>, %k: tensor<2x8x16xf32>, %p: tensor<2x8x8xf32>, %a: tensor<4x16xi8>, %b: tensor<16x8xi8>) -> (tensor<2x8x8xf32>, tensor<2x8x16xf32>, tensor<4x8xi32>) {
  // CHECK: cim.dmm %{{.*}}, %{{.*}} {transpose_b} : tensor<2x8x16xf32>, tensor<2x8x16xf32> -> tensor<2x8x8xf32>
  %s = cim.dmm %q, %k {transpose_b} : tensor<2x8x16xf32>, tensor<2x8x16xf32> -> tensor<2x8x8xf32>
  // CHECK: cim.dmm %{{.*}}, %{{.*}} : tensor<2x8x8xf32>, tensor<2x8x16xf32> -> tensor<2x8x16xf32>
  %o = cim.dmm %p, %k : tensor<2x8x8xf32>, tensor<2x8x16xf32> -> tensor<2x8x16xf32>
  // CHECK: cim.dmm %{{.*}}, %{{.*}} : tensor<4x16xi8>, tensor<16x8xi8> -> tensor<4x8xi32>
  %i = cim.dmm %a, %b : tensor<4x16xi8>, tensor<16x8xi8> -> tensor<4x8xi32>
  return %s, %o, %i : tensor<2x8x8xf32>, tensor<2x8x16xf32>, tensor<4x8xi32>
}

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  // CHECK: cim.unary <exp> %{{.*}} : tensor<4x?xf32>
  // CHECK: cim.unary <rsqrt>
  // CHECK: cim.unary <sqrt>
  // CHECK: cim.unary <recip>
  // CHECK: cim.unary <erf>
  // CHECK: cim.unary <tanh>
  // CHECK: cim.unary <sigmoid>
  // CHECK: cim.unary <gelu>
  // CHECK: cim.unary <gelu_tanh>
  // CHECK: cim.unary <silu>
  // CHECK: cim.unary <relu>
  // CHECK: cim.unary <neg>
  // CHECK: cim.unary <abs>
  %0 = cim.unary <exp> %x : tensor<4x?xf32>
  %1 = cim.unary <rsqrt> %0 : tensor<4x?xf32>
  %2 = cim.unary <sqrt> %1 : tensor<4x?xf32>
  %3 = cim.unary <recip> %2 : tensor<4x?xf32>
  %4 = cim.unary <erf> %3 : tensor<4x?xf32>
  %5 = cim.unary <tanh> %4 : tensor<4x?xf32>
  %6 = cim.unary <sigmoid> %5 : tensor<4x?xf32>
  %7 = cim.unary <gelu> %6 : tensor<4x?xf32>
  %8 = cim.unary <gelu_tanh> %7 : tensor<4x?xf32>
  %9 = cim.unary <silu> %8 : tensor<4x?xf32>
  %10 = cim.unary <relu> %9 : tensor<4x?xf32>
  %11 = cim.unary <neg> %10 : tensor<4x?xf32>
  %12 = cim.unary <abs> %11 : tensor<4x?xf32>
  return %12 : tensor<4x?xf32>
}

// CHECK-LABEL: func.func @binary
func.func @binary(%x: tensor<4x64xf32>, %row: tensor<64xf32>, %col: tensor<4x1xf32>, %p: tensor<4x64xi32>, %q: tensor<1x64xi32>, %d: tensor<?x64xf32>) -> (tensor<4x64xf32>, tensor<4x64xi32>, tensor<?x64xf32>) {
  // CHECK: cim.binary <add> %{{.*}}, %{{.*}} : tensor<4x64xf32>, tensor<64xf32> -> tensor<4x64xf32>
  // CHECK: cim.binary <sub> %{{.*}}, %{{.*}} : tensor<4x64xf32>, tensor<4x1xf32> -> tensor<4x64xf32>
  // CHECK: cim.binary <mul> %{{.*}}, %{{.*}} : tensor<4x1xf32>, tensor<64xf32> -> tensor<4x64xf32>
  // CHECK: cim.binary <div>
  // CHECK: cim.binary <max>
  // CHECK: cim.binary <min>
  // CHECK: cim.binary <add> %{{.*}}, %{{.*}} : tensor<4x64xi32>, tensor<1x64xi32> -> tensor<4x64xi32>
  // CHECK: cim.binary <max> %{{.*}}, %{{.*}} : tensor<?x64xf32>, tensor<64xf32> -> tensor<?x64xf32>
  %0 = cim.binary <add> %x, %row : tensor<4x64xf32>, tensor<64xf32> -> tensor<4x64xf32>
  %1 = cim.binary <sub> %0, %col : tensor<4x64xf32>, tensor<4x1xf32> -> tensor<4x64xf32>
  %2 = cim.binary <mul> %col, %row : tensor<4x1xf32>, tensor<64xf32> -> tensor<4x64xf32>
  %3 = cim.binary <div> %1, %2 : tensor<4x64xf32>, tensor<4x64xf32> -> tensor<4x64xf32>
  %4 = cim.binary <max> %3, %x : tensor<4x64xf32>, tensor<4x64xf32> -> tensor<4x64xf32>
  %5 = cim.binary <min> %4, %x : tensor<4x64xf32>, tensor<4x64xf32> -> tensor<4x64xf32>
  %6 = cim.binary <add> %p, %q : tensor<4x64xi32>, tensor<1x64xi32> -> tensor<4x64xi32>
  %7 = cim.binary <max> %d, %row : tensor<?x64xf32>, tensor<64xf32> -> tensor<?x64xf32>
  return %5, %6, %7 : tensor<4x64xf32>, tensor<4x64xi32>, tensor<?x64xf32>
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x8x64xf32>, %i: tensor<4x64xi32>) -> (tensor<2x8x1xf32>, tensor<2x64xf32>, tensor<4xi32>, tensor<2x8x64xf32>) {
  // CHECK: cim.reduce <max> %{{.*}} {axis = 2 : i64, keep_dims} : tensor<2x8x64xf32> -> tensor<2x8x1xf32>
  %0 = cim.reduce <max> %x {axis = 2, keep_dims} : tensor<2x8x64xf32> -> tensor<2x8x1xf32>
  // CHECK: cim.reduce <sum> %{{.*}} {axis = 1 : i64} : tensor<2x8x64xf32> -> tensor<2x64xf32>
  %1 = cim.reduce <sum> %x {axis = 1} : tensor<2x8x64xf32> -> tensor<2x64xf32>
  // CHECK: cim.reduce <min> %{{.*}} {axis = 1 : i64} : tensor<4x64xi32> -> tensor<4xi32>
  %2 = cim.reduce <min> %i {axis = 1} : tensor<4x64xi32> -> tensor<4xi32>
  // CHECK: cim.softmax %{{.*}} {axis = 2 : i64} : tensor<2x8x64xf32>
  %3 = cim.softmax %x {axis = 2} : tensor<2x8x64xf32>
  return %0, %1, %2, %3 : tensor<2x8x1xf32>, tensor<2x64xf32>, tensor<4xi32>, tensor<2x8x64xf32>
}

// CHECK-LABEL: func.func @normalization
func.func @normalization(%x: tensor<?x8x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>, %g2: tensor<8x64xf32>, %b2: tensor<8x64xf32>) -> (tensor<?x8x64xf32>, tensor<?x8x64xf32>, tensor<?x8x64xf32>) {
  // CHECK: cim.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = 2 : i64, epsilon = 9.99999974E-6 : f32} : tensor<?x8x64xf32>, tensor<64xf32>
  %0 = cim.layer_norm %x, %g, %b {axis = 2, epsilon = 1.0e-5 : f32} : tensor<?x8x64xf32>, tensor<64xf32>
  // CHECK: cim.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, epsilon = 0.000000e+00 : f32} : tensor<?x8x64xf32>, tensor<8x64xf32>
  %1 = cim.layer_norm %x, %g2, %b2 {axis = 1, epsilon = 0.0 : f32} : tensor<?x8x64xf32>, tensor<8x64xf32>
  // CHECK: cim.rms_norm %{{.*}}, %{{.*}} {epsilon = 9.99999997E-7 : f32} : tensor<?x8x64xf32>, tensor<64xf32>
  %2 = cim.rms_norm %x, %g {epsilon = 1.0e-6 : f32} : tensor<?x8x64xf32>, tensor<64xf32>
  return %0, %1, %2 : tensor<?x8x64xf32>, tensor<?x8x64xf32>, tensor<?x8x64xf32>
}

// CHECK-LABEL: func.func @rope
func.func @rope(%q: tensor<2x4x8x16xf32>, %cos: tensor<8x16xf32>, %sin: tensor<8x16xf32>, %cb: tensor<2x1x8x16xf32>) -> (tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>) {
  // CHECK: cim.rope %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x4x8x16xf32>, tensor<8x16xf32>
  %0 = cim.rope %q, %cos, %sin : tensor<2x4x8x16xf32>, tensor<8x16xf32>
  // CHECK: cim.rope %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x4x8x16xf32>, tensor<2x1x8x16xf32>
  %1 = cim.rope %q, %cb, %cb : tensor<2x4x8x16xf32>, tensor<2x1x8x16xf32>
  return %0, %1 : tensor<2x4x8x16xf32>, tensor<2x4x8x16xf32>
}

// A mixture-of-experts FFN: top-2 of 4 experts, softmax over the chosen
// logits, SwiGLU experts, weighted combination.
// CHECK-LABEL: func.func @moe
func.func @moe(%x: tensor<8x64xf32>, %router: tensor<64x4xf32>, %wg: tensor<4x64x128xf32>, %wu: tensor<4x64x128xf32>, %wd: tensor<4x128x64xf32>, %bd: tensor<4x64xf32>) -> tensor<8x64xf32> {
  %logits = cim.linear %x, %router : tensor<8x64xf32>, tensor<64x4xf32> -> tensor<8x4xf32>
  // CHECK: %[[V:.*]], %[[I:.*]] = cim.topk %{{.*}} {k = 2 : i64} : tensor<8x4xf32> -> tensor<8x2xf32>, tensor<8x2xi32>
  %v, %i = cim.topk %logits {k = 2} : tensor<8x4xf32> -> tensor<8x2xf32>, tensor<8x2xi32>
  %p = cim.softmax %v {axis = 1} : tensor<8x2xf32>
  // CHECK: cim.moe_linear %{{.*}}, %{{.*}}, %[[I]] : tensor<8x64xf32>, tensor<4x64x128xf32>, tensor<8x2xi32> -> tensor<8x2x128xf32>
  %g = cim.moe_linear %x, %wg, %i : tensor<8x64xf32>, tensor<4x64x128xf32>, tensor<8x2xi32> -> tensor<8x2x128xf32>
  %u = cim.moe_linear %x, %wu, %i : tensor<8x64xf32>, tensor<4x64x128xf32>, tensor<8x2xi32> -> tensor<8x2x128xf32>
  %s = cim.unary <silu> %g : tensor<8x2x128xf32>
  %h = cim.binary <mul> %s, %u : tensor<8x2x128xf32>, tensor<8x2x128xf32> -> tensor<8x2x128xf32>
  // CHECK: cim.moe_linear %{{.*}}, %{{.*}}, %[[I]] bias %{{.*}} : tensor<8x2x128xf32>, tensor<4x128x64xf32>, tensor<8x2xi32>, tensor<4x64xf32> -> tensor<8x2x64xf32>
  %d = cim.moe_linear %h, %wd, %i bias %bd : tensor<8x2x128xf32>, tensor<4x128x64xf32>, tensor<8x2xi32>, tensor<4x64xf32> -> tensor<8x2x64xf32>
  // CHECK: cim.moe_combine %{{.*}}, %{{.*}} : tensor<8x2x64xf32>, tensor<8x2xf32> -> tensor<8x64xf32>
  %y = cim.moe_combine %d, %p : tensor<8x2x64xf32>, tensor<8x2xf32> -> tensor<8x64xf32>
  return %y : tensor<8x64xf32>
}

// CHECK-LABEL: func.func @moe_quantized
func.func @moe_quantized(%q: tensor<8x64xi8>, %s: tensor<8x1xf32>, %w: tensor<4x64x160xi8>, %ws: tensor<4x160xf32>, %i: tensor<8x2xi32>) -> tensor<8x2x160xf32> {
  // CHECK: %[[L:.*]], %[[C:.*]] = cim.moe_dispatch %{{.*}} {experts = 4 : i64} : tensor<8x2xi32> -> tensor<4x16xi32>, tensor<4xi32>
  %l, %c = cim.moe_dispatch %i {experts = 4 : i64} : tensor<8x2xi32> -> tensor<4x16xi32>, tensor<4xi32>
  // CHECK: cim.moe_mvm %{{.*}} scales(%{{.*}}), %{{.*}} scales(%{{.*}}), %[[L]], %[[C]] {cols = 128 : i64, places = [#cim.place<chip = 0, tile = 0, core = 0, unit = 0>{{.*}}], rows = 128 : i64, slicing = #cim.slicing<{{.*}}>} : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x160xi8>, tensor<4x160xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x160xf32>
  %y = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64,
      slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>,
      places = [#cim.place<chip = 0, tile = 0, core = 0, unit = 0>, #cim.place<chip = 0, tile = 0, core = 0, unit = 1>,
                #cim.place<chip = 0, tile = 0, core = 1, unit = 0>, #cim.place<chip = 0, tile = 0, core = 1, unit = 1>,
                #cim.place<chip = 0, tile = 1, core = 0, unit = 0>, #cim.place<chip = 0, tile = 1, core = 0, unit = 1>,
                #cim.place<chip = 0, tile = 1, core = 1, unit = 0>, #cim.place<chip = 0, tile = 1, core = 1, unit = 1>]}
      : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x160xi8>, tensor<4x160xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x160xf32>
  return %y : tensor<8x2x160xf32>
}
