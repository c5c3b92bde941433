//===- MvmKernels.h - Internal state and kernels of the MVM units --------===//
//
// Not installed: the programmed state of a unit, a prepared input batch, and
// the kernels that multiply them. Every kernel computes the arithmetic that
// docs/FunctionalEngine.md states; the portable C++ kernels and the AVX-512
// kernels give identical results (test/Sim/Functional/MvmUnitTest.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef MHO_LIB_SIM_FUNCTIONAL_MVMKERNELS_H
#define MHO_LIB_SIM_FUNCTIONAL_MVMKERNELS_H

#include "mho/Sim/Functional/MvmUnit.h"
#include "mho/Sim/Functional/Random.h"

#include <cstdint>
#include <new>
#include <vector>

namespace mho::sim::functional {

/// Allocates whole cache lines (64-byte aligned). The 16-bit table kernel
/// loads 32 columns of a row as one vector; with C a multiple of 32, aligned
/// rows keep every such load on one cache line, so a table build fetches one
/// line per row (and the prefetch ahead of it covers it). Measured with the
/// benchmark's heap layout (16-byte aligned rows): builds 39 -> 15 us per
/// unit.
template <typename T> struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <typename U> CacheLineAllocator(const CacheLineAllocator<U> &) {}
  T *allocate(size_t n) {
    return static_cast<T *>(
        ::operator new(n * sizeof(T), std::align_val_t(64)));
  }
  void deallocate(T *p, size_t) { ::operator delete(p, std::align_val_t(64)); }
  template <typename U> bool operator==(const CacheLineAllocator<U> &) const {
    return true;
  }
  template <typename U> bool operator!=(const CacheLineAllocator<U> &) const {
    return false;
  }
};

/// The residue kernel: the analog 16-bit kernel's reads from column sums mod
/// 2^8 (64 columns per vector) plus one exact VNNI product per batch.
constexpr unsigned ResidueChunkWidth = 64;

/// What `wprog` leaves in a unit.
struct ProgrammedBlock {
  isa::SlicedWeights sliced;
  unsigned rows = 0, cols = 0;
  unsigned arrays = 0; ///< slices * polarities
  uint8_t weightBits = 0; ///< of the block

  /// Exact path: the block as i16, row-major, and (AVX-512 VNNI) packed i8
  /// in groups of 16 columns x 4 rows, with column sums.
  std::vector<int16_t> weights;
  std::vector<int8_t> vnniWeights;
  std::vector<int32_t> vnniColumnSums;

  /// Clip-only ideal path (k = 0, noise off): the columns of each array
  /// whose sum can exceed the ADC's full scale ((2^d - 1) * sum of levels
  /// > 2^A - 1); every other read converts exactly.
  bool clipOnly = false;
  std::vector<std::vector<uint32_t>> clipColumns;

  /// Levels widened to i16 ([array][row][col]) for the 16-bit ideal kernel.
  std::vector<int16_t, CacheLineAllocator<int16_t>> levels16;
  /// Analog: effective conductances in grid units ([array][row][col]); the
  /// i16 copy when the arithmetic is 16-bit.
  std::vector<int32_t> grid;
  std::vector<int16_t, CacheLineAllocator<int16_t>> grid16;
  /// Analog, PCM read noise: per-cell read-noise variance in level steps^2.
  std::vector<double> readVariance;

  /// The residue kernel (prepareResidue; docs/FunctionalEngine.md, "Paths
  /// and kernels"), when the arithmetic has it and the block fits it:
  /// - grid8: the grid mod 2^8, [array][row][getResidueStride()], each
  ///   64-column
  ///   chunk in the kernel's column order (getResidueColumn);
  /// - combinedVnni: G^ = sum over arrays of +-2^shift * grid, as two byte
  ///   planes (G^ = 256 * high + low, low signed) packed as packVnni packs;
  /// - residueSafe[(array * chunks + chunk) * (rows + 1) + n]: whether no
  ///   read of that chunk that drives n rows can clip.
  bool residue = false;
  std::vector<int8_t, CacheLineAllocator<int8_t>> grid8;
  std::vector<int8_t> combinedVnni;
  std::vector<uint8_t> residueSafe;

  /// Whether every read's column sum fits an i32 (rows x largest DAC level x
  /// largest |cell|), so the portable kernel sums in 32-bit lanes.
  bool sums32 = false;

  ProgrammingStats stats;

  /// The residue kernel's 64-column chunks of a row, and the row stride of
  /// grid8 (whole chunks).
  unsigned getResidueChunks() const {
    return (cols + ResidueChunkWidth - 1) / ResidueChunkWidth;
  }
  unsigned getResidueStride() const {
    return getResidueChunks() * ResidueChunkWidth;
  }

  const int32_t *getGrid(unsigned array) const {
    return grid.data() + size_t(array) * rows * cols;
  }
  const double *getReadVariance(unsigned array) const {
    return readVariance.data() + size_t(array) * rows * cols;
  }
};

/// A batch of input vectors prepared once per multiply.
struct InputBatch {
  unsigned count = 0;
  unsigned rows = 0;
  unsigned bits = 0;  ///< I: bit planes of x_u
  unsigned words = 0; ///< 64-bit words per bit plane (ceil(rows / 64))
  /// Bit t of x_u[i] for vector v: bit i%64 of masks[(v*bits + t)*words + i/64].
  std::vector<uint64_t> masks;
  /// X_v = sum_i x_u[i] (the unit's input adder).
  std::vector<int64_t> inputSums;
  /// Set bits of each bit plane (rows a 1-bit DAC drives), per (v, bit).
  std::vector<uint16_t> planeOnes;
  /// Gaussian read noise: multiplier per (v, plane); empty when none.
  std::vector<int64_t> noiseMultipliers;
  /// Read-noise stream keys per (v, array, plane), row-major; empty when
  /// there is no read noise (see MultiplyContext::getReadKeyId).
  std::vector<uint64_t> readKeys;
  /// x_u as bytes, rows padded to a multiple of 4 (VNNI exact path only).
  std::vector<uint8_t> offsetInputs;
  unsigned paddedRows = 0;

  /// Sizes the bit planes, input sums and set-bit counts of `count` vectors
  /// of `rows` rows and `bits` input bits, all zero.
  void reset(unsigned count, unsigned rows, unsigned bits) {
    this->count = count;
    this->rows = rows;
    this->bits = bits;
    words = (rows + 63) / 64;
    masks.assign(size_t(count) * bits * words, 0);
    inputSums.assign(count, 0);
    planeOnes.assign(size_t(count) * bits, 0);
  }

  const uint64_t *getMask(unsigned v, unsigned bit) const {
    return masks.data() + (size_t(v) * bits + bit) * words;
  }
  /// The DAC level of row i in plane p (d bits of x_u).
  unsigned getDacLevel(unsigned v, unsigned plane, unsigned dacBits,
                       unsigned row) const {
    unsigned level = 0;
    for (unsigned t = 0; t < dacBits && plane * dacBits + t < bits; ++t)
      level |= unsigned((getMask(v, plane * dacBits + t)[row / 64] >>
                         (row % 64)) & 1)
               << t;
    return level;
  }
};

/// Everything a kernel needs for one multiply.
struct MultiplyContext {
  const MvmArithmetic &arith;
  const ProgrammedBlock &block;
  const InputBatch &batch;
  uint64_t invocationKey; ///< read-noise stream of this instruction
  unsigned firstVector;

  /// The id of (vector v, array, plane) in the read-noise stream: its key is
  /// deriveKey(invocationKey, id).
  uint64_t getReadKeyId(unsigned v, unsigned array, unsigned plane) const;
  /// The same, precomputed in batch.readKeys.
  uint64_t getBatchReadKey(unsigned v, unsigned array, unsigned plane) const {
    return batch.readKeys[(size_t(v) * block.arrays + array) *
                              arith.getConfig().planes +
                          plane];
  }
};

//===----------------------------------------------------------------------===//
// Portable kernels
//===----------------------------------------------------------------------===//

/// Columns [c0, c0 + width) of every vector: all reads with the shift-and-add
/// of isa::accumulateRead into `acc` ([count][cols]).
void portableChunk(const MultiplyContext &ctx, unsigned c0, unsigned width,
                   isa::ShiftAddState *acc);
/// The exact integer product y = x_sat . w of `count` vectors ([count][cols]).
void portableExact(const ProgrammedBlock &block, const isa::UnitConfig &config,
                   const int8_t *inputs, size_t inputStride, unsigned count,
                   unsigned c0, unsigned width, int32_t *outputs);

//===----------------------------------------------------------------------===//
// AVX-512 kernels (MvmKernelsAvx512.cpp; call only when cpuHasAvx512())
//===----------------------------------------------------------------------===//

/// Column chunk widths of the vector kernels.
constexpr unsigned U8ChunkWidth = 64;
constexpr unsigned I16ChunkWidth = 32;

/// Which vector kernel fits a multiply, if any.
enum class VectorKernel { None, IdealU8, Int16 };
VectorKernel selectVectorKernel(const MvmArithmetic &arith);

/// From this many vectors on, the table kernels group rows by six (22 lookups
/// per read of 128 rows instead of 32), for tables four times the lines of
/// the four-row ones (82 KiB for R = 128: beyond L1, and building them is
/// bound by stores), and the analog path may run the residue kernel.
/// Measured with noise on, R = C = 128, 16-bit kernel: four-row tables are
/// faster for 8 vectors, six-row ones for 12 (by 7 %) and more.
constexpr unsigned Table6MinBatch = 10;

/// Whether the residue kernel fits the arithmetic (the block may still not:
/// ProgrammedBlock::residue).
bool residueKernelFits(const MvmArithmetic &arith);
/// The column (within its 64-column chunk) that byte lane `lane` of the
/// residue kernel's vectors holds: vpacksswb's order of two 32-column halves.
inline unsigned getResidueColumn(unsigned lane) {
  return lane % 16 < 8 ? 8 * (lane / 16) + lane % 8
                       : 32 + 8 * (lane / 16) + lane % 8;
}
/// The largest |read noise| in grid units with noise multiplier m: the
/// largest sample times m, rounded as the kernels round, plus one.
inline int64_t getMaxNoise(int64_t multiplier) {
  return (int64_t(MaxNormalSample) * multiplier + (1 << 14)) / (1 << 15) + 1;
}
/// Fills the residue kernel's state of an analog block whose grid16 is set
/// (ProgrammedBlock::residue stays false when the block does not fit it).
/// The state holds `arith`'s offset and noise: multiplies must use the
/// arithmetic the block was programmed with, as every MvmUnit's must.
void prepareResidue(const MvmArithmetic &arith, ProgrammedBlock &pb);
/// Whether the residue kernel suits `batch` on a block that has it: at most
/// 1/8 of its reads of a 64-column chunk may clip (each of those is converted
/// exactly from a direct sum of the rows it drives; beyond that the 16-bit
/// kernel is faster). `exactReads` is set to their count when it suits.
bool residueKernelSuits(const ProgrammedBlock &pb, const InputBatch &batch,
                        uint64_t &exactReads);

/// The 8-bit saturating kernel (ideal, k = 0, A <= 8, d = 1): int32 `acc`
/// ([count][cols], plain sums; the arithmetic must be isShiftAddExact()).
void avx512IdealU8Chunk(const MultiplyContext &ctx, unsigned c0,
                        unsigned width, int32_t *acc);
/// The 16-bit kernel (ideal with 16-bit sums, or analog fixed16), d = 1, for
/// vectors [vFirst, vEnd).
void avx512Int16Chunk(const MultiplyContext &ctx, unsigned c0, unsigned width,
                      unsigned vFirst, unsigned vEnd, int32_t *acc);
/// Packs a block for avx512ExactChunk (vnniWeights, vnniColumnSums).
void packVnni(ProgrammedBlock &block);
/// The VNNI packing of an R x C byte matrix: groups of 16 columns x 4 rows.
inline size_t getVnniSize(unsigned R, unsigned C) {
  return size_t((C + 15) / 16) * ((R + 3) / 4) * 64;
}
inline size_t getVnniIndex(unsigned row, unsigned col, unsigned R) {
  return ((size_t(col / 16) * ((R + 3) / 4) + row / 4) * 16 + col % 16) * 4 +
         row % 4;
}
/// The residue kernel for vectors [vFirst, vEnd) and columns [c0, c0 +
/// width), c0 a multiple of 64: writes to `acc`, which must be zero there, the
/// sum of every read's code times its shift weight, as the 16-bit kernel adds
/// it. batch.offsetInputs must be prepared.
void avx512ResidueChunk(const MultiplyContext &ctx, unsigned c0, unsigned width,
                        unsigned vFirst, unsigned vEnd, int32_t *acc);
/// Exact product with VNNI: columns [c0, c0 + width), width a multiple of 16
/// or the tail; batch.offsetInputs must be prepared.
void avx512ExactChunk(const ProgrammedBlock &block, const InputBatch &batch,
                      unsigned c0, unsigned width, int32_t *outputs);
/// out[i] = deriveKey(key, first + i) for i < n.
void avx512DeriveKeys(uint64_t key, uint64_t first, size_t n, uint64_t *out);
/// The digital correction of the table kernels: outputs[v][j] =
/// sat32(acc[v][j] + columnTerms[j] + vectorTerms[v]), `count` x C.
void avx512Correct(const int32_t *acc, const int64_t *columnTerms,
                   const int64_t *vectorTerms, unsigned count, unsigned C,
                   int32_t *outputs);
/// Bit planes of x_u, their set bits and the input sums of vectors
/// [first, end) into `batch` (reset() for all of them): the AVX-512 form of
/// prepareBatch's loop.
void avx512PrepareMasks(const int8_t *inputs, size_t inputStride,
                        unsigned first, unsigned end, InputBatch &batch);

} // namespace mho::sim::functional

#endif // MHO_LIB_SIM_FUNCTIONAL_MVMKERNELS_H
