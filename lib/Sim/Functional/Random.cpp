//===- Random.cpp - Counter-based random numbers of the functional engine -===//

#include "mho/Sim/Functional/Random.h"

#include <cmath>

using namespace mho::sim::functional;

// Generated with Python's statistics.NormalDist().inv_cdf((k + 0.5) / 64),
// scaled by 129.2531 (so that the mean square of the rounded entries is
// 16379.19, within 3e-4 of 2^14) and rounded to the nearest integer.
const int16_t mho::sim::functional::NormalQuantiles[64] = {
    -312, -257, -228, -207, -190, -177, -165, -154, -144, -135, -126,
    -118, -111, -104, -97,  -90,  -84,  -78,  -72,  -66,  -60,  -55,
    -49,  -44,  -39,  -33,  -28,  -23,  -18,  -13,  -8,   -3,   3,
    8,    13,   18,   23,   28,   33,   39,   44,   49,   55,   60,
    66,   72,   78,   84,   90,   97,   104,  111,  118,  126,  135,
    144,  154,  165,  177,  190,  207,  228,  257,  312};

std::pair<double, double> mho::sim::functional::boxMuller(uint64_t word0,
                                                          uint64_t word1) {
  // u1 in (0, 1] so the logarithm is finite.
  double u1 = (double(word0 >> 11) + 1.0) * 0x1p-53;
  double u2 = toUnit(word1);
  double radius = std::sqrt(-2.0 * std::log(u1));
  double angle = 6.283185307179586476925 * u2;
  return {radius * std::cos(angle), radius * std::sin(angle)};
}
