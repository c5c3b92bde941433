//===- ReferenceExecutor.h - Run the input model on the host --------------===//
//
// The accuracy baselines every CIM result is shown beside: the input model
// (linalg, TOSA, tensor, arith, math, ml_program, func, as exporters emit it)
// executed on the host CPU in FP32, or with the GPU's own number formats
// emulated by rounding every op's result (and the inputs and weights) to BF16 or
// FP16 while arithmetic inside an op stays FP32, as tensor cores accumulate.
// The model is lowered with upstream passes to the LLVM dialect and compiled by
// MLIR's ExecutionEngine.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_REFERENCE_REFERENCEEXECUTOR_H
#define MHO_REFERENCE_REFERENCEEXECUTOR_H

#include "mho/Support/HostTensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace mho::reference {

enum class Precision { F32, BF16, F16 };

llvm::StringRef precisionName(Precision precision);

struct ReferenceOptions {
  Precision precision = Precision::F32;
  /// Function to run; empty selects the module's only public function.
  std::string entry;
};

/// Shape and element type of one function argument or result.
struct TensorSignature {
  ElementType type;
  llvm::SmallVector<int64_t, 4> shape;
};

class ReferenceExecutor {
public:
  /// Compiles `module` (consumed). Fails with a diagnostic-style message when
  /// the entry is missing or dynamic, a weight is elided, or lowering fails.
  static llvm::Expected<std::unique_ptr<ReferenceExecutor>>
  create(mlir::OwningOpRef<mlir::ModuleOp> module,
         const ReferenceOptions &options);

  ~ReferenceExecutor();

  const std::vector<TensorSignature> &inputs() const { return inputs_; }
  const std::vector<TensorSignature> &outputs() const { return outputs_; }

  /// Runs the entry on `args`, whose types and shapes must match inputs().
  llvm::Expected<std::vector<HostTensor>> run(llvm::ArrayRef<HostTensor> args);

private:
  ReferenceExecutor() = default;

  std::unique_ptr<mlir::ExecutionEngine> engine_;
  std::string entry_;
  std::vector<TensorSignature> inputs_, outputs_;
};

} // namespace mho::reference

#endif // MHO_REFERENCE_REFERENCEEXECUTOR_H
