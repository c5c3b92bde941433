//===- MvmKernelsPortable.cpp - Plain C++ kernels of the MVM units -------===//
//
// The kernels every CPU runs: direct column sums per read (vectorisable over
// columns), the ISA library's ADC and shift-and-add, and the exact integer
// product. They define the same arithmetic as the AVX-512 kernels and cover
// every configuration those do not (DACs wider than one bit, saturating
// shift-and-add, PCM read noise, wide grids).
//
//===----------------------------------------------------------------------===//

#include "MvmKernels.h"

#include "mho/ISA/Arithmetic.h"
#include "mho/Sim/Functional/Random.h"

#include <cmath>

using namespace mho;
using namespace mho::sim::functional;

namespace {

/// portableChunk with column sums in `Sum` (i32 where ProgrammedBlock::sums32
/// allows, i64 otherwise). Compiled for AVX-512, AVX2 and baseline x86-64 and
/// chosen when loaded (GCC target_clones): the sum loops vectorise over
/// columns, 16, 8 or 4 i32 lanes at a time (measured on the benchmark's
/// noise-on configuration: 0.06 GMAC/s with i64 sums, baseline only).
template <typename Sum>
__attribute__((target_clones("avx512f", "avx2", "default"))) void
chunk(const MultiplyContext &ctx, unsigned c0, unsigned width,
      isa::ShiftAddState *acc) {
  const MvmArithmetic &arith = ctx.arith;
  const ProgrammedBlock &pb = ctx.block;
  const InputBatch &batch = ctx.batch;
  const isa::UnitConfig &config = arith.getConfig();
  const unsigned R = pb.rows, C = pb.cols, P = config.planes;
  const bool analog = arith.isAnalog();
  const double scale = std::ldexp(1.0, int(arith.getGridBits()));

  // DAC levels of every (vector, plane, row).
  std::vector<int32_t> dac(size_t(batch.count) * P * R);
  for (unsigned v = 0; v < batch.count; ++v)
    for (unsigned p = 0; p < P; ++p)
      for (unsigned i = 0; i < R; ++i)
        dac[(size_t(v) * P + p) * R + i] =
            int32_t(batch.getDacLevel(v, p, config.dacBits, i));

  std::vector<Sum> sums(width);
  std::vector<double> variance(width);
  std::vector<int32_t> codes(width), samples(width);
  const std::vector<isa::MvmRead> order = isa::getReadOrder(config);
  for (size_t r = 0; r < order.size(); ++r) {
    const isa::MvmRead &read = order[r];
    const unsigned array = read.slice * pb.sliced.polarities + read.polarity;
    const uint8_t *levels = pb.sliced.getLevels(read.slice, read.polarity);
    const int32_t *grid = analog ? pb.getGrid(array) : nullptr;
    for (unsigned v = 0; v < batch.count; ++v) {
      const int32_t *d = dac.data() + (size_t(v) * P + read.plane) * R;
      // A row adds its cells times the DAC level. With 1-bit DACs every row
      // adds its cells masked by the level (0 or all ones), without a branch
      // on random input bits; with wider DACs rows at level 0 are skipped. A
      // whole 32-column chunk keeps its sums in registers across the rows.
      // Measured on the benchmark's reads: 0.13 -> 0.20 GMAC/s.
      auto sumRows = [&](const auto *cells, auto n) {
        constexpr unsigned N = decltype(n)::value;
        const unsigned w = N ? N : width;
        Sum t[N ? N : 1];
        Sum *s = N ? t : sums.data();
        std::fill(s, s + w, 0);
        for (unsigned i = 0; i < R; ++i) {
          const Sum level = d[i];
          const auto *row = cells + size_t(i) * C + c0;
          if (config.dacBits == 1) {
            for (unsigned j = 0; j < w; ++j)
              s[j] += Sum(row[j]) & -level;
          } else if (level != 0) {
            for (unsigned j = 0; j < w; ++j)
              s[j] += level * Sum(row[j]);
          }
        }
        if (N)
          std::copy(t, t + w, sums.data());
      };
      auto sumColumns = [&](const auto *cells) {
        if (width == 32)
          sumRows(cells, std::integral_constant<unsigned, 32>());
        else
          sumRows(cells, std::integral_constant<unsigned, 0>());
      };
      if (analog)
        sumColumns(grid);
      else
        sumColumns(levels);
      if (!analog) {
        for (unsigned j = 0; j < width; ++j)
          codes[j] = isa::adcConvert(config, sums[j]);
      } else {
        if (arith.pcmReadNoise) {
          std::fill(variance.begin(), variance.end(), 0.0);
          const double *var = pb.getReadVariance(array);
          for (unsigned i = 0; i < R; ++i) {
            if (d[i] == 0)
              continue;
            double weight = double(int64_t(d[i]) * d[i]);
            const double *row = var + size_t(i) * C + c0;
            for (unsigned j = 0; j < width; ++j)
              variance[j] += weight * row[j];
          }
        }
        int64_t multiplier =
            batch.noiseMultipliers.empty()
                ? 0
                : batch.noiseMultipliers[size_t(v) * P + read.plane];
        if (!batch.readKeys.empty())
          readNoiseSamples(ctx.getBatchReadKey(v, array, read.plane), c0, width,
                           samples.data());
        for (unsigned j = 0; j < width; ++j) {
          int64_t m = multiplier;
          if (arith.pcmReadNoise)
            m = arith.getNoiseMultiplier(std::sqrt(variance[j]) * scale);
          codes[j] = analogCode(arith, sums[j], m, m != 0 ? samples[j] : 0);
        }
      }
      isa::ShiftAddState *a = acc + size_t(v) * C + c0;
      if (arith.isShiftAddExact()) {
        // No step can saturate: isa::shiftAddStep is a plain sum.
        for (unsigned j = 0; j < width; ++j) {
          const int64_t term = int64_t(codes[j]) << read.shift;
          a[j].acc = (r == 0 ? 0 : a[j].acc) + (read.negate ? -term : term);
        }
      } else {
        isa::accumulateRead(config, read, r == 0, codes, {a, width});
      }
    }
  }
}

} // namespace

void mho::sim::functional::portableChunk(const MultiplyContext &ctx,
                                         unsigned c0, unsigned width,
                                         isa::ShiftAddState *acc) {
  if (ctx.block.sums32)
    chunk<int32_t>(ctx, c0, width, acc);
  else
    chunk<int64_t>(ctx, c0, width, acc);
}

void mho::sim::functional::portableExact(const ProgrammedBlock &block,
                                         const isa::UnitConfig &config,
                                         const int8_t *inputs,
                                         size_t inputStride, unsigned count,
                                         unsigned c0, unsigned width,
                                         int32_t *outputs) {
  const unsigned R = block.rows, C = block.cols;
  std::vector<int32_t> y(width);
  for (unsigned v = 0; v < count; ++v) {
    std::fill(y.begin(), y.end(), 0);
    const int8_t *x = inputs + v * inputStride;
    for (unsigned i = 0; i < R; ++i) {
      int32_t xi = int32_t(isa::saturate(x[i], config.inputBits));
      if (xi == 0)
        continue;
      const int16_t *row = block.weights.data() + size_t(i) * C + c0;
      int32_t *out = y.data();
      for (unsigned j = 0; j < width; ++j)
        out[j] += xi * int32_t(row[j]);
    }
    std::copy(y.begin(), y.end(), outputs + size_t(v) * C + c0);
  }
}

