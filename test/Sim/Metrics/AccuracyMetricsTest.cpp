//===- AccuracyMetricsTest.cpp - Accuracy figures -------------------------===//

#include "mho/Sim/AccuracyMetrics.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mho::sim;

TEST(AccuracyMetrics, IdenticalTensors) {
  std::vector<float> a = {1, -2, 3, 4};
  AccuracyMetrics m = compare(a, a, 2);
  EXPECT_TRUE(std::isinf(m.snrDb));
  EXPECT_DOUBLE_EQ(m.cosine, 1);
  EXPECT_EQ(m.maxAbsError, 0);
  EXPECT_EQ(m.top1Agreement, 1);
  EXPECT_EQ(toJSON(m).getAsObject()->get("snr_db")->kind(), llvm::json::Value::Null);
}

TEST(AccuracyMetrics, KnownErrors) {
  std::vector<float> ref = {3, 4, 0, 0};
  std::vector<float> res = {3, 4, 1, 0};
  AccuracyMetrics m = compare(ref, res, 2);
  EXPECT_NEAR(m.snrDb, 10 * std::log10(25.0 / 1.0), 1e-12);
  EXPECT_NEAR(m.cosine, 25 / (5 * std::sqrt(26.0)), 1e-12);
  EXPECT_EQ(m.maxAbsError, 1);
  EXPECT_DOUBLE_EQ(m.meanAbsError, 0.25);
  // Row 0 argmax 1 vs 1; row 1 argmax 0 vs 0 (ties keep the first index).
  EXPECT_EQ(m.top1Agreement, 1);
}

TEST(AccuracyMetrics, Top1AndTaskAccuracy) {
  std::vector<float> ref = {0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f};
  std::vector<float> res = {0.6f, 0.4f, 0.9f, 0.1f, 0.2f, 0.8f};
  std::vector<int64_t> labels = {1, 0, 0};
  AccuracyMetrics m = compare(ref, res, 2, labels);
  EXPECT_DOUBLE_EQ(m.top1Agreement, 2.0 / 3);
  ASSERT_TRUE(m.taskAccuracy && m.referenceTaskAccuracy);
  EXPECT_DOUBLE_EQ(*m.taskAccuracy, 1.0 / 3);
  EXPECT_DOUBLE_EQ(*m.referenceTaskAccuracy, 2.0 / 3);
}
