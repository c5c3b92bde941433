//===- Random.h - Counter-based random numbers of the functional engine --===//
//
// Every random number the engine draws is a pure function of (seed, what it is
// for, which unit, which programming or instruction, which cell or read,
// which column): a counter-based generator, so results do not depend on the
// number of threads, on the order work is split in, or on the CPU's vector
// width. docs/FunctionalEngine.md, "Random numbers", states the streams.
//
//   mix64          SplitMix64's finalizer (Steele, Lea, Flood 2014; constants
//                  of Stafford's "Mix13")
//   deriveKey      a stream key from a parent key and one id
//   streamWord     word i of a stream (SplitMix64 output i+1 from the key)
//   aesRound       one AES encryption round (FIPS 197), as x86's AESENC
//   readNoiseBlock block b of a read-noise stream: two AES rounds of a pair
//                  of SplitMix64 counters (one VAES instruction pair per 512
//                  bits in the vector kernel); readNoiseSamples reads columns
//                  from it
//   boxMuller      a standard normal pair in double precision (programming)
//   discreteNormal the read-noise normal: four times the sum of four draws
//                  from a 16-point quantile table, one per nibble of 16
//                  random bits (docs: variance 0.99988, kurtosis 2.86,
//                  |z| <= 3.875)
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SIM_FUNCTIONAL_RANDOM_H
#define MHO_SIM_FUNCTIONAL_RANDOM_H

#include <cstdint>
#include <utility>

namespace mho::sim::functional {

/// 2^64 / golden ratio, SplitMix64's increment.
constexpr uint64_t Golden = 0x9E3779B97F4A7C15ull;

/// SplitMix64's output function: a bijective 64-bit mix.
constexpr uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  x ^= x >> 31;
  return x;
}

/// The key of a child stream: `key` combined with one more id.
constexpr uint64_t deriveKey(uint64_t key, uint64_t id) {
  return mix64(key ^ mix64(id + Golden));
}

/// Word `index` of the stream with key `key`.
constexpr uint64_t streamWord(uint64_t key, uint64_t index) {
  return mix64(key + (index + 1) * Golden);
}

/// A 128-bit AES state: bytes 0-7 in `low`, 8-15 in `high`, little endian,
/// so byte 4c + r is row r of column c (FIPS 197), as in an x86 register.
struct AesBlock {
  uint64_t low = 0, high = 0;
  bool operator==(const AesBlock &other) const {
    return low == other.low && high == other.high;
  }
};

/// One AES encryption round: SubBytes, ShiftRows, MixColumns, then the XOR
/// with `roundKey`; bit for bit x86's AESENC.
AesBlock aesRound(AesBlock state, AesBlock roundKey);

/// The round keys of the read-noise stream (digits of pi, as in Blowfish's
/// P-array: fixed, and with no structure of their own).
constexpr AesBlock ReadNoiseRoundKey0{0x243F6A8885A308D3ull,
                                      0x13198A2E03707344ull};
constexpr AesBlock ReadNoiseRoundKey1{0xA4093822299F31D0ull,
                                      0x082EFA98EC4E6C89ull};

/// Words 2b and 2b + 1 of the read-noise stream with key `key`: two AES rounds
/// of the SplitMix64 counters (key + (2b + 1) golden, key + (2b + 2) golden).
/// Two rounds diffuse every input bit into every output byte; the counters
/// differ in many bytes from block to block, so the stream has none of the
/// structure (one byte running through all values) that reduced-round AES
/// distinguishers need. An AES round is one instruction per 512 bits with
/// VAES, where SplitMix64's finalizer takes nine (measured: 4 % faster
/// noisy MVMs than with streamWord).
inline AesBlock readNoiseCounters(uint64_t key, uint64_t block) {
  return {key + (2 * block + 1) * Golden, key + (2 * block + 2) * Golden};
}
inline AesBlock readNoiseBlock(uint64_t key, uint64_t block) {
  return aesRound(aesRound(readNoiseCounters(key, block), ReadNoiseRoundKey0),
                  ReadNoiseRoundKey1);
}

/// Uniform in [0, 1) from the top 53 bits of a word.
inline double toUnit(uint64_t word) {
  return static_cast<double>(word >> 11) * 0x1p-53;
}

/// Two independent standard normals from two words (Box-Muller in double:
/// u1 in (0, 1], so |z| <= 8.6).
std::pair<double, double> boxMuller(uint64_t word0, uint64_t word1);

/// Root streams, one per purpose (the first id under the seed).
enum class Stream : uint64_t {
  Programming = 1, ///< per cell at wprog: stuck-at, programming noise, drift
  ReadNoise = 2,   ///< per column per read
  HostInputs = 3,  ///< --random-inputs
};

//===----------------------------------------------------------------------===//
// The read-noise normal
//===----------------------------------------------------------------------===//

/// Read-noise samples are integers in units of 2^-NormalFractionBits.
constexpr unsigned NormalFractionBits = 8;
/// The 16 quantiles Phi^-1((k + 1/2) / 16) times 33.29 (units of 2^-6), each
/// rounded up or down so that four times the sum of four entries has variance
/// 2^16 * 0.99988. Symmetric, so the mean is exactly 0; |entry| <= 63, so two
/// entries add in a signed byte (the vector kernel relies on that).
extern const int8_t NormalQuantiles[16];
/// The largest |sample|: 4 * 4 * 62 = 992 (3.875 standard deviations).
constexpr int32_t MaxNormalSample = 992;

/// One read-noise sample from 16 random bits: four times the sum of the
/// quantiles its four nibbles pick. Approximately
/// N(0, 1) * 2^NormalFractionBits.
inline int32_t discreteNormal(uint16_t bits) {
  return 4 * (NormalQuantiles[bits & 15] + NormalQuantiles[(bits >> 4) & 15] +
              NormalQuantiles[(bits >> 8) & 15] + NormalQuantiles[bits >> 12]);
}

/// The samples of columns [first, first + count) of the read whose stream
/// key is `key`: column j takes 16-bit piece j % 4 of read-noise word j / 4,
/// so one 128-bit block serves eight columns and 32 columns are one 512-bit
/// vector of blocks (the vector kernels' layout).
void readNoiseSamples(uint64_t key, unsigned first, unsigned count,
                      int32_t *samples);

/// The sample of one column (readNoiseSamples for count = 1).
inline int32_t readNoiseSample(uint64_t key, unsigned column) {
  int32_t sample;
  readNoiseSamples(key, column, 1, &sample);
  return sample;
}

} // namespace mho::sim::functional

#endif // MHO_SIM_FUNCTIONAL_RANDOM_H
