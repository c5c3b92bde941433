//===- mho-opt.cpp - mlir-opt for mho's dialects and passes ---------------===//
//
// Parses, verifies, transforms and prints MLIR exactly like mlir-opt, with
// mho's dialects and passes registered beside every upstream one.
//
//===----------------------------------------------------------------------===//

#include "mho/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mho::registerAllDialects(registry);
  mho::registerAllPasses();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "mho optimizer driver (MLIR 22 + cim/xbar)\n", registry));
}
