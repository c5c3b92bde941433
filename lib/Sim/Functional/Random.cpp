//===- Random.cpp - Counter-based random numbers of the functional engine -===//

#include "mho/Sim/Functional/Random.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <immintrin.h>

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

//===----------------------------------------------------------------------===//
// AES rounds
//===----------------------------------------------------------------------===//

namespace {

/// x * 2 in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.
constexpr uint8_t times2(uint8_t x) {
  return uint8_t((x << 1) ^ ((x & 0x80) ? 0x1B : 0));
}

constexpr uint8_t multiply(uint8_t a, uint8_t b) {
  uint8_t product = 0;
  for (; b; b >>= 1, a = times2(a))
    if (b & 1)
      product ^= a;
  return product;
}

/// The S-box of FIPS 197 section 5.1.1: the inverse in GF(2^8) (0 for 0),
/// then the affine map b ^ rotl(b, 1..4) ^ 0x63.
constexpr std::array<uint8_t, 256> makeSBox() {
  std::array<uint8_t, 256> box{};
  for (unsigned x = 0; x < 256; ++x) {
    uint8_t inverse = 0;
    for (unsigned y = 1; y < 256 && x != 0; ++y)
      if (multiply(uint8_t(x), uint8_t(y)) == 1) {
        inverse = uint8_t(y);
        break;
      }
    uint8_t b = inverse, result = 0x63 ^ b;
    for (unsigned r = 1; r <= 4; ++r)
      result ^= uint8_t((b << r) | (b >> (8 - r)));
    box[x] = result;
  }
  return box;
}

constexpr std::array<uint8_t, 256> SBox = makeSBox();

} // namespace

AesBlock mho::sim::functional::aesRound(AesBlock state, AesBlock roundKey) {
  uint8_t in[16], out[16];
  for (unsigned i = 0; i < 16; ++i)
    in[i] =
        uint8_t((i < 8 ? state.low >> (8 * i) : state.high >> (8 * i - 64)));
  // SubBytes and ShiftRows: row r of column c comes from column c + r.
  uint8_t shifted[16];
  for (unsigned c = 0; c < 4; ++c)
    for (unsigned r = 0; r < 4; ++r)
      shifted[4 * c + r] = SBox[in[4 * ((c + r) % 4) + r]];
  // MixColumns.
  for (unsigned c = 0; c < 4; ++c) {
    const uint8_t *a = shifted + 4 * c;
    for (unsigned r = 0; r < 4; ++r)
      out[4 * c + r] =
          uint8_t(times2(a[r]) ^ times2(a[(r + 1) % 4]) ^ a[(r + 1) % 4] ^
                  a[(r + 2) % 4] ^ a[(r + 3) % 4]);
  }
  AesBlock result;
  for (unsigned i = 0; i < 16; ++i)
    (i < 8 ? result.low : result.high) |= uint64_t(out[i]) << (8 * (i % 8));
  result.low ^= roundKey.low;
  result.high ^= roundKey.high;
  return result;
}

namespace {

/// readNoiseBlock with AES-NI (AESENC is aesRound, bit for bit), for the
/// portable and reference kernels' read noise (measured: the portable kernel
/// on the benchmark's reads, 0.20 -> 0.25 GMAC/s).
__attribute__((target("aes,sse2"))) AesBlock
readNoiseBlockAesNi(uint64_t key, uint64_t block) {
  auto load = [](const AesBlock &b) {
    return _mm_set_epi64x(int64_t(b.high), int64_t(b.low));
  };
  __m128i state = load(readNoiseCounters(key, block));
  state = _mm_aesenc_si128(state, load(ReadNoiseRoundKey0));
  state = _mm_aesenc_si128(state, load(ReadNoiseRoundKey1));
  return {uint64_t(_mm_cvtsi128_si64(state)),
          uint64_t(_mm_cvtsi128_si64(_mm_unpackhi_epi64(state, state)))};
}

const bool HasAesNi = __builtin_cpu_supports("aes");

} // namespace

void mho::sim::functional::readNoiseSamples(uint64_t key, unsigned first,
                                            unsigned count, int32_t *samples) {
  for (unsigned j = first; j < first + count;) {
    const AesBlock block =
        HasAesNi ? readNoiseBlockAesNi(key, j / 8) : readNoiseBlock(key, j / 8);
    for (unsigned end = std::min(first + count, (j / 8 + 1) * 8); j < end;
         ++j) {
      const uint64_t word = j % 8 < 4 ? block.low : block.high;
      *samples++ =
          discreteNormal(static_cast<uint16_t>(word >> (16 * (j % 4))));
    }
  }
}
