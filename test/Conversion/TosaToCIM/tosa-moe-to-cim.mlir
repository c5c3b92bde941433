// convert-tosa-moe-to-cim: a dense TOSA mixture of experts becomes routed
// cim ops; anything that only partly matches is left alone.
// RUN: mho-opt %s --split-input-file --convert-tosa-moe-to-cim | FileCheck %s
// RUN: %python %mho_src/models/gen_transformer_ir.py moe --hidden 32 --experts 4 --top-k 2 --ffn 48 --seq 4 \
// RUN:   | mho-opt --convert-tosa-moe-to-cim | FileCheck %s --check-prefix=GEN
// RUN: %python %mho_src/models/gen_transformer_ir.py moe --hidden 32 --experts 4 --top-k 3 --ffn 48 --seq 4 \
// RUN:   | mho-opt --convert-tosa-moe-to-cim | FileCheck %s --check-prefix=TOP3
// RUN: %python %mho_src/models/gen_transformer_ir.py moe --hidden 32 --experts 4 --top-k 2 --ffn 48 --seq 4 \
// RUN:   | sed 's/dense<-1.000000e+00>/dense<2.000000e+00>/' \
// RUN:   | mho-opt --convert-tosa-moe-to-cim | FileCheck %s --check-prefix=MASK

// The generator's Mixtral-style layer: softmax router, top-2 by masking,
// normalised weights, SwiGLU experts. Only routed experts remain: three
// cim.moe_linear on [T, k] slots, no batched expert matmul.
// GEN-LABEL: func.func @moe_ffn
// GEN: %[[P:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<1x4x4xf32> into tensor<4x4xf32>
// GEN: %[[V:.*]], %[[I:.*]] = cim.topk %[[P]] {k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi32>
// GEN: %[[S:.*]] = cim.reduce <sum> %[[V]] {axis = 1 : i64, keep_dims} : tensor<4x2xf32> -> tensor<4x1xf32>
// GEN: %[[R:.*]] = cim.unary <recip> %[[S]] : tensor<4x1xf32>
// GEN: %[[W:.*]] = cim.binary <mul> %[[V]], %[[R]] : tensor<4x2xf32>, tensor<4x1xf32> -> tensor<4x2xf32>
// GEN: %[[G:.*]] = cim.moe_linear %{{.*}}, %arg2, %[[I]] : tensor<4x32xf32>, tensor<4x32x48xf32>, tensor<4x2xi32> -> tensor<4x2x48xf32>
// GEN: tosa.sigmoid %[[G]] : (tensor<4x2x48xf32>) -> tensor<4x2x48xf32>
// GEN: %[[U:.*]] = cim.moe_linear %{{.*}}, %arg3, %[[I]] : tensor<4x32xf32>, tensor<4x32x48xf32>, tensor<4x2xi32> -> tensor<4x2x48xf32>
// GEN: %[[H:.*]] = tosa.mul %{{.*}}, %[[U]], %{{.*}} : (tensor<4x2x48xf32>, tensor<4x2x48xf32>, tensor<1xi8>) -> tensor<4x2x48xf32>
// GEN: %[[D:.*]] = cim.moe_linear %[[H]], %arg4, %[[I]] : tensor<4x2x48xf32>, tensor<4x48x32xf32>, tensor<4x2xi32> -> tensor<4x2x32xf32>
// GEN: %[[Y:.*]] = cim.moe_combine %[[D]], %[[W]] : tensor<4x2x32xf32>, tensor<4x2xf32> -> tensor<4x32xf32>
// GEN: %[[O:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0, 1], [2]] output_shape [1, 4, 32] : tensor<4x32xf32> into tensor<1x4x32xf32>
// GEN-NOT: tosa.select
// GEN-NOT: tosa.tile
// GEN: return %[[O]]

// k = 3: three reduce_max in the threshold chain.
// TOP3: cim.topk %{{.*}} {k = 3 : i64} : tensor<4x4xf32> -> tensor<4x3xf32>, tensor<4x3xi32>
// TOP3-COUNT-3: cim.moe_linear

// A mask that is not below every probability does not remove the maximum:
// not a top-k, left alone.
// MASK-NOT: cim.topk
// MASK: tosa.tile
// MASK-NOT: cim.moe_linear

// Top-1, weights not renormalised, a plain expert layer.
// CHECK-LABEL: func.func @top1
// CHECK: %[[V:.*]], %[[I:.*]] = cim.topk %{{.*}} {k = 1 : i64} : tensor<4x4xf32> -> tensor<4x1xf32>, tensor<4x1xi32>
// CHECK-NOT: cim.reduce
// CHECK: %[[Y:.*]] = cim.moe_linear %{{.*}}, %arg2, %[[I]] : tensor<4x8xf32>, tensor<4x8x6xf32>, tensor<4x1xi32> -> tensor<4x1x6xf32>
// CHECK: cim.moe_combine %[[Y]], %[[V]] : tensor<4x1x6xf32>, tensor<4x1xf32> -> tensor<4x6xf32>
// CHECK-NOT: tosa.matmul %{{.*}}, %arg2
func.func @top1(%x: tensor<1x4x8xf32>, %router: tensor<1x8x4xf32>, %w: tensor<4x8x6xf32>) -> tensor<1x4x6xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %l = tosa.matmul %x, %router, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4xf32>
  %m = tosa.reduce_max %l {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %d = tosa.sub %l, %m : (tensor<1x4x4xf32>, tensor<1x4x1xf32>) -> tensor<1x4x4xf32>
  %e = tosa.exp %d : (tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %s = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %r = tosa.reciprocal %s : (tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x4x4xf32>, tensor<1x4x1xf32>, tensor<1xi8>) -> tensor<1x4x4xf32>
  %t = tosa.reduce_max %p {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %keep = tosa.greater_equal %p, %t : (tensor<1x4x4xf32>, tensor<1x4x1xf32>) -> tensor<1x4x4xi1>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %g = tosa.select %keep, %p, %zero : (tensor<1x4x4xi1>, tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %shape = tosa.const_shape {values = dense<[4, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %xb = tosa.tile %x, %shape : (tensor<1x4x8xf32>, !tosa.shape<3>) -> tensor<4x4x8xf32>
  %y = tosa.matmul %xb, %w, %zp, %zp : (tensor<4x4x8xf32>, tensor<4x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x4x6xf32>
  %gt = tosa.transpose %g {perms = array<i32: 2, 1, 0>} : (tensor<1x4x4xf32>) -> tensor<4x4x1xf32>
  %wy = tosa.mul %y, %gt, %shift : (tensor<4x4x6xf32>, tensor<4x4x1xf32>, tensor<1xi8>) -> tensor<4x4x6xf32>
  %out = tosa.reduce_sum %wy {axis = 0 : i32} : (tensor<4x4x6xf32>) -> tensor<1x4x6xf32>
  return %out : tensor<1x4x6xf32>
}

// -----

// An expert chain with a reduction (not position-independent over slots):
// left alone, and nothing half-built remains.
// CHECK-LABEL: func.func @chain_reduction
// CHECK-NOT: cim.
// CHECK: tosa.reduce_sum %{{.*}} {axis = 0 : i32}
func.func @chain_reduction(%x: tensor<1x4x8xf32>, %router: tensor<1x8x4xf32>, %w: tensor<4x8x6xf32>) -> tensor<1x4x6xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %l = tosa.matmul %x, %router, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4xf32>
  %m = tosa.reduce_max %l {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %d = tosa.sub %l, %m : (tensor<1x4x4xf32>, tensor<1x4x1xf32>) -> tensor<1x4x4xf32>
  %e = tosa.exp %d : (tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %s = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %r = tosa.reciprocal %s : (tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x4x4xf32>, tensor<1x4x1xf32>, tensor<1xi8>) -> tensor<1x4x4xf32>
  %t = tosa.reduce_max %p {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %keep = tosa.greater_equal %p, %t : (tensor<1x4x4xf32>, tensor<1x4x1xf32>) -> tensor<1x4x4xi1>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %g = tosa.select %keep, %p, %zero : (tensor<1x4x4xi1>, tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %shape = tosa.const_shape {values = dense<[4, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %xb = tosa.tile %x, %shape : (tensor<1x4x8xf32>, !tosa.shape<3>) -> tensor<4x4x8xf32>
  %y0 = tosa.matmul %xb, %w, %zp, %zp : (tensor<4x4x8xf32>, tensor<4x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x4x6xf32>
  %ym = tosa.reduce_max %y0 {axis = 2 : i32} : (tensor<4x4x6xf32>) -> tensor<4x4x1xf32>
  %y = tosa.sub %y0, %ym : (tensor<4x4x6xf32>, tensor<4x4x1xf32>) -> tensor<4x4x6xf32>
  %gt = tosa.transpose %g {perms = array<i32: 2, 1, 0>} : (tensor<1x4x4xf32>) -> tensor<4x4x1xf32>
  %wy = tosa.mul %y, %gt, %shift : (tensor<4x4x6xf32>, tensor<4x4x1xf32>, tensor<1xi8>) -> tensor<4x4x6xf32>
  %out = tosa.reduce_sum %wy {axis = 0 : i32} : (tensor<4x4x6xf32>) -> tensor<1x4x6xf32>
  return %out : tensor<1x4x6xf32>
}

// -----

// A [T, E] router of raw scores (not a softmax: the mask must be -inf),
// routing weights taken unnormalised, experts' gates reshaped from [E, T].
// CHECK-LABEL: func.func @rank2_router
// CHECK: cim.topk %{{.*}} {k = 2 : i64} : tensor<4x4xf32> -> tensor<4x2xf32>, tensor<4x2xi32>
// CHECK: cim.moe_linear
// CHECK: cim.moe_combine
func.func @rank2_router(%x: tensor<1x4x8xf32>, %l: tensor<4x4xf32>, %w: tensor<4x8x6xf32>) -> tensor<1x4x6xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %ninf = "tosa.const"() <{values = dense<0xFF800000> : tensor<4x4xf32>}> : () -> tensor<4x4xf32>
  %t1 = tosa.reduce_max %l {axis = 1 : i32} : (tensor<4x4xf32>) -> tensor<4x1xf32>
  %ge1 = tosa.greater_equal %l, %t1 : (tensor<4x4xf32>, tensor<4x1xf32>) -> tensor<4x4xi1>
  %m1 = tosa.select %ge1, %ninf, %l : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %t2 = tosa.reduce_max %m1 {axis = 1 : i32} : (tensor<4x4xf32>) -> tensor<4x1xf32>
  %keep = tosa.greater_equal %l, %t2 : (tensor<4x4xf32>, tensor<4x1xf32>) -> tensor<4x4xi1>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<4x4xf32>}> : () -> tensor<4x4xf32>
  %g = tosa.select %keep, %l, %zero : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %shape = tosa.const_shape {values = dense<[4, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %xb = tosa.tile %x, %shape : (tensor<1x4x8xf32>, !tosa.shape<3>) -> tensor<4x4x8xf32>
  %y = tosa.matmul %xb, %w, %zp, %zp : (tensor<4x4x8xf32>, tensor<4x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x4x6xf32>
  %gt = tosa.transpose %g {perms = array<i32: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %s3 = tosa.const_shape {values = dense<[4, 4, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %gr = tosa.reshape %gt, %s3 : (tensor<4x4xf32>, !tosa.shape<3>) -> tensor<4x4x1xf32>
  %wy = tosa.mul %y, %gr, %shift : (tensor<4x4x6xf32>, tensor<4x4x1xf32>, tensor<1xi8>) -> tensor<4x4x6xf32>
  %out = tosa.reduce_sum %wy {axis = 0 : i32} : (tensor<4x4x6xf32>) -> tensor<1x4x6xf32>
  return %out : tensor<1x4x6xf32>
}

// -----

// The same with a -1 mask: raw scores can be below -1, so it is not a top-k.
// CHECK-LABEL: func.func @raw_mask
// CHECK-NOT: cim.
// CHECK: return
func.func @raw_mask(%x: tensor<1x4x8xf32>, %l: tensor<4x4xf32>, %w: tensor<4x8x6xf32>) -> tensor<1x4x6xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %ninf = "tosa.const"() <{values = dense<-1.000000e+00> : tensor<4x4xf32>}> : () -> tensor<4x4xf32>
  %t1 = tosa.reduce_max %l {axis = 1 : i32} : (tensor<4x4xf32>) -> tensor<4x1xf32>
  %ge1 = tosa.greater_equal %l, %t1 : (tensor<4x4xf32>, tensor<4x1xf32>) -> tensor<4x4xi1>
  %m1 = tosa.select %ge1, %ninf, %l : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %t2 = tosa.reduce_max %m1 {axis = 1 : i32} : (tensor<4x4xf32>) -> tensor<4x1xf32>
  %keep = tosa.greater_equal %l, %t2 : (tensor<4x4xf32>, tensor<4x1xf32>) -> tensor<4x4xi1>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<4x4xf32>}> : () -> tensor<4x4xf32>
  %g = tosa.select %keep, %l, %zero : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %shape = tosa.const_shape {values = dense<[4, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %xb = tosa.tile %x, %shape : (tensor<1x4x8xf32>, !tosa.shape<3>) -> tensor<4x4x8xf32>
  %y = tosa.matmul %xb, %w, %zp, %zp : (tensor<4x4x8xf32>, tensor<4x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x4x6xf32>
  %gt = tosa.transpose %g {perms = array<i32: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %s3 = tosa.const_shape {values = dense<[4, 4, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %gr = tosa.reshape %gt, %s3 : (tensor<4x4xf32>, !tosa.shape<3>) -> tensor<4x4x1xf32>
  %wy = tosa.mul %y, %gr, %shift : (tensor<4x4x6xf32>, tensor<4x4x1xf32>, tensor<1xi8>) -> tensor<4x4x6xf32>
  %out = tosa.reduce_sum %wy {axis = 0 : i32} : (tensor<4x4x6xf32>) -> tensor<1x4x6xf32>
  return %out : tensor<1x4x6xf32>
}

// -----

// A NaN mask (negative sign bit) is below nothing.
// CHECK-LABEL: func.func @nan_mask
// CHECK-NOT: cim.
// CHECK: return
func.func @nan_mask(%x: tensor<1x4x8xf32>, %l: tensor<4x4xf32>, %w: tensor<4x8x6xf32>) -> tensor<1x4x6xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %ninf = "tosa.const"() <{values = dense<0xFFC00000> : tensor<4x4xf32>}> : () -> tensor<4x4xf32>
  %t1 = tosa.reduce_max %l {axis = 1 : i32} : (tensor<4x4xf32>) -> tensor<4x1xf32>
  %ge1 = tosa.greater_equal %l, %t1 : (tensor<4x4xf32>, tensor<4x1xf32>) -> tensor<4x4xi1>
  %m1 = tosa.select %ge1, %ninf, %l : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %t2 = tosa.reduce_max %m1 {axis = 1 : i32} : (tensor<4x4xf32>) -> tensor<4x1xf32>
  %keep = tosa.greater_equal %l, %t2 : (tensor<4x4xf32>, tensor<4x1xf32>) -> tensor<4x4xi1>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<4x4xf32>}> : () -> tensor<4x4xf32>
  %g = tosa.select %keep, %l, %zero : (tensor<4x4xi1>, tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %shape = tosa.const_shape {values = dense<[4, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %xb = tosa.tile %x, %shape : (tensor<1x4x8xf32>, !tosa.shape<3>) -> tensor<4x4x8xf32>
  %y = tosa.matmul %xb, %w, %zp, %zp : (tensor<4x4x8xf32>, tensor<4x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x4x6xf32>
  %gt = tosa.transpose %g {perms = array<i32: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %s3 = tosa.const_shape {values = dense<[4, 4, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %gr = tosa.reshape %gt, %s3 : (tensor<4x4xf32>, !tosa.shape<3>) -> tensor<4x4x1xf32>
  %wy = tosa.mul %y, %gr, %shift : (tensor<4x4x6xf32>, tensor<4x4x1xf32>, tensor<1xi8>) -> tensor<4x4x6xf32>
  %out = tosa.reduce_sum %wy {axis = 0 : i32} : (tensor<4x4x6xf32>) -> tensor<1x4x6xf32>
  return %out : tensor<1x4x6xf32>
}

// -----

// x tiled along its features is not each token's row per expert.
// CHECK-LABEL: func.func @tile_multiples
// CHECK-NOT: cim.
// CHECK: return
func.func @tile_multiples(%x: tensor<1x4x8xf32>, %router: tensor<1x8x4xf32>, %w: tensor<4x16x6xf32>) -> tensor<1x4x6xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %l = tosa.matmul %x, %router, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4xf32>
  %m = tosa.reduce_max %l {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %d = tosa.sub %l, %m : (tensor<1x4x4xf32>, tensor<1x4x1xf32>) -> tensor<1x4x4xf32>
  %e = tosa.exp %d : (tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %s = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %r = tosa.reciprocal %s : (tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x4x4xf32>, tensor<1x4x1xf32>, tensor<1xi8>) -> tensor<1x4x4xf32>
  %t = tosa.reduce_max %p {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %keep = tosa.greater_equal %p, %t : (tensor<1x4x4xf32>, tensor<1x4x1xf32>) -> tensor<1x4x4xi1>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %g = tosa.select %keep, %p, %zero : (tensor<1x4x4xi1>, tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %shape = tosa.const_shape {values = dense<[4, 1, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %xb = tosa.tile %x, %shape : (tensor<1x4x8xf32>, !tosa.shape<3>) -> tensor<4x4x16xf32>
  %y = tosa.matmul %xb, %w, %zp, %zp : (tensor<4x4x16xf32>, tensor<4x16x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x4x6xf32>
  %gt = tosa.transpose %g {perms = array<i32: 2, 1, 0>} : (tensor<1x4x4xf32>) -> tensor<4x4x1xf32>
  %wy = tosa.mul %y, %gt, %shift : (tensor<4x4x6xf32>, tensor<4x4x1xf32>, tensor<1xi8>) -> tensor<4x4x6xf32>
  %out = tosa.reduce_sum %wy {axis = 0 : i32} : (tensor<4x4x6xf32>) -> tensor<1x4x6xf32>
  return %out : tensor<1x4x6xf32>
}

// -----

// Not f32: left alone.
// CHECK-LABEL: func.func @f16
// CHECK-NOT: cim.
// CHECK: return
func.func @f16(%x: tensor<1x4x8xf16>, %router: tensor<1x8x4xf16>, %w: tensor<4x8x6xf16>) -> tensor<1x4x6xf16> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf16>}> : () -> tensor<1xf16>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %l = tosa.matmul %x, %router, %zp, %zp : (tensor<1x4x8xf16>, tensor<1x8x4xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<1x4x4xf16>
  %m = tosa.reduce_max %l {axis = 2 : i32} : (tensor<1x4x4xf16>) -> tensor<1x4x1xf16>
  %d = tosa.sub %l, %m : (tensor<1x4x4xf16>, tensor<1x4x1xf16>) -> tensor<1x4x4xf16>
  %e = tosa.exp %d : (tensor<1x4x4xf16>) -> tensor<1x4x4xf16>
  %s = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<1x4x4xf16>) -> tensor<1x4x1xf16>
  %r = tosa.reciprocal %s : (tensor<1x4x1xf16>) -> tensor<1x4x1xf16>
  %p = tosa.mul %e, %r, %shift : (tensor<1x4x4xf16>, tensor<1x4x1xf16>, tensor<1xi8>) -> tensor<1x4x4xf16>
  %t = tosa.reduce_max %p {axis = 2 : i32} : (tensor<1x4x4xf16>) -> tensor<1x4x1xf16>
  %keep = tosa.greater_equal %p, %t : (tensor<1x4x4xf16>, tensor<1x4x1xf16>) -> tensor<1x4x4xi1>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x4x4xf16>}> : () -> tensor<1x4x4xf16>
  %g = tosa.select %keep, %p, %zero : (tensor<1x4x4xi1>, tensor<1x4x4xf16>, tensor<1x4x4xf16>) -> tensor<1x4x4xf16>
  %shape = tosa.const_shape {values = dense<[4, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %xb = tosa.tile %x, %shape : (tensor<1x4x8xf16>, !tosa.shape<3>) -> tensor<4x4x8xf16>
  %y = tosa.matmul %xb, %w, %zp, %zp : (tensor<4x4x8xf16>, tensor<4x8x6xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<4x4x6xf16>
  %gt = tosa.transpose %g {perms = array<i32: 2, 1, 0>} : (tensor<1x4x4xf16>) -> tensor<4x4x1xf16>
  %wy = tosa.mul %y, %gt, %shift : (tensor<4x4x6xf16>, tensor<4x4x1xf16>, tensor<1xi8>) -> tensor<4x4x6xf16>
  %out = tosa.reduce_sum %wy {axis = 0 : i32} : (tensor<4x4x6xf16>) -> tensor<1x4x6xf16>
  return %out : tensor<1x4x6xf16>
}

// -----

// A later reduce_sum that the rewrite leaves dead is not visited after being
// freed, and a dead op the input had stays.
// CHECK-LABEL: func.func @unused_sum
// CHECK: cim.moe_combine
// CHECK: tosa.reduce_sum %{{.*}} {axis = 1 : i32}
func.func @unused_sum(%x: tensor<1x4x8xf32>, %router: tensor<1x8x4xf32>, %w: tensor<4x8x6xf32>) -> tensor<1x4x6xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %l = tosa.matmul %x, %router, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4xf32>
  %m = tosa.reduce_max %l {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %d = tosa.sub %l, %m : (tensor<1x4x4xf32>, tensor<1x4x1xf32>) -> tensor<1x4x4xf32>
  %e = tosa.exp %d : (tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %s = tosa.reduce_sum %e {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %r = tosa.reciprocal %s : (tensor<1x4x1xf32>) -> tensor<1x4x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<1x4x4xf32>, tensor<1x4x1xf32>, tensor<1xi8>) -> tensor<1x4x4xf32>
  %t = tosa.reduce_max %p {axis = 2 : i32} : (tensor<1x4x4xf32>) -> tensor<1x4x1xf32>
  %keep = tosa.greater_equal %p, %t : (tensor<1x4x4xf32>, tensor<1x4x1xf32>) -> tensor<1x4x4xi1>
  %zero = "tosa.const"() <{values = dense<0.0> : tensor<1x4x4xf32>}> : () -> tensor<1x4x4xf32>
  %g = tosa.select %keep, %p, %zero : (tensor<1x4x4xi1>, tensor<1x4x4xf32>, tensor<1x4x4xf32>) -> tensor<1x4x4xf32>
  %shape = tosa.const_shape {values = dense<[4, 1, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %xb = tosa.tile %x, %shape : (tensor<1x4x8xf32>, !tosa.shape<3>) -> tensor<4x4x8xf32>
  %y = tosa.matmul %xb, %w, %zp, %zp : (tensor<4x4x8xf32>, tensor<4x8x6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<4x4x6xf32>
  %gt = tosa.transpose %g {perms = array<i32: 2, 1, 0>} : (tensor<1x4x4xf32>) -> tensor<4x4x1xf32>
  %wy = tosa.mul %y, %gt, %shift : (tensor<4x4x6xf32>, tensor<4x4x1xf32>, tensor<1xi8>) -> tensor<4x4x6xf32>
  %out = tosa.reduce_sum %wy {axis = 0 : i32} : (tensor<4x4x6xf32>) -> tensor<1x4x6xf32>
  %unused = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<1x4x8xf32>) -> tensor<1x1x8xf32>
  return %out : tensor<1x4x6xf32>
}
