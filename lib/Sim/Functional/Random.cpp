//===- Random.cpp - Counter-based random numbers of the functional engine -===//

#include "mho/Sim/Functional/Random.h"

#include <cmath>

using namespace mho::sim::functional;

// Generated with Python's statistics.NormalDist().inv_cdf((k + 0.5) / 16)
// times 33.29 (values 2.61, 7.90, 13.39, 19.28, 25.85, 33.62, 43.88, 62.01 for
// k = 8..15), each rounded up or down so that the mean square of the entries,
// 1023.875, is as close to 2^10 as such roundings get (a sample, four times
// the sum of four entries, then has variance 16 * 4 * 1023.875 = 0.99988 *
// 2^16).
const int8_t mho::sim::functional::NormalQuantiles[16] = {
    -62, -44, -34, -25, -19, -14, -8, -3, 3, 8, 14, 19, 25, 34, 44, 62};

std::pair<double, double> mho::sim::functional::boxMuller(uint64_t word0,
                                                          uint64_t word1) {
  // u1 in (0, 1] so the logarithm is finite.
  double u1 = (double(word0 >> 11) + 1.0) * 0x1p-53;
  double u2 = toUnit(word1);
  double radius = std::sqrt(-2.0 * std::log(u1));
  double angle = 6.283185307179586476925 * u2;
  return {radius * std::cos(angle), radius * std::sin(angle)};
}
