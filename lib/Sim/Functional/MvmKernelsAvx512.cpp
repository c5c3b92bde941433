//===- MvmKernelsAvx512.cpp - AVX-512 kernels of the MVM units -----------===//
//
// Built with GCC target attributes (not -m flags), so the library runs on any
// x86-64 and picks these at run time (cpuHasAvx512()).
//
// Bit-sliced reads with 1-bit DACs are products of binary input planes with
// small integer (or grid) matrices. The table kernels group rows by four (or,
// for the 16-bit kernel and batches of 10 vectors or more, by six): for each
// group and column chunk a table holds every subset sum of the group's rows,
// so one read of one input plane costs R/4 (about R/6) vector additions of
// table rows instead of R multiply-adds (the "four Russians" method). Sums are
// exact: 8-bit saturating when the ADC clips at 255 anyway (k = 0, A <= 8:
// saturation computes min(a, 255) exactly), 16-bit otherwise. The 16-bit
// kernel also carries the analog pipeline in fixed point: read noise (two
// AES rounds of counters, 16 bits per sample, and a 16-point quantile table
// looked up with vpshufb), ADC offset, the ADC's rounding and clipping. The
// residue kernel computes the same codes from 8-bit sums that wrap (column
// sums mod 2^8) and one exact VNNI product per batch (MvmResidue.cpp).
//
//===----------------------------------------------------------------------===//

#include "MvmKernels.h"

#include "mho/Sim/Functional/Random.h"

// GCC 12's AVX-512 headers initialise "undefined" vectors from themselves
// (_mm512_undefined_*), which -Wuninitialized reports at the header's lines
// once inlined here.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <algorithm>
#include <memory>
#include <type_traits>

using namespace mho;
using namespace mho::sim::functional;

#define MHO_AVX512                                                             \
  __attribute__((                                                              \
      target("avx512f,avx512bw,avx512dq,avx512vl,popcnt,bmi2,aes,vaes")))
#define MHO_INLINE __attribute__((always_inline))
#define MHO_AVX512_VNNI                                                       \
  __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni")))

VectorKernel
mho::sim::functional::selectVectorKernel(const MvmArithmetic &arith) {
  if (arith.getKernel() != KernelChoice::Auto || !cpuHasAvx512())
    return VectorKernel::None;
  const isa::UnitConfig &config = arith.getConfig();
  if (config.dacBits != 1 || !arith.isShiftAddExact())
    return VectorKernel::None;
  const uint64_t fullScale = (uint64_t{1} << config.adcBits) - 1;
  // Planes of one array are summed in 16-bit lanes.
  if (fullScale * ((uint64_t{1} << config.planes) - 1) > 65535)
    return VectorKernel::None;
  const unsigned cellMax = (1u << config.cellBits) - 1;
  if (!arith.isAnalog()) {
    if (config.adcShift == 0 && config.adcBits <= 8 && 4 * cellMax <= 255)
      return VectorKernel::IdealU8;
    uint64_t round = config.adcShift ? uint64_t{1} << (config.adcShift - 1) : 0;
    if (uint64_t(config.rows) * cellMax + round <= 32767 &&
        config.adcBits <= 14)
      return VectorKernel::Int16;
    return VectorKernel::None;
  }
  if (arith.isFixed16() && !arith.pcmReadNoise)
    return VectorKernel::Int16;
  return VectorKernel::None;
}

namespace {

/// 64-byte aligned scratch, one per thread, grown as needed.
struct alignas(64) Line {
  uint8_t bytes[64];
};
Line *getTable(size_t lines) {
  thread_local std::vector<Line> storage;
  if (storage.size() < lines)
    storage.resize(lines);
  return storage.data();
}

//===----------------------------------------------------------------------===//
// Tables and lookups
//===----------------------------------------------------------------------===//

/// The row groups of the tables: each 64-row word of a bit plane splits
/// into 64 / K groups of K rows and, when K does not divide 64, one group of
/// the remaining rows, so no group straddles two mask words. A group of n rows
/// has 2^n table lines (every subset sum), stored one group after the other.
template <unsigned K> struct RowGroups {
  static constexpr unsigned Full = 64 / K;
  static constexpr unsigned Rest = 64 % K;
  static constexpr unsigned LinesPerWord =
      (Full << K) + (Rest ? 1u << Rest : 0);

  /// Groups of word w that hold rows below R (the others stay unbuilt).
  static unsigned groupsIn(unsigned R, unsigned w) {
    unsigned rows = std::min(64u, R - 64 * w);
    return rows > Full * K ? Full + 1 : (rows + K - 1) / K;
  }
};

/// The lanes of the grouped tables: exact 16-bit column sums (32 columns per
/// vector); 8-bit sums that wrap, i.e. column sums mod 2^8 (64 columns per
/// vector; the residue kernel); or 8-bit unsigned saturating sums, min(sum,
/// 255) exactly for sums of non-negative levels (the 8-bit ideal kernel).
template <typename T> struct Lanes;
template <> struct Lanes<int16_t> {
  using Mask = __mmask32;
  MHO_AVX512 MHO_INLINE static __m512i add(__m512i a, __m512i b) {
    return _mm512_add_epi16(a, b);
  }
  MHO_AVX512 MHO_INLINE static __m512i load(Mask m, const int16_t *p) {
    return _mm512_maskz_loadu_epi16(m, p);
  }
};
/// Byte lanes: 64 columns per vector.
template <typename T> struct ByteLanes {
  using Mask = __mmask64;
  MHO_AVX512 MHO_INLINE static __m512i load(Mask m, const T *p) {
    return _mm512_maskz_loadu_epi8(m, p);
  }
};
template <> struct Lanes<uint8_t> : ByteLanes<uint8_t> {
  MHO_AVX512 MHO_INLINE static __m512i add(__m512i a, __m512i b) {
    return _mm512_adds_epu8(a, b);
  }
};
template <> struct Lanes<int8_t> : ByteLanes<int8_t> {
  MHO_AVX512 MHO_INLINE static __m512i add(__m512i a, __m512i b) {
    return _mm512_add_epi8(a, b);
  }
};

/// Builds the tables of every group below R: table line (group, pattern) is
/// the sum of the rows whose bits `pattern` sets (rows C lanes apart). The
/// subset sums of a group's first four rows stay in registers; each
/// combination of the remaining rows adds one vector to all sixteen, so every
/// line costs one store and at most one addition, and no line is read back.
template <unsigned K, typename T>
MHO_AVX512 void buildTable(Line *table, const T *source, unsigned R, unsigned C,
                           unsigned c0, typename Lanes<T>::Mask columns) {
  using G = RowGroups<K>;
  using L = Lanes<T>;
  static_assert(K >= 4 && (G::Rest == 0 || G::Rest >= 4),
                "every group has at least four rows");
  const __m512i zero = _mm512_setzero_si512();
  for (unsigned w = 0; 64 * w < R; ++w)
    for (unsigned q = 0, groups = G::groupsIn(R, w); q < groups; ++q) {
      const unsigned first = 64 * w + K * q;
      const unsigned n = q < G::Full ? K : G::Rest;
      __m512i row[K];
      for (unsigned i = 0; i < n; ++i)
        row[i] = first + i < R
                     ? L::load(columns, source + size_t(first + i) * C + c0)
                     : zero;
      __m512i low[16];
      low[0] = zero;
#pragma GCC unroll 16
      for (unsigned j = 1; j < 16; ++j)
        low[j] = L::add(low[j & (j - 1)], row[__builtin_ctz(j)]);
      __m512i *t = reinterpret_cast<__m512i *>(
          table + size_t(w) * G::LinesPerWord + (size_t(q) << K));
      __m512i high[1u << (K - 4)];
      high[0] = zero;
      for (unsigned h = 0; h < (1u << (n - 4)); ++h) {
        if (h != 0)
          high[h] = L::add(high[h & (h - 1)], row[4 + __builtin_ctz(h)]);
#pragma GCC unroll 16
        for (unsigned j = 0; j < 16; ++j)
          t[16 * h + j] = L::add(low[j], high[h]);
      }
    }
}

/// The byte offset, within its group's table, of the line that field q of a
/// mask word selects: bits [Kq, Kq + n) rotated to [6, 6 + n). With BMI2 that
/// is one rorx and one and (a shift needs a copy as well; measured: 3 %
/// faster). Every other bit lands outside [6, 6 + n), which the and clears.
template <unsigned K, unsigned Bits = K>
MHO_AVX512 MHO_INLINE inline size_t lineOffset(uint64_t bits, unsigned q) {
  const unsigned right = (K * q + 58) % 64;
  const uint64_t rotated =
      right ? (bits >> right) | (bits << (64 - right)) : bits;
  return size_t(rotated & (((uint64_t{1} << Bits) - 1) << 6));
}

/// The sums of the table lines that N bit planes select, interleaved group
/// by group with two accumulators per plane: the loop is bound by the loads,
/// and four planes at a time keep more of them in flight than one (measured:
/// 9 % faster for the benchmark's noise-on case). GCC does not inline it into
/// the kernel unless told to.
template <unsigned K, unsigned N, typename T>
MHO_AVX512 MHO_INLINE inline void lookup(const Line *table,
                                         const uint64_t *const *masks,
                                         unsigned R, __m512i *sums) {
  using G = RowGroups<K>;
  using L = Lanes<T>;
  __m512i acc[N][2];
  for (unsigned n = 0; n < N; ++n)
    acc[n][0] = acc[n][1] = _mm512_setzero_si512();
  unsigned w = 0;
#pragma GCC unroll 4
  for (; 64 * (w + 1) <= R; ++w) {
    uint64_t bits[N];
    for (unsigned n = 0; n < N; ++n)
      bits[n] = masks[n][w];
    const char *t = reinterpret_cast<const char *>(table) +
                    size_t(w) * G::LinesPerWord * sizeof(Line);
#pragma GCC unroll 16
    for (unsigned q = 0; q < G::Full; ++q)
#pragma GCC unroll 4
      for (unsigned n = 0; n < N; ++n)
        acc[n][q % 2] =
            L::add(acc[n][q % 2],
                   _mm512_load_si512(t + (size_t(q) << K) * sizeof(Line) +
                                     lineOffset<K>(bits[n], q)));
    if constexpr (G::Rest != 0)
      for (unsigned n = 0; n < N; ++n)
        acc[n][1] =
            L::add(acc[n][1],
                   _mm512_load_si512(t + (size_t(G::Full) << K) * sizeof(Line) +
                                     lineOffset<K, G::Rest>(bits[n], G::Full)));
  }
  if (64 * w < R) {
    constexpr uint64_t Pattern = (uint64_t{1} << K) - 1;
    const Line *t = table + size_t(w) * G::LinesPerWord;
    for (unsigned q = 0, groups = G::groupsIn(R, w); q < groups; ++q)
      for (unsigned n = 0; n < N; ++n)
        acc[n][0] = L::add(
            acc[n][0], _mm512_load_si512(t + (size_t(q) << K) +
                                         ((masks[n][w] >> (K * q)) & Pattern)));
  }
  for (unsigned n = 0; n < N; ++n)
    sums[n] = L::add(acc[n][0], acc[n][1]);
}

/// lookup with the row counts of the presets' arrays as constants, so that
/// the word loop unrolls and the mask words stay in registers (measured: 5 %
/// faster for R = 128).
template <unsigned K, unsigned N, typename T>
MHO_AVX512 MHO_INLINE inline void lookupRows(const Line *table,
                                             const uint64_t *const *masks,
                                             unsigned R, __m512i *sums) {
  switch (R) {
  case 64:
    return lookup<K, N, T>(table, masks, 64, sums);
  case 128:
    return lookup<K, N, T>(table, masks, 128, sums);
  case 256:
    return lookup<K, N, T>(table, masks, 256, sums);
  default:
    return lookup<K, N, T>(table, masks, R, sums);
  }
}

/// Without a table (small batches, where building one costs more than it
/// saves): the sum of the rows a bit plane selects.
template <typename T>
MHO_AVX512 inline __m512i directRows(const T *source, unsigned C, unsigned c0,
                                     typename Lanes<T>::Mask columns,
                                     const uint64_t *mask, unsigned words) {
  __m512i sum = _mm512_setzero_si512();
  for (unsigned w = 0; w < words; ++w)
    for (uint64_t bits = mask[w]; bits; bits &= bits - 1) {
      unsigned row = 64 * w + unsigned(__builtin_ctzll(bits));
      sum = Lanes<T>::add(
          sum, Lanes<T>::load(columns, source + size_t(row) * C + c0));
    }
  return sum;
}

/// The sums of the rows that N bit planes select: table lookups, or
/// (`direct`) sums of the rows of `source`. `direct` is a parameter of the
/// kernels that callers pass as a constant, so that GCC's clones of them keep
/// one branch (measured: testing the table pointer instead made the 8-bit
/// ideal kernel 13 % slower).
template <unsigned K, unsigned N, typename T>
MHO_AVX512 MHO_INLINE inline void
planeSums(bool direct, const Line *table, const T *source, unsigned C,
          unsigned c0, typename Lanes<T>::Mask columns,
          const uint64_t *const *masks, unsigned R, __m512i *sums) {
  if (!direct)
    return lookupRows<K, N, T>(table, masks, R, sums);
  for (unsigned i = 0; i < N; ++i)
    sums[i] = directRows(source, C, c0, columns, masks[i], (R + 63) / 64);
}

/// Batches below this many vectors sum rows directly instead of building
/// tables (a table costs 15 row additions per group of 4 rows and serves
/// batch x planes reads; a direct read costs about 2 per group). Measured:
/// tables win from 2 vectors on.
constexpr unsigned TableMinBatch = 2;

/// The table after the one built from `source` (array a of `arrays`, each
/// `arraySize` elements, column chunk [c0, c0 + width)): the next array's, or
/// after the last the first array's of the next chunk; null after the last.
template <typename T>
const T *getNextTableSource(const T *source, unsigned a, unsigned arrays,
                            size_t arraySize, unsigned c0, unsigned width,
                            unsigned C) {
  if (a + 1 < arrays)
    return source + arraySize;
  return c0 + width < C ? source - a * arraySize + width : nullptr;
}

/// The rows of the next table come from memory: a unit's grid is read once
/// per multiply (128 KiB for R = C = 128). Fetching them into L2 a few rows
/// per vector (vector `index` of `count`) while this table's reads run halves
/// the time the builds take when the grids do not fit the caches (measured:
/// the benchmark's 144 units, 27 -> 15 us per unit), and the direct reads of
/// small batches wait on them without it (one vector: 0.72 -> 1.63 GMAC/s).
template <typename T>
MHO_AVX512 MHO_INLINE inline void
prefetchNextTable(const T *next, size_t stride, unsigned c0, unsigned R,
                  unsigned index, unsigned count) {
  if (!next)
    return;
  const unsigned rows = (R + count - 1) / count;
  for (unsigned i = index * rows; i < std::min(R, (index + 1) * rows); ++i)
    _mm_prefetch(reinterpret_cast<const char *>(next + i * stride + c0),
                 _MM_HINT_T1);
}

/// The ADC's codes of fixed-point values in 16-bit lanes:
/// clamp(value >> shift, 0, fullScale).
MHO_AVX512 MHO_INLINE inline __m512i clampedCode(__m512i value, __m128i shift,
                                                 __m512i fullScale) {
  return _mm512_min_epi16(
      _mm512_max_epi16(_mm512_sra_epi16(value, shift), _mm512_setzero_si512()),
      fullScale);
}

/// Runs tile(MR, v) over the vectors [first, end): tiles of four vectors,
/// then one at a time (MR a std::integral_constant).
template <typename TileFn>
MHO_INLINE inline void forVectorTiles(unsigned first, unsigned end,
                                      TileFn &&tile) {
  unsigned v = first;
  for (; v + 4 <= end; v += 4)
    tile(std::integral_constant<unsigned, 4>(), v);
  for (; v < end; ++v)
    tile(std::integral_constant<unsigned, 1>(), v);
}

//===----------------------------------------------------------------------===//
// Read noise
//===----------------------------------------------------------------------===//

MHO_AVX512 inline __m512i mix64v(__m512i x) {
  x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 30));
  x = _mm512_mullo_epi64(x, _mm512_set1_epi64(int64_t(0xBF58476D1CE4E5B9ull)));
  x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 27));
  x = _mm512_mullo_epi64(x, _mm512_set1_epi64(int64_t(0x94D049BB133111EBull)));
  return _mm512_xor_si512(x, _mm512_srli_epi64(x, 31));
}

/// Two AES rounds of each 128-bit lane (readNoiseBlock): VAES where the CPU
/// has it, else AES-NI lane by lane (every AVX-512 CPU has AES-NI).
template <bool Vaes>
MHO_AVX512 MHO_INLINE inline __m512i aesTwoRounds(__m512i state) {
  const __m128i key0 = _mm_set_epi64x(int64_t(ReadNoiseRoundKey0.high),
                                      int64_t(ReadNoiseRoundKey0.low));
  const __m128i key1 = _mm_set_epi64x(int64_t(ReadNoiseRoundKey1.high),
                                      int64_t(ReadNoiseRoundKey1.low));
  if constexpr (Vaes)
    return _mm512_aesenc_epi128(
        _mm512_aesenc_epi128(state, _mm512_broadcast_i32x4(key0)),
        _mm512_broadcast_i32x4(key1));
  // The VEX form on xmm0-15 (the "x" constraint): with AVX-512 and VAES
  // enabled for this function the compiler could pick the EVEX form, which
  // CPUs without VAES do not have.
  auto aesenc = [](__m128i x, __m128i key) {
    __m128i result;
    __asm__("vaesenc %2, %1, %0" : "=x"(result) : "x"(x), "x"(key));
    return result;
  };
  __m128i lane[4] = {
      _mm512_extracti32x4_epi32(state, 0), _mm512_extracti32x4_epi32(state, 1),
      _mm512_extracti32x4_epi32(state, 2), _mm512_extracti32x4_epi32(state, 3)};
  for (__m128i &l : lane)
    l = aesenc(aesenc(l, key0), key1);
  return _mm512_inserti32x4(
      _mm512_inserti32x4(
          _mm512_inserti32x4(_mm512_castsi128_si512(lane[0]), lane[1], 1),
          lane[2], 2),
      lane[3], 3);
}

/// readNoiseSamples(key, 32 * group, 32) as 16-bit lanes: 128-bit lane m is
/// readNoiseBlock(key, 4 * group + m). `quantiles` holds the table in every
/// 128-bit lane for vpshufb, which looks up each byte's low nibble (the high
/// nibble after a 4-bit shift); vpmaddubsw adds the two byte sums
/// (|sum| <= 124) of each 16-bit lane and multiplies by 4.
template <bool Vaes>
MHO_AVX512 MHO_INLINE inline __m512i noiseSamples(uint64_t key, unsigned group,
                                                  __m512i quantiles) {
  auto step = [](uint64_t n) { return int64_t(n * Golden); };
  const __m512i steps = _mm512_set_epi64(step(8), step(7), step(6), step(5),
                                         step(4), step(3), step(2), step(1));
  const __m512i nibble = _mm512_set1_epi8(15);
  __m512i base = _mm512_set1_epi64(int64_t(key + uint64_t(group) * 8 * Golden));
  __m512i bits = aesTwoRounds<Vaes>(_mm512_add_epi64(base, steps));
  __m512i low = _mm512_and_si512(bits, nibble);
  __m512i high = _mm512_and_si512(_mm512_srli_epi16(bits, 4), nibble);
  __m512i pairs = _mm512_add_epi8(_mm512_shuffle_epi8(quantiles, low),
                                  _mm512_shuffle_epi8(quantiles, high));
  return _mm512_maddubs_epi16(_mm512_set1_epi8(4), pairs);
}

/// acc[0..width) (+|-)= (lanes of `lo`, `hi`) << shift, 16 + 16 lanes.
MHO_AVX512 inline void addShifted(int32_t *acc, __m512i lo, __m512i hi,
                                  unsigned shift, bool negate,
                                  __mmask16 m0, __mmask16 m1) {
  const __m128i count = _mm_cvtsi32_si128(int(shift));
  lo = _mm512_sll_epi32(lo, count);
  hi = _mm512_sll_epi32(hi, count);
  __m512i a0 = _mm512_maskz_loadu_epi32(m0, acc);
  __m512i a1 = _mm512_maskz_loadu_epi32(m1, acc + 16);
  a0 = negate ? _mm512_sub_epi32(a0, lo) : _mm512_add_epi32(a0, lo);
  a1 = negate ? _mm512_sub_epi32(a1, hi) : _mm512_add_epi32(a1, hi);
  _mm512_mask_storeu_epi32(acc, m0, a0);
  _mm512_mask_storeu_epi32(acc + 16, m1, a1);
}

} // namespace

//===----------------------------------------------------------------------===//
// Chunk kernels
//===----------------------------------------------------------------------===//

namespace {

/// avx512IdealU8Chunk with tables of K-row groups (or none, `direct`).
template <unsigned K>
MHO_AVX512 void idealU8Chunk(const MultiplyContext &ctx, unsigned c0,
                             unsigned width, bool direct, int32_t *acc) {
  const ProgrammedBlock &pb = ctx.block;
  const InputBatch &batch = ctx.batch;
  const isa::UnitConfig &config = ctx.arith.getConfig();
  const unsigned R = pb.rows, C = pb.cols, P = config.planes;
  const __mmask64 columns = width >= 64 ? ~0ull : (uint64_t{1} << width) - 1;
  const __m512i fullScale =
      _mm512_set1_epi8(char((1u << config.adcBits) - 1));
  const unsigned words = (R + 63) / 64;
  Line *table =
      direct ? nullptr : getTable(size_t(words) * RowGroups<K>::LinesPerWord);
  for (unsigned a = 0; a < pb.arrays; ++a) {
    const unsigned slice = a / pb.sliced.polarities;
    const bool negate = a % pb.sliced.polarities == 1;
    const unsigned shift = config.adcShift + slice * config.cellBits;
    const uint8_t *levels =
        pb.sliced.getLevels(slice, a % pb.sliced.polarities);
    if (!direct)
      buildTable<K>(table, levels, R, C, c0, columns);
    for (unsigned v = 0; v < batch.count; ++v) {
      // The codes of planes p .. p + N - 1 (min(sum, 2^A - 1)), shifted by
      // their planes, added to the low and high 32 columns' sums.
      auto planes = [&](unsigned p, auto n, __m512i &lo,
                        __m512i &hi) MHO_AVX512 MHO_INLINE {
        constexpr unsigned N = decltype(n)::value;
        __m512i sums[N];
        const uint64_t *masks[N];
        for (unsigned i = 0; i < N; ++i)
          masks[i] = batch.getMask(v, p + i);
        planeSums<K, N>(direct, table, levels, C, c0, columns, masks, R, sums);
        for (unsigned i = 0; i < N; ++i) {
          const __m512i code = _mm512_min_epu8(sums[i], fullScale);
          const __m128i count = _mm_cvtsi32_si128(int(p + i));
          lo = _mm512_add_epi16(
              lo,
              _mm512_sll_epi16(
                  _mm512_cvtepu8_epi16(_mm512_castsi512_si256(code)), count));
          hi = _mm512_add_epi16(
              hi, _mm512_sll_epi16(
                      _mm512_cvtepu8_epi16(_mm512_extracti64x4_epi64(code, 1)),
                      count));
        }
      };
      __m512i lo = _mm512_setzero_si512(), hi = _mm512_setzero_si512();
      unsigned p = 0;
      for (; p + 4 <= P; p += 4)
        planes(p, std::integral_constant<unsigned, 4>(), lo, hi);
      for (; p < P; ++p)
        planes(p, std::integral_constant<unsigned, 1>(), lo, hi);
      int32_t *row = acc + size_t(v) * C + c0;
      addShifted(row, _mm512_cvtepu16_epi32(_mm512_castsi512_si256(lo)),
                 _mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(lo, 1)),
                 shift, negate, __mmask16(columns), __mmask16(columns >> 16));
      addShifted(row + 32, _mm512_cvtepu16_epi32(_mm512_castsi512_si256(hi)),
                 _mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(hi, 1)),
                 shift, negate, __mmask16(columns >> 32),
                 __mmask16(columns >> 48));
    }
  }
}

} // namespace

void mho::sim::functional::avx512IdealU8Chunk(const MultiplyContext &ctx,
                                              unsigned c0, unsigned width,
                                              int32_t *acc) {
  const unsigned count = ctx.batch.count;
  if (count < Table6MinBatch)
    idealU8Chunk<4>(ctx, c0, width, count < TableMinBatch, acc);
  else
    idealU8Chunk<6>(ctx, c0, width, /*direct=*/false, acc);
}

namespace {

/// avx512Int16Chunk with tables of K-row groups (or none, `direct`); read
/// noise with VAES or AES-NI (a branch in the loop would cost the VAES form
/// 4 %).
template <unsigned K, bool Vaes>
MHO_AVX512 void int16Chunk(const MultiplyContext &ctx, unsigned c0,
                           unsigned width, unsigned vFirst, unsigned vEnd,
                           bool direct, int32_t *acc) {
  const MvmArithmetic &arith = ctx.arith;
  const ProgrammedBlock &pb = ctx.block;
  const InputBatch &batch = ctx.batch;
  const isa::UnitConfig &config = arith.getConfig();
  const unsigned R = pb.rows, C = pb.cols, P = config.planes;
  const bool analog = arith.isAnalog();
  const unsigned k = config.adcShift;
  const unsigned r = analog ? arith.getCodeShift() : k;
  const int64_t constant =
      analog ? arith.getCodeConstant() : (k ? int64_t{1} << (k - 1) : 0);
  const __m512i constantV = _mm512_set1_epi16(short(constant));
  const __m512i fullScale = _mm512_set1_epi16(short((1 << config.adcBits) - 1));
  const __m512i zero = _mm512_setzero_si512();
  const int64_t *multipliers =
      batch.noiseMultipliers.empty() ? nullptr : batch.noiseMultipliers.data();
  // The read keys indexed here rather than through getBatchReadKey: with the
  // pointer held in a register the noisy reads run 3-4 % faster (measured).
  const uint64_t *keys = batch.readKeys.data();
  const __m128i roundShift = _mm_cvtsi32_si128(int(r));
  const __m512i quantiles = _mm512_broadcast_i32x4(
      _mm_loadu_si128(reinterpret_cast<const __m128i *>(NormalQuantiles)));
  const __mmask32 columns = width >= 32 ? ~0u : (1u << width) - 1;
  const unsigned group = c0 / 32;
  const unsigned words = (R + 63) / 64;
  Line *table =
      direct ? nullptr : getTable(size_t(words) * RowGroups<K>::LinesPerWord);
  for (unsigned a = 0; a < pb.arrays; ++a) {
    const unsigned slice = a / pb.sliced.polarities;
    const bool negate = a % pb.sliced.polarities == 1;
    const unsigned shift = k + slice * config.cellBits;
    const int16_t *source =
        (analog ? pb.grid16.data() : pb.levels16.data()) + size_t(a) * R * C;
    if (!direct)
      buildTable<K>(table, source, R, C, c0, columns);
    const int16_t *next = getNextTableSource(source, a, pb.arrays,
                                             size_t(R) * C, c0, width, C);
    for (unsigned v = vFirst; v < vEnd; ++v) {
      prefetchNextTable(next, C, c0, R, v - vFirst, vEnd - vFirst);
      // The codes of planes p .. p + N - 1, shifted by their planes and
      // summed. The noise first: it does not depend on the column sums, so
      // it overlaps the loads of the lookups.
      auto planes = [&](unsigned p, auto n) MHO_AVX512 MHO_INLINE {
        constexpr unsigned N = decltype(n)::value;
        __m512i noise[N], sums[N];
        const uint64_t *masks[N];
        for (unsigned i = 0; i < N; ++i) {
          // A multiplier of 0 (no row driven) gives no noise: vpmulhrsw
          // rounds 0 * z to 0.
          noise[i] =
              multipliers
                  ? _mm512_mulhrs_epi16(
                        noiseSamples<Vaes>(
                            keys[(size_t(v) * pb.arrays + a) * P + p + i],
                            group, quantiles),
                        _mm512_set1_epi16(
                            short(multipliers[size_t(v) * P + p + i])))
                  : zero;
          masks[i] = batch.getMask(v, p + i);
        }
        planeSums<K, N>(direct, table, source, C, c0, columns, masks, R, sums);
        __m512i total = zero;
        for (unsigned i = 0; i < N; ++i) {
          __m512i value = _mm512_add_epi16(sums[i], noise[i]);
          value = _mm512_add_epi16(value, constantV);
          const __m512i code = clampedCode(value, roundShift, fullScale);
          total = _mm512_add_epi16(total, _mm512_slli_epi16(code, i));
        }
        return _mm512_sll_epi16(total, _mm_cvtsi32_si128(int(p)));
      };
      __m512i sum = zero;
      unsigned p = 0;
      for (; p + 4 <= P; p += 4)
        sum = _mm512_add_epi16(
            sum, planes(p, std::integral_constant<unsigned, 4>()));
      for (; p < P; ++p)
        sum = _mm512_add_epi16(
            sum, planes(p, std::integral_constant<unsigned, 1>()));
      addShifted(acc + size_t(v) * C + c0,
                 _mm512_cvtepu16_epi32(_mm512_castsi512_si256(sum)),
                 _mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(sum, 1)),
                 shift, negate, __mmask16(columns), __mmask16(columns >> 16));
    }
  }
}

} // namespace

void mho::sim::functional::avx512Int16Chunk(const MultiplyContext &ctx,
                                            unsigned c0, unsigned width,
                                            unsigned vFirst, unsigned vEnd,
                                            int32_t *acc) {
  const unsigned count = vEnd - vFirst;
  const bool direct = count < TableMinBatch;
  auto run = [&](auto vaes) {
    constexpr bool Vaes = decltype(vaes)::value;
    if (count < Table6MinBatch)
      int16Chunk<4, Vaes>(ctx, c0, width, vFirst, vEnd, direct, acc);
    else
      int16Chunk<6, Vaes>(ctx, c0, width, vFirst, vEnd, /*direct=*/false, acc);
  };
  if (cpuHasVaes())
    run(std::true_type());
  else
    run(std::false_type());
}

MHO_AVX512 void mho::sim::functional::avx512DeriveKeys(uint64_t key,
                                                       uint64_t first, size_t n,
                                                       uint64_t *out) {
  const __m512i keyV = _mm512_set1_epi64(int64_t(key));
  const __m512i lanes = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  for (size_t i = 0; i < n; i += 8) {
    const __mmask8 valid = n - i >= 8 ? 0xFF : __mmask8((1u << (n - i)) - 1);
    __m512i id =
        _mm512_add_epi64(_mm512_set1_epi64(int64_t(first + i + Golden)), lanes);
    _mm512_mask_storeu_epi64(out + i, valid,
                             mix64v(_mm512_xor_si512(keyV, mix64v(id))));
  }
}

MHO_AVX512 void mho::sim::functional::avx512Correct(const int32_t *acc,
                                                    const int64_t *columnTerms,
                                                    const int64_t *vectorTerms,
                                                    unsigned count, unsigned C,
                                                    int32_t *outputs) {
  for (unsigned v = 0; v < count; ++v) {
    const __m512i vectorTerm = _mm512_set1_epi64(vectorTerms[v]);
    const int32_t *a = acc + size_t(v) * C;
    int32_t *y = outputs + size_t(v) * C;
    for (unsigned j = 0; j < C; j += 8) {
      const __mmask8 valid = C - j >= 8 ? 0xFF : __mmask8((1u << (C - j)) - 1);
      __m512i value = _mm512_add_epi64(
          _mm512_cvtepi32_epi64(_mm256_maskz_loadu_epi32(valid, a + j)),
          _mm512_add_epi64(_mm512_maskz_loadu_epi64(valid, columnTerms + j),
                           vectorTerm));
      // vpmovsqd saturates to i32: the clamp of isa::correctColumn.
      _mm512_mask_cvtsepi64_storeu_epi32(y + j, valid, value);
    }
  }
}

//===----------------------------------------------------------------------===//
// Input bit planes
//===----------------------------------------------------------------------===//

MHO_AVX512 void mho::sim::functional::avx512PrepareMasks(const int8_t *inputs,
                                                         size_t inputStride,
                                                         unsigned first,
                                                         unsigned end,
                                                         InputBatch &batch) {
  const unsigned rows = batch.rows, words = batch.words;
  const unsigned inputBits = batch.bits;
  const int lowest = -(1 << (inputBits - 1)), highest = (1 << (inputBits - 1)) - 1;
  const __m512i lo = _mm512_set1_epi8(char(lowest));
  const __m512i hi = _mm512_set1_epi8(char(highest));
  const __m512i offset = _mm512_set1_epi8(char(1 << (inputBits - 1)));
  const __m512i zero = _mm512_setzero_si512();
  for (unsigned v = first; v < end; ++v) {
    int64_t sum = 0;
    uint16_t *ones = batch.planeOnes.data() + size_t(v) * inputBits;
    for (unsigned w = 0; w < words; ++w) {
      unsigned n = std::min(64u, rows - 64 * w);
      __mmask64 lanes = n == 64 ? ~0ull : (uint64_t{1} << n) - 1;
      __m512i x = _mm512_maskz_loadu_epi8(lanes, inputs + v * inputStride +
                                                     64 * size_t(w));
      x = _mm512_min_epi8(_mm512_max_epi8(x, lo), hi);
      __m512i xu = _mm512_maskz_add_epi8(lanes, x, offset);
      if (!batch.offsetInputs.empty())
        _mm512_mask_storeu_epi8(batch.offsetInputs.data() +
                                    size_t(v) * batch.paddedRows + 64 * w,
                                lanes, xu);
      for (unsigned t = 0; t < inputBits; ++t) {
        uint64_t mask =
            _mm512_test_epi8_mask(xu, _mm512_set1_epi8(char(1u << t)));
        batch.masks[(size_t(v) * inputBits + t) * words + w] = mask;
        ones[t] += uint16_t(__builtin_popcountll(mask));
      }
      sum += _mm512_reduce_add_epi64(_mm512_sad_epu8(xu, zero));
    }
    batch.inputSums[v] = sum;
  }
}

//===----------------------------------------------------------------------===//
// Exact integer product (AVX-512 VNNI)
//===----------------------------------------------------------------------===//

void mho::sim::functional::packVnni(ProgrammedBlock &block) {
  const unsigned R = block.rows, C = block.cols;
  block.vnniWeights.assign(getVnniSize(R, C), 0);
  block.vnniColumnSums.assign(size_t((C + 15) / 16) * 16, 0);
  for (unsigned i = 0; i < R; ++i)
    for (unsigned j = 0; j < C; ++j) {
      int16_t w = block.weights[size_t(i) * C + j];
      block.vnniWeights[getVnniIndex(i, j, R)] = int8_t(w);
      block.vnniColumnSums[j] += w;
    }
}

namespace {

/// acc[l][m][n] = sum_k x_u[k] * w_l[k][j] for MR vectors from v0, NB
/// blocks of 16 columns from firstBlock and L matrices w_l = w + l * stride,
/// each packed as packVnni packs.
template <unsigned MR, unsigned NB, unsigned L = 1>
MHO_AVX512_VNNI MHO_INLINE inline void
vnniAccumulate(const int8_t *w, size_t stride, const InputBatch &batch,
               unsigned v0, unsigned firstBlock, __m512i (&acc)[L][MR][NB]) {
  const unsigned k4s = batch.paddedRows / 4;
  for (unsigned l = 0; l < L; ++l)
    for (unsigned m = 0; m < MR; ++m)
      for (unsigned n = 0; n < NB; ++n)
        acc[l][m][n] = _mm512_setzero_si512();
  for (unsigned k4 = 0; k4 < k4s; ++k4) {
    __m512i wv[L][NB];
    for (unsigned l = 0; l < L; ++l)
      for (unsigned n = 0; n < NB; ++n)
        wv[l][n] = _mm512_loadu_si512(w + l * stride +
                                      (size_t(firstBlock + n) * k4s + k4) * 64);
    for (unsigned m = 0; m < MR; ++m) {
      int32_t x;
      __builtin_memcpy(&x,
                       batch.offsetInputs.data() +
                           size_t(v0 + m) * batch.paddedRows + 4 * k4,
                       4);
      __m512i xb = _mm512_set1_epi32(x);
      for (unsigned l = 0; l < L; ++l)
        for (unsigned n = 0; n < NB; ++n)
          acc[l][m][n] = _mm512_dpbusd_epi32(acc[l][m][n], xb, wv[l][n]);
    }
  }
}

/// MR vectors x NB blocks of 16 columns: acc = sum_k x_u[k] * w[k][j], then
/// y = acc - 128 * colsum (x_u = x + 128).
template <unsigned MR, unsigned NB>
MHO_AVX512_VNNI void
vnniTile(const ProgrammedBlock &block, const InputBatch &batch, unsigned v0,
         unsigned firstBlock, unsigned c0, unsigned width, int32_t *outputs) {
  __m512i acc[1][MR][NB];
  vnniAccumulate<MR, NB>(block.vnniWeights.data(), 0, batch, v0, firstBlock,
                         acc);
  const unsigned C = block.cols;
  for (unsigned n = 0; n < NB; ++n) {
    unsigned col = (firstBlock + n) * 16;
    unsigned valid = std::min(16u, c0 + width - col);
    __mmask16 lanes = valid >= 16 ? 0xFFFF : __mmask16((1u << valid) - 1);
    __m512i correction = _mm512_slli_epi32(
        _mm512_loadu_si512(block.vnniColumnSums.data() + col), 7);
    for (unsigned m = 0; m < MR; ++m)
      _mm512_mask_storeu_epi32(outputs + size_t(v0 + m) * C + col, lanes,
                               _mm512_sub_epi32(acc[0][m][n], correction));
  }
}

template <unsigned NB>
MHO_AVX512_VNNI void vnniColumns(const ProgrammedBlock &block,
                                 const InputBatch &batch, unsigned firstBlock,
                                 unsigned c0, unsigned width,
                                 int32_t *outputs) {
  forVectorTiles(0, batch.count, [&](auto mr, unsigned v) {
    vnniTile<decltype(mr)::value, NB>(block, batch, v, firstBlock, c0, width,
                                      outputs);
  });
}

} // namespace

MHO_AVX512_VNNI void mho::sim::functional::avx512ExactChunk(
    const ProgrammedBlock &block, const InputBatch &batch, unsigned c0,
    unsigned width, int32_t *outputs) {
  unsigned firstBlock = c0 / 16;
  unsigned blocks = (width + 15) / 16;
  switch (blocks) {
  case 1:
    return vnniColumns<1>(block, batch, firstBlock, c0, width, outputs);
  case 2:
    return vnniColumns<2>(block, batch, firstBlock, c0, width, outputs);
  case 3:
    return vnniColumns<3>(block, batch, firstBlock, c0, width, outputs);
  default:
    for (unsigned b = 0; b < blocks; b += 4) {
      unsigned n = std::min(4u, blocks - b);
      unsigned start = c0 + b * 16;
      unsigned w = std::min(width - b * 16, n * 16);
      if (n == 4)
        vnniColumns<4>(block, batch, firstBlock + b, start, w, outputs);
      else if (n == 3)
        vnniColumns<3>(block, batch, firstBlock + b, start, w, outputs);
      else if (n == 2)
        vnniColumns<2>(block, batch, firstBlock + b, start, w, outputs);
      else
        vnniColumns<1>(block, batch, firstBlock + b, start, w, outputs);
    }
  }
}

//===----------------------------------------------------------------------===//
// The residue kernel (MvmResidue.cpp)
//===----------------------------------------------------------------------===//

namespace {

/// acc = (acc + x_u . G^) >> r for MR vectors from v0 and NB blocks of 16
/// columns from firstBlock: the sum is a multiple of 2^r.
template <unsigned MR, unsigned NB>
MHO_AVX512_VNNI void residueTile(const ProgrammedBlock &pb,
                                 const InputBatch &batch, unsigned v0,
                                 unsigned firstBlock, unsigned c0,
                                 unsigned width, unsigned r, int32_t *acc) {
  // Byte planes: [0] low, [1] high.
  __m512i planes[2][MR][NB];
  vnniAccumulate<MR, NB, 2>(pb.combinedVnni.data(),
                            getVnniSize(pb.rows, pb.cols), batch, v0,
                            firstBlock, planes);
  const __m128i count = _mm_cvtsi32_si128(int(r));
  for (unsigned n = 0; n < NB; ++n) {
    const unsigned col = (firstBlock + n) * 16;
    const unsigned valid = std::min(16u, c0 + width - col);
    const __mmask16 lanes = valid >= 16 ? 0xFFFF : __mmask16((1u << valid) - 1);
    for (unsigned m = 0; m < MR; ++m) {
      int32_t *row = acc + size_t(v0 + m) * pb.cols + col;
      __m512i product = _mm512_add_epi32(_mm512_slli_epi32(planes[1][m][n], 8),
                                         planes[0][m][n]);
      __m512i sum =
          _mm512_add_epi32(_mm512_maskz_loadu_epi32(lanes, row), product);
      _mm512_mask_storeu_epi32(row, lanes, _mm512_sra_epi32(sum, count));
    }
  }
}

/// The exact 16-bit conversion of one read that may clip, for the columns
/// [c0, c0 + 32) in `columns`: adds +-2^shift * (2^r * code - S) to acc, the
/// part of the read that x_u . G^ does not hold.
MHO_AVX512 void exactResidueRead(const int16_t *grid, unsigned C, unsigned c0,
                                 __mmask32 columns, const uint64_t *mask,
                                 unsigned words, __m512i w, unsigned r,
                                 __m512i fullScale, unsigned shift, bool negate,
                                 int32_t *acc) {
  const __m512i sum = directRows(grid, C, c0, columns, mask, words);
  const __m512i code = clampedCode(_mm512_add_epi16(sum, w),
                                   _mm_cvtsi32_si128(int(r)), fullScale);
  auto part = [&](unsigned half) MHO_AVX512 {
    __m512i c = _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(code, half));
    __m512i s = _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(sum, half));
    return _mm512_sub_epi32(_mm512_sll_epi32(c, _mm_cvtsi32_si128(int(r))), s);
  };
  addShifted(acc, part(0), part(1), shift, negate, __mmask16(columns),
             __mmask16(columns >> 16));
}

template <bool Vaes>
MHO_AVX512 void residueChunk(const MultiplyContext &ctx, unsigned c0,
                             unsigned width, unsigned vFirst, unsigned vEnd,
                             int32_t *acc) {
  constexpr unsigned K = 6;
  const MvmArithmetic &arith = ctx.arith;
  const ProgrammedBlock &pb = ctx.block;
  const InputBatch &batch = ctx.batch;
  const isa::UnitConfig &config = arith.getConfig();
  const unsigned R = pb.rows, C = pb.cols, P = config.planes;
  const unsigned stride = pb.getResidueStride();
  const unsigned k = config.adcShift, r = arith.getCodeShift();
  const __m512i center = _mm512_set1_epi16(short(arith.getCodeConstant()));
  const __m512i residueMask = _mm512_set1_epi8(char((1u << r) - 1));
  const __m512i fullScale = _mm512_set1_epi16(short((1 << config.adcBits) - 1));
  const __m512i zero = _mm512_setzero_si512();
  const int64_t *multipliers =
      batch.noiseMultipliers.empty() ? nullptr : batch.noiseMultipliers.data();
  // The read keys indexed here rather than through getBatchReadKey: with the
  // pointer held in a register the noisy reads run 3-4 % faster (measured).
  const uint64_t *keys = batch.readKeys.data();
  const __m512i quantiles = _mm512_broadcast_i32x4(
      _mm_loadu_si128(reinterpret_cast<const __m128i *>(NormalQuantiles)));
  const __mmask32 lowColumns = width >= 32 ? ~0u : (1u << width) - 1;
  const __mmask32 highColumns = width >= 64  ? ~0u
                                : width > 32 ? (1u << (width - 32)) - 1
                                             : 0;
  const unsigned group = c0 / 32;
  const unsigned chunks = pb.getResidueChunks();
  const unsigned chunk = c0 / ResidueChunkWidth;
  const unsigned words = (R + 63) / 64;
  Line *table = getTable(size_t(words) * RowGroups<K>::LinesPerWord);
  for (unsigned a = 0; a < pb.arrays; ++a) {
    const unsigned slice = a / pb.sliced.polarities;
    const bool negate = a % pb.sliced.polarities == 1;
    const unsigned shift = k + slice * config.cellBits;
    const int8_t *source = pb.grid8.data() + size_t(a) * R * stride;
    const int16_t *grid = pb.grid16.data() + size_t(a) * R * C;
    const uint8_t *safe =
        pb.residueSafe.data() + (size_t(a) * chunks + chunk) * (R + 1);
    buildTable<K>(table, source, R, stride, c0, ~0ull);
    const int8_t *next = getNextTableSource(
        source, a, pb.arrays, size_t(R) * stride, c0, ResidueChunkWidth, C);
    for (unsigned v = vFirst; v < vEnd; ++v) {
      prefetchNextTable(next, stride, c0, R, v - vFirst, vEnd - vFirst);
      int32_t *row = acc + size_t(v) * C + c0;
      // Adds the sum over planes p .. p + N - 1 of 2^p * (w - q) to the low
      // and the high 32 columns' sums; a read that may clip is converted
      // exactly instead, straight into acc.
      auto planes = [&](unsigned p, auto n, __m512i &low,
                        __m512i &high) MHO_AVX512 MHO_INLINE {
        constexpr unsigned N = decltype(n)::value;
        __m512i wLow[N], wHigh[N], w8[N], sums[N];
        const uint64_t *masks[N];
        for (unsigned i = 0; i < N; ++i) {
          if (multipliers) {
            const uint64_t key = keys[(size_t(v) * pb.arrays + a) * P + p + i];
            const __m512i m =
                _mm512_set1_epi16(short(multipliers[size_t(v) * P + p + i]));
            wLow[i] = _mm512_mulhrs_epi16(
                noiseSamples<Vaes>(key, group, quantiles), m);
            wHigh[i] = _mm512_mulhrs_epi16(
                noiseSamples<Vaes>(key, group + 1, quantiles), m);
          } else {
            wLow[i] = wHigh[i] = zero;
          }
          wLow[i] = _mm512_add_epi16(wLow[i], center);
          wHigh[i] = _mm512_add_epi16(wHigh[i], center);
          w8[i] = _mm512_packs_epi16(wLow[i], wHigh[i]);
          masks[i] = batch.getMask(v, p + i);
        }
        lookupRows<K, N, int8_t>(table, masks, R, sums);
        __m512i quadLow = zero, quadHigh = zero;
        for (unsigned i = 0; i < N; ++i) {
          if (!safe[batch.planeOnes[size_t(v) * batch.bits + p + i]]) {
            exactResidueRead(grid, C, c0, lowColumns, masks[i], batch.words,
                             wLow[i], r, fullScale, shift + p + i, negate, row);
            if (highColumns)
              exactResidueRead(grid, C, c0 + 32, highColumns, masks[i],
                               batch.words, wHigh[i], r, fullScale,
                               shift + p + i, negate, row + 32);
            continue;
          }
          const __m512i q =
              _mm512_and_si512(_mm512_add_epi8(sums[i], w8[i]), residueMask);
          quadLow = _mm512_add_epi16(
              quadLow,
              _mm512_slli_epi16(
                  _mm512_sub_epi16(wLow[i], _mm512_unpacklo_epi8(q, zero)), i));
          quadHigh = _mm512_add_epi16(
              quadHigh,
              _mm512_slli_epi16(
                  _mm512_sub_epi16(wHigh[i], _mm512_unpackhi_epi8(q, zero)),
                  i));
        }
        const __m128i count = _mm_cvtsi32_si128(int(p));
        low = _mm512_add_epi16(low, _mm512_sll_epi16(quadLow, count));
        high = _mm512_add_epi16(high, _mm512_sll_epi16(quadHigh, count));
      };
      __m512i low = zero, high = zero;
      unsigned p = 0;
      for (; p + 4 <= P; p += 4)
        planes(p, std::integral_constant<unsigned, 4>(), low, high);
      for (; p < P; ++p)
        planes(p, std::integral_constant<unsigned, 1>(), low, high);
      addShifted(row, _mm512_cvtepi16_epi32(_mm512_castsi512_si256(low)),
                 _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(low, 1)),
                 shift, negate, __mmask16(lowColumns),
                 __mmask16(lowColumns >> 16));
      if (highColumns)
        addShifted(
            row + 32, _mm512_cvtepi16_epi32(_mm512_castsi512_si256(high)),
            _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(high, 1)), shift,
            negate, __mmask16(highColumns), __mmask16(highColumns >> 16));
    }
  }
  const unsigned firstBlock = c0 / 16, blocks = (width + 15) / 16;
  for (unsigned b = 0; b < blocks; b += 2) {
    const unsigned start = c0 + b * 16;
    const unsigned w = std::min(width - b * 16, 32u);
    forVectorTiles(vFirst, vEnd, [&](auto mr, unsigned v) {
      constexpr unsigned MR = decltype(mr)::value;
      if (blocks - b >= 2)
        residueTile<MR, 2>(pb, batch, v, firstBlock + b, start, w, r, acc);
      else
        residueTile<MR, 1>(pb, batch, v, firstBlock + b, start, w, r, acc);
    });
  }
}

} // namespace

void mho::sim::functional::avx512ResidueChunk(const MultiplyContext &ctx,
                                              unsigned c0, unsigned width,
                                              unsigned vFirst, unsigned vEnd,
                                              int32_t *acc) {
  if (cpuHasVaes())
    residueChunk<true>(ctx, c0, width, vFirst, vEnd, acc);
  else
    residueChunk<false>(ctx, c0, width, vFirst, vEnd, acc);
}
