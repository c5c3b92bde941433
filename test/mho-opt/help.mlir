// mho-opt registers upstream passes and dialects like mlir-opt.
// RUN: mho-opt --help | FileCheck %s

// CHECK: Available Dialects: {{.*}}linalg{{.*}}ml_program{{.*}}tosa
// CHECK-DAG: --canonicalize
// CHECK-DAG: --cse
// CHECK-DAG: --linalg-generalize-named-ops
// CHECK-DAG: --one-shot-bufferize
// CHECK-DAG: --tosa-to-linalg
