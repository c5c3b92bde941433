// Every diagnostic of the cim dialect's attribute and op verifiers.
// RUN: mho-opt %s --split-input-file --verify-diagnostics

//===----------------------------------------------------------------------===//
// #cim.quant
//===----------------------------------------------------------------------===//

// expected-error @+1 {{quantization bits must be in [2, 16], got 1}}
func.func @quant_bits() attributes {q = #cim.quant<bits = 1, scale = 1.0 : f32>}

// -----

// expected-error @+1 {{quantization scale must be an f32 value, got 5.000000e-02 : f64}}
func.func @quant_scale_type() attributes {q = #cim.quant<bits = 8, scale = 0.05>}

// -----

// expected-error @+1 {{quantization scale must be finite and greater than zero, got -5.000000e-01}}
func.func @quant_scale_negative() attributes {q = #cim.quant<bits = 8, scale = -0.5 : f32>}

// -----

// expected-error @+1 {{quantization scale must be finite and greater than zero, got 0.000000e+00}}
func.func @quant_scale_zero() attributes {q = #cim.quant<bits = 8, scale = 0.0 : f32>}

// -----

// expected-error @+1 {{zero point 128 is outside the 8-bit range [-128, 127]}}
func.func @quant_zero_point() attributes {q = #cim.quant<bits = 8, scale = 1.0 : f32, zero_point = 128>}

// -----

// The ISA multiplies by the f32 reciprocal of the scale.
// expected-error @+1 {{quantization scale 9.999946e-41 has no finite f32 reciprocal}}
func.func @quant_scale_reciprocal() attributes {q = #cim.quant<bits = 8, scale = 1.0e-40 : f32>}

// -----

//===----------------------------------------------------------------------===//
// #cim.slicing
//===----------------------------------------------------------------------===//

// expected-error @+1 {{weight_bits must be in [2, 16], got 17}}
func.func @slicing_weight_bits() attributes {s = #cim.slicing<weight_bits = 17, cell_bits = 2, slices = 9, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>}

// -----

// expected-error @+1 {{input_bits must be in [2, 16], got 1}}
func.func @slicing_input_bits() attributes {s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 1, dac_bits = 1, planes = 1, encoding = offset>}

// -----

// expected-error @+1 {{cell_bits must be in [1, 8], got 0}}
func.func @slicing_cell_bits() attributes {s = #cim.slicing<weight_bits = 8, cell_bits = 0, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>}

// -----

// expected-error @+1 {{dac_bits must be in [1, 8], got 9}}
func.func @slicing_dac_bits() attributes {s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 16, dac_bits = 9, planes = 2, encoding = offset>}

// -----

// expected-error @+1 {{slices * cell_bits = 3 * 2 cannot hold the 8 stored bits of a 8-bit offset-encoded weight}}
func.func @slicing_too_few_slices() attributes {s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 3, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>}

// -----

// Differential encoding stores the 7 magnitude bits of an 8-bit weight, so 8
// 1-bit slices are one too many.
// expected-error @+1 {{slices = 8 exceeds the 7 needed for 7 stored bits in 1-bit cells}}
func.func @slicing_too_many_slices() attributes {s = #cim.slicing<weight_bits = 8, cell_bits = 1, slices = 8, input_bits = 8, dac_bits = 1, planes = 8, encoding = differential>}

// -----

// expected-error @+1 {{planes * dac_bits = 3 * 2 cannot stream a 8-bit input}}
func.func @slicing_too_few_planes() attributes {s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 2, planes = 3, encoding = offset>}

// -----

// expected-error @+1 {{planes = 3 exceeds the 2 needed for 8-bit inputs through 4-bit DACs}}
func.func @slicing_too_many_planes() attributes {s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 4, planes = 3, encoding = offset>}

// -----

// expected-error @+2 {{expected ::mho::cim::Encoding to be one of: offset, differential}}
// expected-error @+1 {{failed to parse CIM_SlicingAttr parameter 'encoding' which is to be a `::mho::cim::Encoding`}}
func.func @slicing_encoding() attributes {s = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = twos>}

// -----

//===----------------------------------------------------------------------===//
// cim.linear
//===----------------------------------------------------------------------===//

func.func @linear_weight_rank(%x: tensor<4x8xf32>, %w: tensor<1x8x16xf32>) {
  // expected-error @+1 {{'cim.linear' op weight must be a statically shaped K x N matrix, got 'tensor<1x8x16xf32>'}}
  %0 = cim.linear %x, %w : tensor<4x8xf32>, tensor<1x8x16xf32> -> tensor<4x16xf32>
  return
}

// -----

func.func @linear_weight_dynamic(%x: tensor<4x8xf32>, %w: tensor<8x?xf32>) {
  // expected-error @+1 {{'cim.linear' op weight must be a statically shaped K x N matrix, got 'tensor<8x?xf32>'}}
  %0 = cim.linear %x, %w : tensor<4x8xf32>, tensor<8x?xf32> -> tensor<4x16xf32>
  return
}

// -----

func.func @linear_scalar_input(%x: tensor<f32>, %w: tensor<8x16xf32>) {
  // expected-error @+1 {{'cim.linear' op input must have at least one dimension}}
  %0 = cim.linear %x, %w : tensor<f32>, tensor<8x16xf32> -> tensor<16xf32>
  return
}

// -----

func.func @linear_k(%x: tensor<4x8xf32>, %w: tensor<16x16xf32>) {
  // expected-error @+1 {{'cim.linear' op input's last dimension (K = 8) does not match the weight's K = 16}}
  %0 = cim.linear %x, %w : tensor<4x8xf32>, tensor<16x16xf32> -> tensor<4x16xf32>
  return
}

// -----

func.func @linear_bias(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'cim.linear' op bias must have shape N = 16, got 'tensor<8xf32>'}}
  %0 = cim.linear %x, %w bias %b : tensor<4x8xf32>, tensor<8x16xf32>, tensor<8xf32> -> tensor<4x16xf32>
  return
}

// -----

func.func @linear_result(%x: tensor<2x4x8xf32>, %w: tensor<8x16xf32>) {
  // expected-error @+1 {{'cim.linear' op result type 'tensor<8x16xf32>' does not match the expected 'tensor<2x4x16xf32>'}}
  %0 = cim.linear %x, %w : tensor<2x4x8xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @linear_element_type(%x: tensor<4x8xi8>, %w: tensor<8x16xf32>) {
  // expected-error @+1 {{'cim.linear' op operand #0 must be ranked tensor of 32-bit float values}}
  %0 = cim.linear %x, %w : tensor<4x8xi8>, tensor<8x16xf32> -> tensor<4x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// #cim.target, #cim.place and the module attributes
//===----------------------------------------------------------------------===//

// expected-error @+1 {{target rows must be in [1, 65535], got 0}}
func.func @target_rows() attributes {t = #cim.target<rows = 0, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target cols must be in [1, 65535], got 65536}}
func.func @target_cols() attributes {t = #cim.target<rows = 128, cols = 65536, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target weight_bits must be in [2, 16], got 1}}
func.func @target_weight_bits() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 1, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target cell_bits must be in [1, 8], got 9}}
func.func @target_cell_bits() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 9, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target input_bits must be in [2, 8], got 16}}
func.func @target_input_bits() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 16, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target dac_bits must be in [1, 8], got 0}}
func.func @target_dac_bits() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 0, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target adc_bits must be in [1, 32], got 33}}
func.func @target_adc_bits() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 33, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target mvm_units must be in [1, 255], got 256}}
func.func @target_mvm_units() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 256, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target cores must be in [1, 65535], got 0}}
func.func @target_cores() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 0, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target tiles must be in [1, 65535], got -1}}
func.func @target_tiles() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = -1, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target chips must be in [1, 65535], got 0}}
func.func @target_chips() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 0, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target spad_bytes must be in [1, 4294967295], got 4294967296}}
func.func @target_spad_bytes() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 4294967296, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target tbuf_bytes must be in [1, 4294967295], got 0}}
func.func @target_tbuf_bytes() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 0, dmu = true>}

// -----

// expected-error @+1 {{target crossbar: accumulating rows = 1024 products of i8 x i16 can overflow the i32 accumulator}}
func.func @target_overflow() attributes {t = #cim.target<rows = 1024, cols = 128, weight_bits = 16, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 1048576, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{target spad_bytes = 512 cannot hold one input vector (128 bytes) and one output vector (512 bytes)}}
func.func @target_spad() attributes {t = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 512, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{placement coordinates must be non-negative, got chip = 0, tile = -1, core = 0, unit = 0, round = 0}}
func.func @place_negative() attributes {p = #cim.place<chip = 0, tile = -1, core = 0, unit = 0>}

// -----

// expected-error @+1 {{'cim.target' must be a #cim.target attribute, got 128 : i64}}
module attributes {cim.target = 128} {
}

// -----

// expected-error @+1 {{'cim.target' may only be attached to a module}}
func.func @target_on_function() attributes {cim.target = #cim.target<rows = 128, cols = 128, weight_bits = 8, cell_bits = 2, encoding = offset, input_bits = 8, dac_bits = 1, adc_bits = 8, mvm_units = 12, cores = 2, tiles = 256, chips = 1, spad_bytes = 27648, tbuf_bytes = 131072, dmu = true>}

// -----

// expected-error @+1 {{'cim.placement' must be a dictionary, got "everywhere"}}
module attributes {cim.placement = "everywhere"} {
}

// -----

// expected-error @+1 {{'cim.placement' may only be attached to a module}}
func.func @placement_on_function() attributes {cim.placement = {blocks = 0 : i64}}

// -----

//===----------------------------------------------------------------------===//
// cim.quantize / cim.dequantize / cim.dequantize_acc
//===----------------------------------------------------------------------===//

func.func @quantize_width(%x: tensor<4xf32>) {
  // expected-error @+1 {{'cim.quantize' op result element type 'i4' does not match the quantization's 8 bits}}
  %0 = cim.quantize %x {quant = #cim.quant<bits = 8, scale = 1.0 : f32>} : tensor<4xf32> -> tensor<4xi4>
  return
}

// -----

func.func @quantize_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'cim.quantize' op requires the same shape for all operands and results}}
  %0 = cim.quantize %x {quant = #cim.quant<bits = 8, scale = 1.0 : f32>} : tensor<4xf32> -> tensor<8xi8>
  return
}

// -----

func.func @dequantize_width(%q: tensor<4xi4>) {
  // expected-error @+1 {{'cim.dequantize' op input element type 'i4' does not match the quantization's 8 bits}}
  %0 = cim.dequantize %q {quant = #cim.quant<bits = 8, scale = 1.0 : f32>} : tensor<4xi4> -> tensor<4xf32>
  return
}

// -----

func.func @quantize_dynamic_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'cim.quantize_dynamic' op input must have at least one dimension}}
  %q, %s = cim.quantize_dynamic %x {bits = 8} : tensor<f32> -> tensor<i8>, tensor<f32>
  return
}

// -----

func.func @quantize_dynamic_bits(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'cim.quantize_dynamic' op bits must be in [2, 16], got 17}}
  %q, %s = cim.quantize_dynamic %x {bits = 17} : tensor<4x8xf32> -> tensor<4x8xi17>, tensor<4x1xf32>
  return
}

// -----

func.func @quantize_dynamic_result(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'cim.quantize_dynamic' op result type 'tensor<4x8xi4>' does not match the expected 'tensor<4x8xi8>'}}
  %q, %s = cim.quantize_dynamic %x {bits = 8} : tensor<4x8xf32> -> tensor<4x8xi4>, tensor<4x1xf32>
  return
}

// -----

func.func @quantize_dynamic_scales(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'cim.quantize_dynamic' op scales type 'tensor<4xf32>' does not match the expected 'tensor<4x1xf32>'}}
  %q, %s = cim.quantize_dynamic %x {bits = 8} : tensor<4x8xf32> -> tensor<4x8xi8>, tensor<4xf32>
  return
}

// -----

func.func @dequantize_acc_both_scales(%acc: tensor<4x32xi32>, %s: tensor<32xf32>, %r: tensor<4x1xf32>) {
  // expected-error @+1 {{'cim.dequantize_acc' op takes either the 'input_scale' attribute or the 'input_scales' operand, not both}}
  %0 = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) input_scales(%r : tensor<4x1xf32>) {input_scale = 1.0 : f32} : tensor<4x32xi32> -> tensor<4x32xf32>
  return
}

// -----

func.func @dequantize_acc_no_scale(%acc: tensor<4x32xi32>, %s: tensor<32xf32>) {
  // expected-error @+1 {{'cim.dequantize_acc' op needs an activation scale: the 'input_scale' attribute or the 'input_scales' operand}}
  %0 = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) : tensor<4x32xi32> -> tensor<4x32xf32>
  return
}

// -----

func.func @dequantize_acc_input_scales(%acc: tensor<2x4x32xi32>, %s: tensor<32xf32>, %r: tensor<4x1xf32>) {
  // expected-error @+1 {{'cim.dequantize_acc' op input_scales must have shape [2, 4, 1] (one scale per row of the input), got 'tensor<4x1xf32>'}}
  %0 = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) input_scales(%r : tensor<4x1xf32>) : tensor<2x4x32xi32> -> tensor<2x4x32xf32>
  return
}

// -----

func.func @dequantize_acc_scalar(%acc: tensor<i32>, %s: tensor<1xf32>) {
  // expected-error @+1 {{'cim.dequantize_acc' op input must have at least one dimension}}
  %0 = cim.dequantize_acc %acc scales(%s : tensor<1xf32>) {input_scale = 1.0 : f32} : tensor<i32> -> tensor<f32>
  return
}

// -----

func.func @dequantize_acc_scales(%acc: tensor<4x32xi32>, %s: tensor<16xf32>) {
  // expected-error @+1 {{'cim.dequantize_acc' op scales must have shape N = 32, got 'tensor<16xf32>'}}
  %0 = cim.dequantize_acc %acc scales(%s : tensor<16xf32>) {input_scale = 1.0 : f32} : tensor<4x32xi32> -> tensor<4x32xf32>
  return
}

// -----

func.func @dequantize_acc_offsets(%acc: tensor<4x32xi32>, %s: tensor<32xf32>, %o: tensor<1x32xi32>) {
  // expected-error @+1 {{'cim.dequantize_acc' op offsets must have shape N = 32, got 'tensor<1x32xi32>'}}
  %0 = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) offsets(%o : tensor<1x32xi32>) {input_scale = 1.0 : f32} : tensor<4x32xi32> -> tensor<4x32xf32>
  return
}

// -----

func.func @dequantize_acc_input_scale(%acc: tensor<4x32xi32>, %s: tensor<32xf32>) {
  // expected-error @+1 {{'cim.dequantize_acc' op input_scale must be finite and greater than zero, got -1.000000e+00}}
  %0 = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) {input_scale = -1.0 : f32} : tensor<4x32xi32> -> tensor<4x32xf32>
  return
}

// -----

func.func @dequantize_acc_result(%acc: tensor<4x32xi32>, %s: tensor<32xf32>) {
  // expected-error @+1 {{'cim.dequantize_acc' op result type 'tensor<32x4xf32>' does not match the expected 'tensor<4x32xf32>'}}
  %0 = cim.dequantize_acc %acc scales(%s : tensor<32xf32>) {input_scale = 1.0 : f32} : tensor<4x32xi32> -> tensor<32x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// cim.mvm / cim.mvm_tile
//===----------------------------------------------------------------------===//

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_k(%x: tensor<4x64xi8>, %w: tensor<32x16xi8>) {
  // expected-error @+1 {{'cim.mvm' op input's last dimension (K = 64) does not match the weight's K = 32}}
  %0 = cim.mvm %x, %w {slicing = #s8} : tensor<4x64xi8>, tensor<32x16xi8> -> tensor<4x16xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_input_bits(%x: tensor<4x64xi4>, %w: tensor<64x16xi8>) {
  // expected-error @+1 {{'cim.mvm' op input element type 'i4' does not match the slicing's input_bits = 8}}
  %0 = cim.mvm %x, %w {slicing = #s8} : tensor<4x64xi4>, tensor<64x16xi8> -> tensor<4x16xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_weight_bits(%x: tensor<4x64xi8>, %w: tensor<64x16xi16>) {
  // expected-error @+1 {{'cim.mvm' op weight element type 'i16' does not match the slicing's weight_bits = 8}}
  %0 = cim.mvm %x, %w {slicing = #s8} : tensor<4x64xi8>, tensor<64x16xi16> -> tensor<4x16xi32>
  return
}

// -----

// 2^15 * 2^15 * 2 = 2^31 does not fit.
#s16 = #cim.slicing<weight_bits = 16, cell_bits = 4, slices = 4, input_bits = 16, dac_bits = 2, planes = 8, encoding = offset>

func.func @mvm_overflow(%x: tensor<4x2xi16>, %w: tensor<2x16xi16>) {
  // expected-error @+1 {{'cim.mvm' op accumulating 2 products of i16 x i16 can overflow i32}}
  %0 = cim.mvm %x, %w {slicing = #s16} : tensor<4x2xi16>, tensor<2x16xi16> -> tensor<4x16xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_result(%x: tensor<4x64xi8>, %w: tensor<64x16xi8>) {
  // expected-error @+1 {{'cim.mvm' op result type 'tensor<4x64xi32>' does not match the expected 'tensor<4x16xi32>'}}
  %0 = cim.mvm %x, %w {slicing = #s8} : tensor<4x64xi8>, tensor<64x16xi8> -> tensor<4x64xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_accumulator_type(%x: tensor<4x64xi8>, %w: tensor<64x16xi8>) {
  // expected-error @+1 {{'cim.mvm' op result #0 must be ranked tensor of 32-bit signless integer values}}
  %0 = cim.mvm %x, %w {slicing = #s8} : tensor<4x64xi8>, tensor<64x16xi8> -> tensor<4x16xi64>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_tile_weight(%x: tensor<4x256xi8>, %w: tensor<?x64xi8>, %acc: tensor<4x64xi32>) {
  // expected-error @+1 {{'cim.mvm_tile' op weight must be a statically shaped K x N matrix, got 'tensor<?x64xi8>'}}
  %0 = cim.mvm_tile %x[0], %w, %acc {rows = 128, cols = 128, slicing = #s8} : tensor<4x256xi8>, tensor<?x64xi8> -> tensor<4x64xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_tile_scalar(%x: tensor<i8>, %w: tensor<128x64xi8>, %acc: tensor<64xi32>) {
  // expected-error @+1 {{'cim.mvm_tile' op input must have at least one dimension}}
  %0 = cim.mvm_tile %x[0], %w, %acc {rows = 128, cols = 128, slicing = #s8} : tensor<i8>, tensor<128x64xi8> -> tensor<64xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_tile_unit(%x: tensor<4x256xi8>, %w: tensor<128x64xi8>, %acc: tensor<4x64xi32>) {
  // expected-error @+1 {{'cim.mvm_tile' op MVM unit size rows x cols = 128 x 0 must be positive}}
  %0 = cim.mvm_tile %x[0], %w, %acc {rows = 128, cols = 0, slicing = #s8} : tensor<4x256xi8>, tensor<128x64xi8> -> tensor<4x64xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_tile_fit(%x: tensor<4x256xi8>, %w: tensor<256x64xi8>, %acc: tensor<4x64xi32>) {
  // expected-error @+1 {{'cim.mvm_tile' op weight block 256 x 64 does not fit the 128 x 128 MVM unit}}
  %0 = cim.mvm_tile %x[0], %w, %acc {rows = 128, cols = 128, slicing = #s8} : tensor<4x256xi8>, tensor<256x64xi8> -> tensor<4x64xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_tile_negative_offset(%x: tensor<4x256xi8>, %w: tensor<128x64xi8>, %acc: tensor<4x64xi32>) {
  // expected-error @+1 {{'cim.mvm_tile' op row_offset must be non-negative, got -1}}
  %0 = cim.mvm_tile %x[-1], %w, %acc {rows = 128, cols = 128, slicing = #s8} : tensor<4x256xi8>, tensor<128x64xi8> -> tensor<4x64xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_tile_rows(%x: tensor<4x200xi8>, %w: tensor<128x64xi8>, %acc: tensor<4x64xi32>) {
  // expected-error @+1 {{'cim.mvm_tile' op input rows [128, 256) exceed the input's last dimension 200}}
  %0 = cim.mvm_tile %x[128], %w, %acc {rows = 128, cols = 128, slicing = #s8} : tensor<4x200xi8>, tensor<128x64xi8> -> tensor<4x64xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_tile_widths(%x: tensor<4x256xi8>, %w: tensor<128x64xi4>, %acc: tensor<4x64xi32>) {
  // expected-error @+1 {{'cim.mvm_tile' op weight element type 'i4' does not match the slicing's weight_bits = 8}}
  %0 = cim.mvm_tile %x[0], %w, %acc {rows = 128, cols = 128, slicing = #s8} : tensor<4x256xi8>, tensor<128x64xi4> -> tensor<4x64xi32>
  return
}

// -----

#s16 = #cim.slicing<weight_bits = 16, cell_bits = 4, slices = 4, input_bits = 16, dac_bits = 2, planes = 8, encoding = offset>

func.func @mvm_tile_overflow(%x: tensor<4x256xi16>, %w: tensor<4x64xi16>, %acc: tensor<4x64xi32>) {
  // expected-error @+1 {{'cim.mvm_tile' op accumulating 4 products of i16 x i16 can overflow i32}}
  %0 = cim.mvm_tile %x[0], %w, %acc {rows = 128, cols = 128, slicing = #s16} : tensor<4x256xi16>, tensor<4x64xi16> -> tensor<4x64xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_tile_result(%x: tensor<4x256xi8>, %w: tensor<128x64xi8>, %acc: tensor<4x32xi32>) {
  // expected-error @+1 {{'cim.mvm_tile' op result type 'tensor<4x32xi32>' does not match the expected 'tensor<4x64xi32>'}}
  %0 = cim.mvm_tile %x[0], %w, %acc {rows = 128, cols = 128, slicing = #s8} : tensor<4x256xi8>, tensor<128x64xi8> -> tensor<4x32xi32>
  return
}

// -----

#s8 = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>

func.func @mvm_tile_acc(%x: tensor<4x256xi8>, %w: tensor<128x64xi8>, %acc: tensor<4x32xi32>) {
  // expected-error @+1 {{'cim.mvm_tile' op failed to verify that all of {acc, result} have same type}}
  %0 = "cim.mvm_tile"(%x, %w, %acc) <{row_offset = 0 : i64, rows = 128 : i64, cols = 128 : i64, slicing = #s8}> : (tensor<4x256xi8>, tensor<128x64xi8>, tensor<4x32xi32>) -> tensor<4x64xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// cim.dmm
//===----------------------------------------------------------------------===//

func.func @dmm_rank(%a: tensor<8xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+1 {{'cim.dmm' op operands must have rank >= 2, got 'tensor<8xf32>' and 'tensor<8x4xf32>'}}
  %0 = cim.dmm %a, %b : tensor<8xf32>, tensor<8x4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @dmm_same_rank(%a: tensor<2x4x8xf32>, %b: tensor<8x4xf32>) {
  // expected-error @+1 {{'cim.dmm' op operands must have the same rank (batch dimensions are not broadcast), got 'tensor<2x4x8xf32>' and 'tensor<8x4xf32>'}}
  %0 = cim.dmm %a, %b : tensor<2x4x8xf32>, tensor<8x4xf32> -> tensor<2x4x4xf32>
  return
}

// -----

func.func @dmm_mixed(%a: tensor<4x8xf32>, %b: tensor<8x4xi8>) {
  // expected-error @+1 {{'cim.dmm' op operands must both be f32 or both be integers, got 'f32' and 'i8'}}
  %0 = cim.dmm %a, %b : tensor<4x8xf32>, tensor<8x4xi8> -> tensor<4x4xf32>
  return
}

// -----

func.func @dmm_batch(%a: tensor<2x4x8xf32>, %b: tensor<3x8x4xf32>) {
  // expected-error @+1 {{'cim.dmm' op batch dimension 0 differs: 2 vs 3}}
  %0 = cim.dmm %a, %b : tensor<2x4x8xf32>, tensor<3x8x4xf32> -> tensor<2x4x4xf32>
  return
}

// -----

func.func @dmm_contraction(%q: tensor<2x8x16xf32>, %k: tensor<2x16x8xf32>) {
  // expected-error @+1 {{'cim.dmm' op contraction dimensions differ: a has K = 16, b (transposed) has K = 8}}
  %0 = cim.dmm %q, %k {transpose_b} : tensor<2x8x16xf32>, tensor<2x16x8xf32> -> tensor<2x8x16xf32>
  return
}

// -----

func.func @dmm_result(%q: tensor<2x8x16xf32>, %k: tensor<2x8x16xf32>) {
  // expected-error @+1 {{'cim.dmm' op result type 'tensor<2x8x16xf32>' does not match the expected 'tensor<2x8x8xf32>'}}
  %0 = cim.dmm %q, %k {transpose_b} : tensor<2x8x16xf32>, tensor<2x8x16xf32> -> tensor<2x8x16xf32>
  return
}

// -----

func.func @dmm_integer_result(%a: tensor<4x16xi8>, %b: tensor<16x8xi8>) {
  // expected-error @+1 {{'cim.dmm' op result type 'tensor<4x8xi16>' does not match the expected 'tensor<4x8xi32>'}}
  %0 = cim.dmm %a, %b : tensor<4x16xi8>, tensor<16x8xi8> -> tensor<4x8xi16>
  return
}

// -----

func.func @dmm_overflow(%a: tensor<4x2xi32>, %b: tensor<2x8xi8>) {
  // expected-error @+1 {{'cim.dmm' op accumulating 2 products of i32 x i8 can overflow i32}}
  %0 = cim.dmm %a, %b : tensor<4x2xi32>, tensor<2x8xi8> -> tensor<4x8xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// cim.unary / cim.binary / cim.reduce / cim.softmax
//===----------------------------------------------------------------------===//

func.func @unary_fn(%x: tensor<4xf32>) {
  // expected-error @+2 {{expected ::mho::cim::UnaryFn to be one of: exp, rsqrt, sqrt, recip, erf, tanh, sigmoid, gelu, gelu_tanh, silu, relu, neg, abs}}
  // expected-error @+1 {{custom op 'cim.unary' failed to parse CIM_UnaryFnAttr parameter 'value' which is to be a `::mho::cim::UnaryFn`}}
  %0 = cim.unary <log> %x : tensor<4xf32>
  return
}

// -----

func.func @unary_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'cim.unary' op requires the same type for all operands and results}}
  %0 = "cim.unary"(%x) <{fn = #cim.unary_fn<exp>}> : (tensor<4xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @binary_element_types(%a: tensor<4xf32>, %b: tensor<4xi32>) {
  // expected-error @+1 {{'cim.binary' op operand and result element types must match, got 'f32', 'i32' and 'f32'}}
  %0 = cim.binary <add> %a, %b : tensor<4xf32>, tensor<4xi32> -> tensor<4xf32>
  return
}

// -----

func.func @binary_integer_div(%a: tensor<4xi32>, %b: tensor<4xi32>) {
  // expected-error @+1 {{'cim.binary' op 'div' is defined on f32 operands only}}
  %0 = cim.binary <div> %a, %b : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  return
}

// -----

func.func @binary_broadcast(%a: tensor<4x8xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'cim.binary' op operand shapes 'tensor<4x8xf32>' and 'tensor<4xf32>' are not broadcast-compatible}}
  %0 = cim.binary <mul> %a, %b : tensor<4x8xf32>, tensor<4xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @binary_result(%a: tensor<4x1xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'cim.binary' op result type 'tensor<4x1xf32>' does not match the expected 'tensor<4x8xf32>'}}
  %0 = cim.binary <sub> %a, %b : tensor<4x1xf32>, tensor<8xf32> -> tensor<4x1xf32>
  return
}

// -----

func.func @reduce_axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'cim.reduce' op axis 2 is out of range for a rank-2 input}}
  %0 = cim.reduce <sum> %x {axis = 2} : tensor<4x8xf32> -> tensor<4xf32>
  return
}

// -----

func.func @reduce_result(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'cim.reduce' op result type 'tensor<4xf32>' does not match the expected 'tensor<4x1xf32>'}}
  %0 = cim.reduce <max> %x {axis = 1, keep_dims} : tensor<4x8xf32> -> tensor<4xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'cim.softmax' op axis -1 is out of range for a rank-2 input}}
  %0 = cim.softmax %x {axis = -1} : tensor<4x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// cim.layer_norm / cim.rms_norm / cim.rope
//===----------------------------------------------------------------------===//

func.func @layer_norm_axis(%x: tensor<4x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'cim.layer_norm' op axis 2 is out of range for a rank-2 input}}
  %0 = cim.layer_norm %x, %g, %g {axis = 2, epsilon = 1.0e-5 : f32} : tensor<4x8xf32>, tensor<8xf32>
  return
}

// -----

func.func @layer_norm_gamma(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>) {
  // expected-error @+1 {{'cim.layer_norm' op gamma and beta must have the normalized shape [8, 64], got 'tensor<64xf32>'}}
  %0 = cim.layer_norm %x, %g, %g {axis = 1, epsilon = 1.0e-5 : f32} : tensor<2x8x64xf32>, tensor<64xf32>
  return
}

// -----

func.func @layer_norm_epsilon(%x: tensor<4x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'cim.layer_norm' op epsilon must be finite and non-negative, got -1.000000e+00}}
  %0 = cim.layer_norm %x, %g, %g {axis = 1, epsilon = -1.0 : f32} : tensor<4x8xf32>, tensor<8xf32>
  return
}

// -----

func.func @rms_norm_scalar(%x: tensor<f32>, %g: tensor<1xf32>) {
  // expected-error @+1 {{'cim.rms_norm' op input must have at least one dimension}}
  %0 = cim.rms_norm %x, %g {epsilon = 1.0e-6 : f32} : tensor<f32>, tensor<1xf32>
  return
}

// -----

func.func @rms_norm_gamma(%x: tensor<4x64xf32>, %g: tensor<32xf32>) {
  // expected-error @+1 {{'cim.rms_norm' op gamma must have shape D = 64, got 'tensor<32xf32>'}}
  %0 = cim.rms_norm %x, %g {epsilon = 1.0e-6 : f32} : tensor<4x64xf32>, tensor<32xf32>
  return
}

// -----

func.func @rms_norm_epsilon(%x: tensor<4x64xf32>, %g: tensor<64xf32>) {
  // expected-error @+1 {{'cim.rms_norm' op epsilon must be finite and non-negative, got INF}}
  %0 = cim.rms_norm %x, %g {epsilon = 0x7F800000 : f32} : tensor<4x64xf32>, tensor<64xf32>
  return
}

// -----

func.func @rope_scalar(%x: tensor<f32>, %c: tensor<2xf32>) {
  // expected-error @+1 {{'cim.rope' op input must have at least one dimension}}
  %0 = cim.rope %x, %c, %c : tensor<f32>, tensor<2xf32>
  return
}

// -----

func.func @rope_odd(%x: tensor<8x15xf32>, %c: tensor<8x15xf32>) {
  // expected-error @+1 {{'cim.rope' op rotate-half needs an even last dimension, got 15}}
  %0 = cim.rope %x, %c, %c : tensor<8x15xf32>, tensor<8x15xf32>
  return
}

// -----

func.func @rope_table_width(%x: tensor<8x16xf32>, %c: tensor<8x8xf32>) {
  // expected-error @+1 {{'cim.rope' op cos and sin must have the input's last dimension 16, got 'tensor<8x8xf32>'}}
  %0 = cim.rope %x, %c, %c : tensor<8x16xf32>, tensor<8x8xf32>
  return
}

// -----

func.func @rope_broadcast(%x: tensor<2x8x16xf32>, %c: tensor<4x16xf32>) {
  // expected-error @+1 {{'cim.rope' op cos and sin of type 'tensor<4x16xf32>' do not broadcast to the input shape [2, 8, 16]}}
  %0 = cim.rope %x, %c, %c : tensor<2x8x16xf32>, tensor<4x16xf32>
  return
}

// -----

func.func @rope_tables(%x: tensor<8x16xf32>, %c: tensor<8x16xf32>, %s: tensor<1x16xf32>) {
  // expected-error @+1 {{'cim.rope' op failed to verify that all of {cos, sin} have same type}}
  %0 = "cim.rope"(%x, %c, %s) : (tensor<8x16xf32>, tensor<8x16xf32>, tensor<1x16xf32>) -> tensor<8x16xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// cim.topk / cim.moe_linear / cim.moe_combine
//===----------------------------------------------------------------------===//

func.func @topk_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'cim.topk' op input must have at least one dimension}}
  %v, %i = cim.topk %x {k = 1} : tensor<f32> -> tensor<f32>, tensor<i32>
  return
}

// -----

func.func @topk_k_zero(%x: tensor<8x4xf32>) {
  // expected-error @+1 {{'cim.topk' op k must be at least 1, got 0}}
  %v, %i = cim.topk %x {k = 0} : tensor<8x4xf32> -> tensor<8x0xf32>, tensor<8x0xi32>
  return
}

// -----

func.func @topk_k_large(%x: tensor<8x4xf32>) {
  // expected-error @+1 {{'cim.topk' op k = 5 exceeds the last dimension 4}}
  %v, %i = cim.topk %x {k = 5} : tensor<8x4xf32> -> tensor<8x5xf32>, tensor<8x5xi32>
  return
}

// -----

func.func @topk_values(%x: tensor<8x4xf32>) {
  // expected-error @+1 {{'cim.topk' op values type 'tensor<8x4xf32>' does not match the expected 'tensor<8x2xf32>'}}
  %v, %i = cim.topk %x {k = 2} : tensor<8x4xf32> -> tensor<8x4xf32>, tensor<8x2xi32>
  return
}

// -----

func.func @topk_indices(%x: tensor<8x4xf32>) {
  // expected-error @+1 {{'cim.topk' op indices type 'tensor<2x8xi32>' does not match the expected 'tensor<8x2xi32>'}}
  %v, %i = cim.topk %x {k = 2} : tensor<8x4xf32> -> tensor<8x2xf32>, tensor<2x8xi32>
  return
}

// -----

func.func @moe_weight(%x: tensor<8x64xf32>, %w: tensor<64x128xf32>, %i: tensor<8x2xi32>) {
  // expected-error @+1 {{'cim.moe_linear' op weight must be a statically shaped E x K x N tensor, got 'tensor<64x128xf32>'}}
  %0 = cim.moe_linear %x, %w, %i : tensor<8x64xf32>, tensor<64x128xf32>, tensor<8x2xi32> -> tensor<8x2x128xf32>
  return
}

// -----

func.func @moe_indices(%x: tensor<8x64xf32>, %w: tensor<4x64x128xf32>, %i: tensor<16xi32>) {
  // expected-error @+1 {{'cim.moe_linear' op indices must be a T x k matrix, got 'tensor<16xi32>'}}
  %0 = cim.moe_linear %x, %w, %i : tensor<8x64xf32>, tensor<4x64x128xf32>, tensor<16xi32> -> tensor<8x2x128xf32>
  return
}

// -----

func.func @moe_k(%x: tensor<8x64xf32>, %w: tensor<4x64x128xf32>, %i: tensor<8x5xi32>) {
  // expected-error @+1 {{'cim.moe_linear' op routes k = 5 experts per token but only E = 4 exist}}
  %0 = cim.moe_linear %x, %w, %i : tensor<8x64xf32>, tensor<4x64x128xf32>, tensor<8x5xi32> -> tensor<8x5x128xf32>
  return
}

// -----

func.func @moe_input_rank(%x: tensor<64xf32>, %w: tensor<4x64x128xf32>, %i: tensor<8x2xi32>) {
  // expected-error @+1 {{'cim.moe_linear' op input must be T x K or T x k x K, got 'tensor<64xf32>'}}
  %0 = cim.moe_linear %x, %w, %i : tensor<64xf32>, tensor<4x64x128xf32>, tensor<8x2xi32> -> tensor<8x2x128xf32>
  return
}

// -----

func.func @moe_tokens(%x: tensor<8x64xf32>, %w: tensor<4x64x128xf32>, %i: tensor<4x2xi32>) {
  // expected-error @+1 {{'cim.moe_linear' op input has T = 8 tokens but indices have T = 4}}
  %0 = cim.moe_linear %x, %w, %i : tensor<8x64xf32>, tensor<4x64x128xf32>, tensor<4x2xi32> -> tensor<8x2x128xf32>
  return
}

// -----

func.func @moe_slots(%x: tensor<8x3x64xf32>, %w: tensor<4x64x128xf32>, %i: tensor<8x2xi32>) {
  // expected-error @+1 {{'cim.moe_linear' op input has 3 slots per token but indices route k = 2}}
  %0 = cim.moe_linear %x, %w, %i : tensor<8x3x64xf32>, tensor<4x64x128xf32>, tensor<8x2xi32> -> tensor<8x2x128xf32>
  return
}

// -----

func.func @moe_contraction(%x: tensor<8x32xf32>, %w: tensor<4x64x128xf32>, %i: tensor<8x2xi32>) {
  // expected-error @+1 {{'cim.moe_linear' op input's last dimension (K = 32) does not match the weight's K = 64}}
  %0 = cim.moe_linear %x, %w, %i : tensor<8x32xf32>, tensor<4x64x128xf32>, tensor<8x2xi32> -> tensor<8x2x128xf32>
  return
}

// -----

func.func @moe_bias(%x: tensor<8x64xf32>, %w: tensor<4x64x128xf32>, %i: tensor<8x2xi32>, %b: tensor<128xf32>) {
  // expected-error @+1 {{'cim.moe_linear' op bias must have shape E x N = 4 x 128, got 'tensor<128xf32>'}}
  %0 = cim.moe_linear %x, %w, %i bias %b : tensor<8x64xf32>, tensor<4x64x128xf32>, tensor<8x2xi32>, tensor<128xf32> -> tensor<8x2x128xf32>
  return
}

// -----

func.func @moe_result(%x: tensor<8x64xf32>, %w: tensor<4x64x128xf32>, %i: tensor<8x2xi32>) {
  // expected-error @+1 {{'cim.moe_linear' op result type 'tensor<8x128xf32>' does not match the expected 'tensor<8x2x128xf32>'}}
  %0 = cim.moe_linear %x, %w, %i : tensor<8x64xf32>, tensor<4x64x128xf32>, tensor<8x2xi32> -> tensor<8x128xf32>
  return
}

// -----

func.func @moe_combine_input(%h: tensor<8x64xf32>, %p: tensor<8x2xf32>) {
  // expected-error @+1 {{'cim.moe_combine' op input must be a T x k x N tensor, got 'tensor<8x64xf32>'}}
  %0 = cim.moe_combine %h, %p : tensor<8x64xf32>, tensor<8x2xf32> -> tensor<8x64xf32>
  return
}

// -----

func.func @moe_combine_weights(%h: tensor<8x2x64xf32>, %p: tensor<8x4xf32>) {
  // expected-error @+1 {{'cim.moe_combine' op weights must have shape T x k = 8 x 2, got 'tensor<8x4xf32>'}}
  %0 = cim.moe_combine %h, %p : tensor<8x2x64xf32>, tensor<8x4xf32> -> tensor<8x64xf32>
  return
}

// -----

func.func @moe_combine_result(%h: tensor<8x2x64xf32>, %p: tensor<8x2xf32>) {
  // expected-error @+1 {{'cim.moe_combine' op result type 'tensor<8x2xf32>' does not match the expected 'tensor<8x64xf32>'}}
  %0 = cim.moe_combine %h, %p : tensor<8x2x64xf32>, tensor<8x2xf32> -> tensor<8x2xf32>
  return
}

// -----

func.func @dispatch_indices(%i: tensor<16xi32>) {
  // expected-error @+1 {{'cim.moe_dispatch' op indices must be a statically shaped T x k matrix, got 'tensor<16xi32>'}}
  %l, %c = cim.moe_dispatch %i {experts = 4 : i64} : tensor<16xi32> -> tensor<4x16xi32>, tensor<4xi32>
  return
}

// -----

func.func @dispatch_experts(%i: tensor<8x2xi32>) {
  // expected-error @+1 {{'cim.moe_dispatch' op experts must be at least 1, got 0}}
  %l, %c = cim.moe_dispatch %i {experts = 0 : i64} : tensor<8x2xi32> -> tensor<0x16xi32>, tensor<0xi32>
  return
}

// -----

func.func @dispatch_lists(%i: tensor<8x2xi32>) {
  // expected-error @+1 {{'cim.moe_dispatch' op lists type 'tensor<4x8xi32>' does not match the expected 'tensor<4x16xi32>'}}
  %l, %c = cim.moe_dispatch %i {experts = 4 : i64} : tensor<8x2xi32> -> tensor<4x8xi32>, tensor<4xi32>
  return
}

// -----

func.func @dispatch_counts(%i: tensor<8x2xi32>) {
  // expected-error @+1 {{'cim.moe_dispatch' op counts type 'tensor<2xi32>' does not match the expected 'tensor<4xi32>'}}
  %l, %c = cim.moe_dispatch %i {experts = 4 : i64} : tensor<8x2xi32> -> tensor<4x16xi32>, tensor<2xi32>
  return
}

// -----

func.func @moe_mvm_weight(%q: tensor<8x64xi8>, %s: tensor<8x1xf32>, %w: tensor<64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op weight must be a statically shaped E x K x N tensor, got 'tensor<64x32xi8>'}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x64xi8>, tensor<8x1xf32>, tensor<64x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
  return
}

// -----

func.func @moe_mvm_unit(%q: tensor<8x64xi8>, %s: tensor<8x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op MVM unit size rows x cols = 0 x 128 must be positive}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 0 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
  return
}

// -----

func.func @moe_mvm_result(%q: tensor<8x64xi8>, %s: tensor<8x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op result must be a statically shaped T x k x N tensor, got 'tensor<16x32xf32>'}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<16x32xf32>
  return
}

// -----

func.func @moe_mvm_input(%q: tensor<8x63xi8>, %s: tensor<8x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op input must be T x K or T x k x K with T = 8, k = 2, K = 64, got 'tensor<8x63xi8>'}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x63xi8>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
  return
}

// -----

func.func @moe_mvm_input_scales(%q: tensor<8x64xi8>, %s: tensor<8x2x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op input_scales type 'tensor<8x2x1xf32>' does not match the expected 'tensor<8x1xf32>'}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x64xi8>, tensor<8x2x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
  return
}

// -----

func.func @moe_mvm_weight_scales(%q: tensor<8x64xi8>, %s: tensor<8x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op weight_scales type 'tensor<32xf32>' does not match the expected 'tensor<4x32xf32>'}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
  return
}

// -----

func.func @moe_mvm_lists(%q: tensor<8x64xi8>, %s: tensor<8x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x8xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op lists type 'tensor<4x8xi32>' does not match the expected 'tensor<4x16xi32>'}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>, tensor<4x8xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
  return
}

// -----

func.func @moe_mvm_counts(%q: tensor<8x64xi8>, %s: tensor<8x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<8xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op counts type 'tensor<8xi32>' does not match the expected 'tensor<4xi32>'}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<8xi32> -> tensor<8x2x32xf32>
  return
}

// -----

func.func @moe_mvm_n(%q: tensor<8x64xi8>, %s: tensor<8x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op result type 'tensor<8x2x16xf32>' does not match the expected 'tensor<8x2x32xf32>'}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x16xf32>
  return
}

// -----

func.func @moe_mvm_width(%q: tensor<8x64xi6>, %s: tensor<8x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op input element type 'i6' does not match the slicing's input_bits = 8}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x64xi6>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
  return
}

// -----

func.func @moe_mvm_overflow(%q: tensor<8x131072xi8>, %s: tensor<8x1xf32>, %w: tensor<4x131072x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op accumulating 131072 products of i8 x i8 can overflow i32}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x131072xi8>, tensor<8x1xf32>, tensor<4x131072x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
  return
}

// -----

func.func @moe_mvm_places(%q: tensor<8x64xi8>, %s: tensor<8x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op has 1 places but 4 blocks (4 experts x 1 column blocks x 1 row blocks)}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = 128 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>, places = [#cim.place<chip = 0, tile = 0, core = 0, unit = 0>]} : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
  return
}

// -----

func.func @moe_mvm_negative(%q: tensor<8x64xi8>, %s: tensor<8x1xf32>, %w: tensor<4x64x32xi8>, %ws: tensor<4x32xf32>, %l: tensor<4x16xi32>, %c: tensor<4xi32>) {
  // expected-error @+1 {{'cim.moe_mvm' op MVM unit size rows x cols = -1 x 128 must be positive}}
  %0 = cim.moe_mvm %q scales(%s), %w scales(%ws), %l, %c {rows = -1 : i64, cols = 128 : i64, slicing = #cim.slicing<weight_bits = 8, cell_bits = 2, slices = 4, input_bits = 8, dac_bits = 1, planes = 8, encoding = offset>} : tensor<8x64xi8>, tensor<8x1xf32>, tensor<4x64x32xi8>, tensor<4x32xf32>, tensor<4x16xi32>, tensor<4xi32> -> tensor<8x2x32xf32>
  return
}
