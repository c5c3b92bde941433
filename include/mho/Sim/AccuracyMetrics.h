//===- AccuracyMetrics.h - How far a result is from its reference ---------===//
//
// The accuracy figures mho reports per layer and at the output, comparing a
// result (CIM, BF16, FP16) with the FP32 reference of the same input.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SIM_ACCURACYMETRICS_H
#define MHO_SIM_ACCURACYMETRICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <optional>

namespace mho::sim {

struct AccuracyMetrics {
  int64_t elements = 0;
  /// 10·log10(Σ ref² / Σ (ref − x)²); +inf when identical.
  double snrDb = 0;
  /// ⟨ref, x⟩ / (‖ref‖·‖x‖); 1 when both are zero.
  double cosine = 0;
  double maxAbsError = 0;
  double meanAbsError = 0;
  /// Rows (last axis = classes) whose arg-max agrees, over all rows.
  double top1Agreement = 0;
  /// Rows whose arg-max equals the label, when labels are given.
  std::optional<double> taskAccuracy;
  /// Same, for the reference itself.
  std::optional<double> referenceTaskAccuracy;
};

/// Compares `result` with `reference` (same size). `classes` is the length of
/// the last axis for arg-max agreement (0: the whole tensor is one row).
/// `labels` (one per row) enables task accuracy.
AccuracyMetrics compare(llvm::ArrayRef<float> reference,
                        llvm::ArrayRef<float> result, int64_t classes,
                        llvm::ArrayRef<int64_t> labels = {});

llvm::json::Value toJSON(const AccuracyMetrics &metrics);

} // namespace mho::sim

#endif // MHO_SIM_ACCURACYMETRICS_H
