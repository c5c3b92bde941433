// Folds of the cim dialect.
// RUN: mho-opt %s --canonicalize --split-input-file | FileCheck %s

// A zero bias folds away; any other bias stays.
// CHECK-LABEL: func.func @linear_zero_bias
// CHECK: %[[Y:.*]] = cim.linear %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
// CHECK: %[[Z:.*]] = cim.linear %{{.*}}, %{{.*}} bias %{{.*}} :
// CHECK: return %[[Y]], %[[Z]]
func.func @linear_zero_bias(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %zero = arith.constant dense<0.0> : tensor<16xf32>
  %one = arith.constant dense<1.0> : tensor<16xf32>
  %y = cim.linear %x, %w bias %zero : tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32> -> tensor<4x16xf32>
  %z = cim.linear %x, %w bias %one : tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32> -> tensor<4x16xf32>
  return %y, %z : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// Round half to even, zero point added after rounding, saturation, NaN to
// the zero point, infinities saturate.
// CHECK-LABEL: func.func @quantize_constant
// CHECK: %[[C:.*]] = arith.constant dense<[3, 5, 5, 1, 3, 127, -128, 127, 3, -128]> : tensor<10xi8>
// CHECK-NEXT: return %[[C]]
func.func @quantize_constant() -> tensor<10xi8> {
  %x = arith.constant dense<[0.25, 0.75, 1.25, -0.75, -0.25, 100.0, -100.0, 62.0, 0x7FC00000, 0xFF800000]> : tensor<10xf32>
  %q = cim.quantize %x {quant = #cim.quant<bits = 8, scale = 0.5 : f32, zero_point = 3>} : tensor<10xf32> -> tensor<10xi8>
  return %q : tensor<10xi8>
}

// -----

// The ISA multiplies by f32(1 / scale): with scale 0.3, 2.25 * 3.33333325
// rounds to 7.5 (-> 8), where 2.25 / 0.3 would round to 7.4999995 (-> 7).
// CHECK-LABEL: func.func @quantize_reciprocal
// CHECK: arith.constant dense<[8, 13, 28]> : tensor<3xi8>
func.func @quantize_reciprocal() -> tensor<3xi8> {
  %x = arith.constant dense<[2.25, 3.75000024, 8.25]> : tensor<3xf32>
  %q = cim.quantize %x {quant = #cim.quant<bits = 8, scale = 0.3 : f32>} : tensor<3xf32> -> tensor<3xi8>
  return %q : tensor<3xi8>
}

// -----

// CHECK-LABEL: func.func @quantize_splat
// CHECK: %[[C:.*]] = arith.constant dense<-20> : tensor<2x3xi6>
// CHECK-NEXT: return %[[C]]
func.func @quantize_splat() -> tensor<2x3xi6> {
  %x = arith.constant dense<-1.0> : tensor<2x3xf32>
  %q = cim.quantize %x {quant = #cim.quant<bits = 6, scale = 0.05 : f32>} : tensor<2x3xf32> -> tensor<2x3xi6>
  return %q : tensor<2x3xi6>
}

// -----

// CHECK-LABEL: func.func @dequantize_constant
// CHECK: %[[C:.*]] = arith.constant dense<[-6.550000e+01, -1.500000e+00, 0.000000e+00, 6.200000e+01]> : tensor<4xf32>
// CHECK-NEXT: return %[[C]]
func.func @dequantize_constant() -> tensor<4xf32> {
  %q = arith.constant dense<[-128, 0, 3, 127]> : tensor<4xi8>
  %x = cim.dequantize %q {quant = #cim.quant<bits = 8, scale = 0.5 : f32, zero_point = 3>} : tensor<4xi8> -> tensor<4xf32>
  return %x : tensor<4xf32>
}

// -----

// quantize(dequantize(q)) with the same parameters is q exactly.
// CHECK-LABEL: func.func @quantize_of_dequantize
// CHECK-SAME: (%[[Q:.*]]: tensor<16xi8>)
// CHECK-NEXT: return %[[Q]]
func.func @quantize_of_dequantize(%q: tensor<16xi8>) -> tensor<16xi8> {
  %x = cim.dequantize %q {quant = #cim.quant<bits = 8, scale = 0.1 : f32, zero_point = -5>} : tensor<16xi8> -> tensor<16xf32>
  %r = cim.quantize %x {quant = #cim.quant<bits = 8, scale = 0.1 : f32, zero_point = -5>} : tensor<16xf32> -> tensor<16xi8>
  return %r : tensor<16xi8>
}

// -----

// Different parameters, or a subnormal scale (the product loses bits), stay.
// CHECK-LABEL: func.func @quantize_of_dequantize_inexact
// CHECK: cim.dequantize
// CHECK: cim.quantize
// CHECK: cim.dequantize
// CHECK: cim.quantize
func.func @quantize_of_dequantize_inexact(%q: tensor<16xi8>) -> (tensor<16xi8>, tensor<16xi8>) {
  %x = cim.dequantize %q {quant = #cim.quant<bits = 8, scale = 0.1 : f32>} : tensor<16xi8> -> tensor<16xf32>
  %r = cim.quantize %x {quant = #cim.quant<bits = 8, scale = 0.2 : f32>} : tensor<16xf32> -> tensor<16xi8>
  %y = cim.dequantize %q {quant = #cim.quant<bits = 8, scale = 3.0e-39 : f32>} : tensor<16xi8> -> tensor<16xf32>
  %s = cim.quantize %y {quant = #cim.quant<bits = 8, scale = 3.0e-39 : f32>} : tensor<16xf32> -> tensor<16xi8>
  return %r, %s : tensor<16xi8>, tensor<16xi8>
}

// -----

// dequantize(quantize(x)) rounds, so it is not folded.
// CHECK-LABEL: func.func @dequantize_of_quantize
// CHECK: cim.quantize
// CHECK: cim.dequantize
func.func @dequantize_of_quantize(%x: tensor<16xf32>) -> tensor<16xf32> {
  %q = cim.quantize %x {quant = #cim.quant<bits = 8, scale = 0.1 : f32>} : tensor<16xf32> -> tensor<16xi8>
  %y = cim.dequantize %q {quant = #cim.quant<bits = 8, scale = 0.1 : f32>} : tensor<16xi8> -> tensor<16xf32>
  return %y : tensor<16xf32>
}

// -----

// (acc + offset) * (scale * input_scale), per output channel.
// CHECK-LABEL: func.func @dequantize_acc_constant
// CHECK: %[[C:.*]] = arith.constant dense<{{\[}}[1.500000e+00, -2.500000e+00], [2.500000e-01, 3.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @dequantize_acc_constant() -> tensor<2x2xf32> {
  %acc = arith.constant dense<[[10, -4], [0, 7]]> : tensor<2x2xi32>
  %s = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %o = arith.constant dense<[2, -1]> : tensor<2xi32>
  %y = cim.dequantize_acc %acc scales(%s : tensor<2xf32>) offsets(%o : tensor<2xi32>) {input_scale = 0.25 : f32} : tensor<2x2xi32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Per-row form: (f32(acc + offset) * scale[n]) * input_scales[row].
// CHECK-LABEL: func.func @dequantize_acc_rows
// CHECK: %[[C:.*]] = arith.constant dense<{{\[}}[1.500000e+00, -2.500000e+00], [1.000000e+00, 1.200000e+01]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @dequantize_acc_rows() -> tensor<2x2xf32> {
  %acc = arith.constant dense<[[10, -4], [0, 7]]> : tensor<2x2xi32>
  %s = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %o = arith.constant dense<[2, -1]> : tensor<2xi32>
  %r = arith.constant dense<[[0.25], [1.0]]> : tensor<2x1xf32>
  %y = cim.dequantize_acc %acc scales(%s : tensor<2xf32>) offsets(%o : tensor<2xi32>) input_scales(%r : tensor<2x1xf32>) : tensor<2x2xi32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Row scale max|x| / 127 (1 for a zero row), q = roundeven(x * f32(1 / s)).
// Row 0: s = 2.54 / 127 = 0.02, f32(1 / s) = 50, so 0.01 -> 0.5 -> 0,
// 0.03 -> 1.5 -> 2, -2.54 -> -127. Row 1 is zero.
// CHECK-LABEL: func.func @quantize_dynamic_constant
// CHECK-DAG: %[[Q:.*]] = arith.constant dense<{{\[}}[0, 2, -127], [0, 0, 0]]> : tensor<2x3xi8>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<{{\[}}[2.000000e-02], [1.000000e+00]]> : tensor<2x1xf32>
// CHECK: return %[[Q]], %[[S]]
func.func @quantize_dynamic_constant() -> (tensor<2x3xi8>, tensor<2x1xf32>) {
  %x = arith.constant dense<[[0.01, 0.03, -2.54], [0.0, -0.0, 0.0]]> : tensor<2x3xf32>
  %q, %s = cim.quantize_dynamic %x {bits = 8} : tensor<2x3xf32> -> tensor<2x3xi8>, tensor<2x1xf32>
  return %q, %s : tensor<2x3xi8>, tensor<2x1xf32>
}

// -----

// A non-constant operand blocks the fold.
// CHECK-LABEL: func.func @dequantize_acc_variable
// CHECK: cim.dequantize_acc
func.func @dequantize_acc_variable(%s: tensor<2xf32>) -> tensor<2x2xf32> {
  %acc = arith.constant dense<[[10, -4], [0, 7]]> : tensor<2x2xi32>
  %y = cim.dequantize_acc %acc scales(%s : tensor<2xf32>) {input_scale = 0.25 : f32} : tensor<2x2xi32> -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @unary_splat
// CHECK-DAG: arith.constant dense<1.000000e+00> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<5.000000e-01> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<2.500000e-01> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<-4.000000e+00> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<4.000000e+00> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<3.9998734> : tensor<4xf32>
// CHECK-NOT: cim.unary
func.func @unary_splat() -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %four = arith.constant dense<4.0> : tensor<4xf32>
  %mfour = arith.constant dense<-4.0> : tensor<4xf32>
  %0 = cim.unary <exp> %zero : tensor<4xf32>
  %1 = cim.unary <sqrt> %four : tensor<4xf32>
  %2 = cim.unary <rsqrt> %four : tensor<4xf32>
  %3 = cim.unary <recip> %four : tensor<4xf32>
  %4 = cim.unary <neg> %four : tensor<4xf32>
  %5 = cim.unary <relu> %mfour : tensor<4xf32>
  %6 = cim.unary <abs> %mfour : tensor<4xf32>
  %7 = cim.unary <sigmoid> %zero : tensor<4xf32>
  %8 = cim.unary <gelu> %four : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @unary_pairs
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[A:.*]] = cim.unary <abs> %[[X]]
// CHECK-NEXT: %[[B:.*]] = cim.unary <abs> %[[X]]
// CHECK-NEXT: %[[R:.*]] = cim.unary <relu> %[[X]]
// CHECK-NEXT: return %[[X]], %[[A]], %[[B]], %[[R]]
func.func @unary_pairs(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %n = cim.unary <neg> %x : tensor<4xf32>
  %nn = cim.unary <neg> %n : tensor<4xf32>
  %a = cim.unary <abs> %x : tensor<4xf32>
  %aa = cim.unary <abs> %a : tensor<4xf32>
  %an = cim.unary <abs> %n : tensor<4xf32>
  %r = cim.unary <relu> %x : tensor<4xf32>
  %rr = cim.unary <relu> %r : tensor<4xf32>
  return %nn, %aa, %an, %rr : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Splat operands fold in f32 (or wrapping integers), broadcast to the result.
// CHECK-LABEL: func.func @binary_splat
// CHECK-DAG: arith.constant dense<3.750000e+00> : tensor<2x4xf32>
// CHECK-DAG: arith.constant dense<0.333333343> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<-2.500000e+00> : tensor<4xf32>
// CHECK-DAG: arith.constant dense<-56> : tensor<4xi8>
// CHECK-DAG: arith.constant dense<3> : tensor<4xi8>
// CHECK-NOT: cim.binary
func.func @binary_splat() -> (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi8>, tensor<4xi8>) {
  %a = arith.constant dense<1.5> : tensor<1x4xf32>
  %b = arith.constant dense<2.25> : tensor<2x1xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %three = arith.constant dense<3.0> : tensor<4xf32>
  %m = arith.constant dense<-2.5> : tensor<4xf32>
  %i = arith.constant dense<100> : tensor<4xi8>
  %j = arith.constant dense<3> : tensor<4xi8>
  %k = arith.constant dense<-7> : tensor<4xi8>
  %0 = cim.binary <add> %a, %b : tensor<1x4xf32>, tensor<2x1xf32> -> tensor<2x4xf32>
  %1 = cim.binary <div> %one, %three : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %2 = cim.binary <min> %m, %one : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %3 = cim.binary <add> %i, %i : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  %4 = cim.binary <max> %j, %k : tensor<4xi8>, tensor<4xi8> -> tensor<4xi8>
  return %0, %1, %2, %3, %4 : tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi8>, tensor<4xi8>
}

// -----

// Exact identities fold to the operand.
// CHECK-LABEL: func.func @binary_identities
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[I]], %[[I]], %[[I]], %[[I]]
func.func @binary_identities(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %nz = arith.constant dense<-0.0> : tensor<4xf32>
  %pz = arith.constant dense<0.0> : tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %izero = arith.constant dense<0> : tensor<4xi32>
  %ione = arith.constant dense<1> : tensor<4xi32>
  %0 = cim.binary <add> %x, %nz : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = cim.binary <sub> %x, %pz : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %2 = cim.binary <mul> %one, %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %3 = cim.binary <div> %x, %one : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %4 = cim.binary <max> %x, %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %5 = cim.binary <min> %x, %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %6 = cim.binary <add> %izero, %i : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %7 = cim.binary <sub> %i, %izero : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %8 = cim.binary <mul> %i, %ione : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  %9 = cim.binary <max> %i, %i : tensor<4xi32>, tensor<4xi32> -> tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// x + 0.0 is not x for x = -0.0; an identity that still broadcasts keeps the
// op; 0 - x is not x.
// CHECK-LABEL: func.func @binary_not_identities
// CHECK-COUNT-3: cim.binary
func.func @binary_not_identities(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<2x4xf32>, tensor<4xf32>) {
  %pz = arith.constant dense<0.0> : tensor<4xf32>
  %nz = arith.constant dense<-0.0> : tensor<2x4xf32>
  %0 = cim.binary <add> %x, %pz : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  %1 = cim.binary <add> %x, %nz : tensor<4xf32>, tensor<2x4xf32> -> tensor<2x4xf32>
  %2 = cim.binary <sub> %pz, %x : tensor<4xf32>, tensor<4xf32> -> tensor<4xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<2x4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @reduce
// CHECK-SAME: (%[[X:.*]]: tensor<4x1xf32>)
// CHECK-DAG: %[[M:.*]] = arith.constant dense<2.000000e+00> : tensor<3xf32>
// CHECK-DAG: %[[S:.*]] = cim.reduce <sum> %{{.*}} {axis = 1 : i64} : tensor<3x5xf32> -> tensor<3xf32>
// CHECK: return %[[X]], %[[M]], %[[S]]
func.func @reduce(%x: tensor<4x1xf32>) -> (tensor<4x1xf32>, tensor<3xf32>, tensor<3xf32>) {
  %c = arith.constant dense<2.0> : tensor<3x5xf32>
  %0 = cim.reduce <sum> %x {axis = 1, keep_dims} : tensor<4x1xf32> -> tensor<4x1xf32>
  %1 = cim.reduce <max> %c {axis = 1} : tensor<3x5xf32> -> tensor<3xf32>
  %2 = cim.reduce <sum> %c {axis = 1} : tensor<3x5xf32> -> tensor<3xf32>
  return %0, %1, %2 : tensor<4x1xf32>, tensor<3xf32>, tensor<3xf32>
}
