//===- MvmResidue.cpp - What the residue kernel needs from a program ------===//
//
// The residue kernel (docs/FunctionalEngine.md, "Paths and kernels") computes
// an analog read's code from its column sums mod 2^8: with no clipping,
//
//   code = (S + w) >> r = (S + w - q) / 2^r,   q = (S + w) mod 2^r,
//
// w = n + offset + 2^(r-1) the read's noise and constants, so the sum over
// every read of +-2^(shift + p) * code is
//
//   (x_u . G^ + sum over reads of +-2^(shift + p) * (w - q)) / 2^r
//
// with x_u . G^ one exact integer product per batch (G^ the arrays' grids
// weighted as the shift-and-add weights them). q needs S mod 2^r only, which
// sums of bytes that wrap give at 64 columns per vector instead of 32.
//
// A read is left to the exact 16-bit conversion when it may clip: whether it
// can is decided from the number n of rows it drives alone, with the sums of
// each column's n smallest and n largest cells and the largest noise of a
// read that drives n rows.
//
//===----------------------------------------------------------------------===//

#include "MvmKernels.h"

#include <algorithm>

using namespace mho;
using namespace mho::sim::functional;

bool mho::sim::functional::residueKernelFits(const MvmArithmetic &arith) {
  if (!arith.isAnalog() || selectVectorKernel(arith) != VectorKernel::Int16 ||
      !cpuHasAvx512Vnni())
    return false;
  const isa::UnitConfig &config = arith.getConfig();
  const unsigned r = arith.getCodeShift();
  // x_u is one byte of the VNNI product; q comes from a byte.
  if (config.inputBits > 8 || r > 8)
    return false;
  // w packs into signed bytes (vpacksswb), and each array's sum over planes
  // of 2^p * (w - q) fits 16-bit lanes.
  const int64_t noise = arith.drivenRowMultipliers.empty()
                            ? 0
                            : getMaxNoise(arith.drivenRowMultipliers.back());
  const int64_t center = arith.getCodeConstant();
  const int64_t wMin = center - noise, wMax = center + noise;
  if (wMin < -128 || wMax > 127)
    return false;
  const int64_t tMax = std::max(wMax, ((int64_t{1} << r) - 1) - wMin);
  if (((int64_t{1} << config.planes) - 1) * tMax > 32767)
    return false;
  // 2^r times the largest accumulated sum fits an i32 (the sums before the
  // final shift wrap; only their total must fit).
  return (arith.getAccumulationBound() << r) <= uint64_t(INT32_MAX);
}

void mho::sim::functional::prepareResidue(const MvmArithmetic &arith,
                                          ProgrammedBlock &pb) {
  const isa::UnitConfig &config = arith.getConfig();
  const unsigned R = pb.rows, C = pb.cols;
  const unsigned k = config.adcShift, r = arith.getCodeShift();
  const unsigned chunks = pb.getResidueChunks();
  const size_t cells = size_t(R) * C;
  pb.residue = false;

  // G^ as two signed bytes.
  std::vector<int64_t> combined(cells, 0);
  for (unsigned a = 0; a < pb.arrays; ++a) {
    const unsigned shift = k + (a / pb.sliced.polarities) * config.cellBits;
    const bool negate = a % pb.sliced.polarities == 1;
    const int16_t *grid = pb.grid16.data() + a * cells;
    for (size_t c = 0; c < cells; ++c)
      combined[c] += (negate ? -int64_t(grid[c]) : int64_t(grid[c])) *
                     (int64_t{1} << shift);
  }
  const size_t plane = getVnniSize(R, C);
  std::vector<int8_t> packed(2 * plane, 0);
  for (unsigned i = 0; i < R; ++i)
    for (unsigned j = 0; j < C; ++j) {
      const int64_t g = combined[size_t(i) * C + j];
      const auto low = int8_t(uint8_t(g & 0xFF));
      const int64_t high = (g - low) / 256;
      if (high < INT8_MIN || high > INT8_MAX)
        return;
      packed[getVnniIndex(i, j, R)] = low;
      packed[plane + getVnniIndex(i, j, R)] = int8_t(high);
    }

  // The grids mod 2^8 in the kernel's column order, rows padded to whole
  // chunks (zero columns).
  const unsigned stride = pb.getResidueStride();
  pb.grid8.assign(size_t(pb.arrays) * R * stride, 0);
  for (unsigned a = 0; a < pb.arrays; ++a)
    for (unsigned i = 0; i < R; ++i)
      for (unsigned lane = 0; lane < stride; ++lane) {
        const unsigned j = lane / ResidueChunkWidth * ResidueChunkWidth +
                           getResidueColumn(lane % ResidueChunkWidth);
        if (j < C)
          pb.grid8[(size_t(a) * R + i) * stride + lane] =
              int8_t(uint8_t(pb.grid16[a * cells + size_t(i) * C + j] & 0xFF));
      }

  // Reads that cannot clip: with n rows driven, a column sum lies between
  // the sums of its n smallest and n largest cells, and the code is in
  // range when 0 <= S + w <= 2^(A + r) - 1.
  const int64_t center = arith.getCodeConstant();
  const int64_t top = (int64_t{1} << (config.adcBits + r)) - 1;
  std::vector<int64_t> noise(R + 1, 0);
  if (!arith.drivenRowMultipliers.empty())
    for (unsigned n = 0; n <= R; ++n)
      noise[n] = getMaxNoise(arith.drivenRowMultipliers[n]);
  pb.residueSafe.assign(size_t(pb.arrays) * chunks * (R + 1), 1);
  std::vector<int64_t> column(R), smallest(R + 1), largest(R + 1);
  for (unsigned a = 0; a < pb.arrays; ++a)
    for (unsigned j = 0; j < C; ++j) {
      for (unsigned i = 0; i < R; ++i)
        column[i] = pb.grid16[a * cells + size_t(i) * C + j];
      std::sort(column.begin(), column.end());
      smallest[0] = largest[0] = 0;
      for (unsigned n = 1; n <= R; ++n) {
        smallest[n] = smallest[n - 1] + column[n - 1];
        largest[n] = largest[n - 1] + column[R - n];
      }
      uint8_t *safe = pb.residueSafe.data() +
                      (size_t(a) * chunks + j / ResidueChunkWidth) * (R + 1);
      for (unsigned n = 0; n <= R; ++n)
        if (smallest[n] + center - noise[n] < 0 ||
            largest[n] + center + noise[n] > top)
          safe[n] = 0;
    }
  pb.combinedVnni = std::move(packed);
  pb.residue = true;
}

bool mho::sim::functional::residueKernelSuits(const ProgrammedBlock &pb,
                                              const InputBatch &batch,
                                              uint64_t &exactReads) {
  const unsigned chunks = pb.getResidueChunks();
  uint64_t mayClip = 0;
  for (size_t t = 0; t < size_t(pb.arrays) * chunks; ++t) {
    const uint8_t *safe = pb.residueSafe.data() + t * (pb.rows + 1);
    for (uint16_t ones : batch.planeOnes)
      mayClip += !safe[ones];
  }
  if (mayClip * 8 > uint64_t(pb.arrays) * chunks * batch.planeOnes.size())
    return false;
  exactReads = mayClip;
  return true;
}
