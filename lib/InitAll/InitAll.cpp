//===- InitAll.cpp - Register every dialect and pass mho-based tools use --===//

#include "mho/InitAll.h"

#include "mho/Conversion/Passes.h"
#include "mho/Dialect/CIM/IR/CIMDialect.h"
#include "mho/Dialect/CIM/Transforms/Passes.h"
#include "mho/Dialect/XBar/IR/XBarDialect.h"
#include "mho/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void mho::registerAllDialects(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mho::cim::CIMDialect>();
  registry.insert<mho::xbar::XBarDialect>();
}

void mho::registerAllPasses() {
  mlir::registerAllPasses();
  mho::registerConversionPasses();
  mho::registerTosaToCIMPipeline();
  mho::registerCIMCompilePipeline();
  mho::cim::registerCIMPasses();
  mho::registerTransformsPasses();
}
