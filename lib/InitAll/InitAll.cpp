//===- InitAll.cpp - Register every dialect and pass mho-based tools use --===//

#include "mho/InitAll.h"

#include "mho/Dialect/CIM/IR/CIMDialect.h"
#include "mho/Dialect/CIM/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void mho::registerAllDialects(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mho::cim::CIMDialect>();
}

void mho::registerAllPasses() {
  mlir::registerAllPasses();
  mho::cim::registerCIMPasses();
}
