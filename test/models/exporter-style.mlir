// The model generator writes IR that mho-opt parses and verifies, at full size
// with elided weights and at small size with real blobs and globals.
// RUN: %python %mho_src/models/gen_transformer_ir.py bert | mho-opt | FileCheck %s --check-prefix=BERT
// RUN: %python %mho_src/models/gen_transformer_ir.py bert | mho-opt | grep -c "= linalg.matmul" | FileCheck %s --check-prefix=BERT-MM
// RUN: %python %mho_src/models/gen_transformer_ir.py bert | mho-opt | grep -c "= linalg.batch_matmul" | FileCheck %s --check-prefix=BERT-BMM
// RUN: %python %mho_src/models/gen_transformer_ir.py gpt2 | mho-opt | FileCheck %s --check-prefix=GPT2
// RUN: %python %mho_src/models/gen_transformer_ir.py llama | mho-opt | FileCheck %s --check-prefix=LLAMA
// RUN: %python %mho_src/models/gen_transformer_ir.py moe | mho-opt | FileCheck %s --check-prefix=MOE
// RUN: %python %mho_src/models/gen_transformer_ir.py bert --layers 1 --hidden 32 --heads 2 --ffn 64 --seq 8 --weights random | mho-opt | FileCheck %s --check-prefix=BLOB
// RUN: %python %mho_src/models/gen_transformer_ir.py gpt2 --layers 1 --hidden 32 --heads 2 --ffn 64 --seq 8 --vocab 100 --weights globals | mho-opt | FileCheck %s --check-prefix=GLOBALS
// RUN: not %python %mho_src/models/gen_transformer_ir.py bert --hidden 30 --heads 4 2>&1 | FileCheck %s --check-prefix=BAD

// BERT: func.func @forward(%arg0: tensor<1x128x768xf32>) -> tensor<1x128x768xf32>
// BERT: math.erf
// BERT: math.rsqrt
// 12 layers x (Q, K, V, O, FFN in, FFN out); 12 x (QK^T, PV).
// BERT-MM: {{^}}72{{$}}
// BERT-BMM: {{^}}24{{$}}

// GPT2: func.func @forward(%arg0: tensor<1x128x768xf32>) -> tensor<1x128x50257xf32>
// GPT2: linalg.index
// GPT2: math.tanh
// GPT2: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<128x768xf32>, tensor<768x50257xf32>)

// LLAMA: func.func @decoder_layer(%{{.*}}: tensor<1x64x896xf32>, %{{.*}}: tensor<1x1x896xf32>, %{{.*}}: tensor<1x896x896xf32>, %{{.*}}: tensor<1x896x128xf32>
// LLAMA: tosa.rsqrt
// LLAMA: tosa.slice
// LLAMA: tosa.concat
// LLAMA: tosa.matmul %{{.*}} : (tensor<2x448x64xf32>, tensor<2x64x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x448x64xf32>
// LLAMA: tosa.sigmoid

// MOE: func.func @moe_ffn(%{{.*}}: tensor<1x16x4096xf32>, %{{.*}}: tensor<1x4096x8xf32>, %{{.*}}: tensor<8x4096x14336xf32>
// MOE: tosa.select
// MOE: tosa.tile
// MOE: tosa.matmul %{{.*}} : (tensor<8x16x4096xf32>, tensor<8x4096x14336xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<8x16x14336xf32>

// BLOB: arith.constant dense_resource<torch_tensor_32_32_encoder_layer_0_attention_query_weight> : tensor<32x32xf32>
// BLOB: dialect_resources

// GLOBALS: ml_program.global private @transformer.h.0.attn.query.weight(dense_resource<
// GLOBALS: ml_program.global_load_const @transformer.h.0.attn.query.weight : tensor<32x32xf32>

// BAD: error: --hidden 30 is not a multiple of --heads 4
