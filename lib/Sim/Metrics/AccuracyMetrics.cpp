//===- AccuracyMetrics.cpp - How far a result is from its reference -------===//

#include "mho/Sim/AccuracyMetrics.h"

#include <cassert>
#include <cmath>
#include <limits>

using namespace mho::sim;

static int64_t argMax(llvm::ArrayRef<float> row) {
  int64_t best = 0;
  for (int64_t i = 1, e = row.size(); i < e; ++i)
    if (row[i] > row[best])
      best = i;
  return best;
}

AccuracyMetrics mho::sim::compare(llvm::ArrayRef<float> reference,
                                  llvm::ArrayRef<float> result,
                                  int64_t classes,
                                  llvm::ArrayRef<int64_t> labels) {
  assert(reference.size() == result.size() && "compared tensors differ in size");
  AccuracyMetrics m;
  m.elements = reference.size();
  // Accumulate in double so that large tensors do not lose the small errors.
  double signal = 0, noise = 0, dot = 0, refNorm = 0, resNorm = 0, absSum = 0;
  for (int64_t i = 0; i < m.elements; ++i) {
    double r = reference[i], x = result[i], e = r - x;
    signal += r * r;
    noise += e * e;
    dot += r * x;
    refNorm += r * r;
    resNorm += x * x;
    absSum += std::fabs(e);
    m.maxAbsError = std::max(m.maxAbsError, std::fabs(e));
  }
  m.snrDb = noise == 0 ? std::numeric_limits<double>::infinity()
                       : 10 * std::log10(signal / noise);
  m.cosine = (refNorm == 0 && resNorm == 0)
                 ? 1
                 : dot / (std::sqrt(refNorm) * std::sqrt(resNorm));
  m.meanAbsError = m.elements ? absSum / m.elements : 0;

  int64_t width = classes > 0 ? classes : std::max<int64_t>(m.elements, 1);
  int64_t rows = m.elements / width, agree = 0, correct = 0, refCorrect = 0;
  for (int64_t row = 0; row < rows; ++row) {
    int64_t a = argMax(reference.slice(row * width, width));
    int64_t b = argMax(result.slice(row * width, width));
    agree += a == b;
    if (!labels.empty()) {
      correct += b == labels[row];
      refCorrect += a == labels[row];
    }
  }
  m.top1Agreement = rows ? double(agree) / rows : 1;
  if (!labels.empty() && rows) {
    assert(labels.size() == static_cast<size_t>(rows) && "one label per row");
    m.taskAccuracy = double(correct) / rows;
    m.referenceTaskAccuracy = double(refCorrect) / rows;
  }
  return m;
}

llvm::json::Value mho::sim::toJSON(const AccuracyMetrics &m) {
  llvm::json::Object o{{"elements", m.elements},
                       {"cosine", m.cosine},
                       {"max_abs_error", m.maxAbsError},
                       {"mean_abs_error", m.meanAbsError},
                       {"top1_agreement", m.top1Agreement}};
  // JSON has no infinity: an exact match reports snr_db as null.
  if (std::isinf(m.snrDb))
    o["snr_db"] = nullptr;
  else
    o["snr_db"] = m.snrDb;
  if (m.taskAccuracy)
    o["task_accuracy"] = *m.taskAccuracy;
  if (m.referenceTaskAccuracy)
    o["reference_task_accuracy"] = *m.referenceTaskAccuracy;
  return o;
}
