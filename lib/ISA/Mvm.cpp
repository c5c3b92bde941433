//===- Mvm.cpp - Bit-sliced matrix-vector product of an MVM unit ----------===//
//
// docs/ISA.md §4. The hot loop is columnSums (one crossbar read); everything
// else is linear in the number of columns per read.
//
//===----------------------------------------------------------------------===//

#include "mho/ISA/Mvm.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>

using namespace mho::isa;
using llvm::ArrayRef;
using llvm::MutableArrayRef;

llvm::Expected<SlicedWeights> mho::isa::sliceWeights(const UnitConfig &config,
                                                     const WeightBlock &block) {
  if (llvm::Error err = verifyWeightBlock(block, config))
    return std::move(err);
  // A shape-only block verifies but has no values to slice.
  if (block.elided)
    return llvm::createStringError("weight block '" + block.name +
                                   "' is shape only (elided): it has no "
                                   "values to program");

  SlicedWeights sliced;
  sliced.rows = block.rows;
  sliced.cols = block.cols;
  sliced.slices = config.slices;
  sliced.polarities = config.getPolarities();
  size_t cells = size_t(block.rows) * block.cols;
  sliced.levels.assign(cells * sliced.slices * sliced.polarities, 0);
  sliced.columnWeightSums.assign(block.cols, 0);

  const unsigned b = config.cellBits;
  const unsigned mask = (1u << b) - 1;
  const bool differential = config.encoding == WeightEncoding::Differential;
  sliced.weightOffset = differential ? 0 : int64_t{1} << (config.weightBits - 1);

  for (size_t cell = 0; cell < cells; ++cell) {
    int32_t w = block.values[cell];
    size_t col = cell % block.cols;
    if (differential) {
      sliced.columnWeightSums[col] += w;
      uint32_t magnitude[2] = {uint32_t(std::max(w, 0)),
                               uint32_t(std::max(-w, 0))};
      for (unsigned s = 0; s < sliced.slices; ++s)
        for (unsigned pol = 0; pol < 2; ++pol)
          sliced.levels[(size_t(s) * 2 + pol) * cells + cell] =
              static_cast<uint8_t>((magnitude[pol] >> (s * b)) & mask);
    } else {
      uint32_t u = static_cast<uint32_t>(w + sliced.weightOffset);
      sliced.columnWeightSums[col] += u;
      for (unsigned s = 0; s < sliced.slices; ++s)
        sliced.levels[size_t(s) * cells + cell] =
            static_cast<uint8_t>((u >> (s * b)) & mask);
    }
  }
  return sliced;
}

void mho::isa::encodeInput(const UnitConfig &config, ArrayRef<int8_t> input,
                           InputPlanes &out) {
  const unsigned inputBits = config.inputBits, d = config.dacBits;
  const int32_t inputOffset = 1 << (inputBits - 1);
  const unsigned mask = (1u << d) - 1;
  out.rows = static_cast<unsigned>(input.size());
  out.planes = config.planes;
  out.levels.resize(size_t(out.planes) * out.rows);
  int64_t sum = 0;
  for (unsigned i = 0; i < out.rows; ++i) {
    auto xu = static_cast<uint32_t>(saturate(input[i], inputBits) + inputOffset);
    sum += xu;
    for (unsigned p = 0; p < out.planes; ++p)
      out.levels[size_t(p) * out.rows + i] =
          static_cast<uint8_t>((xu >> (p * d)) & mask);
  }
  out.inputSum = sum;
}

namespace {
void fillReadOrder(const UnitConfig &config, std::vector<MvmRead> &order) {
  order.clear();
  unsigned polarities = config.getPolarities();
  for (unsigned s = 0; s < config.slices; ++s)
    for (unsigned pol = 0; pol < polarities; ++pol)
      for (unsigned p = 0; p < config.planes; ++p) {
        MvmRead read;
        read.slice = s;
        read.polarity = pol;
        read.plane = p;
        read.shift = config.adcShift + s * config.cellBits + p * config.dacBits;
        read.negate = pol == 1;
        order.push_back(read);
      }
}
} // namespace

std::vector<MvmRead> mho::isa::getReadOrder(const UnitConfig &config) {
  std::vector<MvmRead> order;
  fillReadOrder(config, order);
  return order;
}

void mho::isa::columnSums(const uint8_t *plane, const uint8_t *levels,
                          unsigned rows, unsigned cols, int32_t *out) {
  std::fill(out, out + cols, 0);
  for (unsigned i = 0; i < rows; ++i) {
    int32_t d = plane[i];
    if (d == 0)
      continue;
    const uint8_t *row = levels + size_t(i) * cols;
    for (unsigned j = 0; j < cols; ++j)
      out[j] += d * int32_t(row[j]);
  }
}

int32_t mho::isa::adcConvert(const UnitConfig &config, int64_t columnSum) {
  const int64_t fullScale = (int64_t{1} << config.adcBits) - 1;
  const unsigned k = config.adcShift;
  int64_t a = std::max<int64_t>(columnSum, 0);
  int64_t code = k > 0 ? (a + (int64_t{1} << (k - 1))) >> k : a;
  return static_cast<int32_t>(std::min(code, fullScale));
}

int32_t mho::isa::adcConvertReal(const UnitConfig &config, double columnSum) {
  const double fullScale = double((int64_t{1} << config.adcBits) - 1);
  if (std::isnan(columnSum))
    return 0;
  // floor(a / 2^k + 1/2) without rounding the addition: compare the fraction.
  double scaled = std::ldexp(columnSum, -int(config.adcShift));
  if (scaled <= 0.0)
    return 0;
  if (scaled >= fullScale)
    return static_cast<int32_t>(fullScale);
  double whole = std::floor(scaled);
  double code = whole + (scaled - whole >= 0.5 ? 1.0 : 0.0);
  return static_cast<int32_t>(std::min(code, fullScale));
}

void mho::isa::accumulateRead(const UnitConfig &config, const MvmRead &read,
                              bool first, ArrayRef<int32_t> codes,
                              MutableArrayRef<ShiftAddState> acc) {
  assert(codes.size() <= acc.size());
  const ShiftAddConfig shiftAdd = config.getShiftAddConfig();
  for (size_t j = 0, e = codes.size(); j < e; ++j)
    acc[j] = shiftAddStep(shiftAdd, acc[j], /*valid=*/true, /*clear=*/first,
                          read.negate, codes[j], read.shift);
}

int32_t mho::isa::correctColumn(const UnitConfig &config, unsigned rows,
                                int64_t weightOffset, int64_t inputSum,
                                int64_t columnWeightSum, int64_t acc) {
  const int64_t inputOffset = int64_t{1} << (config.inputBits - 1);
  int64_t y = acc - weightOffset * inputSum - inputOffset * columnWeightSum +
              int64_t(rows) * inputOffset * weightOffset;
  return static_cast<int32_t>(saturate(y, 32));
}

int32_t mho::isa::addSaturate32(int32_t a, int32_t b) {
  return static_cast<int32_t>(saturate(int64_t(a) + b, 32));
}

void mho::isa::addSaturate32(void *acc, const int32_t *values, size_t n) {
  auto *bytes = static_cast<uint8_t *>(acc);
  for (size_t j = 0; j < n; ++j) {
    uint32_t a;
    std::memcpy(&a, bytes + 4 * j, 4);
    const uint32_t b = uint32_t(values[j]), sum = a + b;
    // Signed overflow iff a and b have one sign and the wrapped sum the
    // other; the result then saturates towards a's sign.
    const uint32_t overflow = uint32_t(int32_t((a ^ sum) & (b ^ sum)) >> 31);
    const uint32_t limit = (a >> 31) + 0x7FFFFFFFu;
    const uint32_t result = (sum & ~overflow) | (limit & overflow);
    std::memcpy(bytes + 4 * j, &result, 4);
  }
}

void mho::isa::mvmIdeal(const UnitConfig &config, const SlicedWeights &weights,
                        ArrayRef<int8_t> input, MutableArrayRef<int32_t> output,
                        MvmScratch &scratch) {
  assert(input.size() == weights.rows && "input length must equal R");
  assert(output.size() >= weights.cols && "output shorter than C");
  const unsigned rows = weights.rows, cols = weights.cols;

  encodeInput(config, input, scratch.input);
  fillReadOrder(config, scratch.order);
  scratch.sums.resize(cols);
  scratch.codes.resize(cols);
  scratch.acc.resize(cols);

  bool first = true;
  for (const MvmRead &read : scratch.order) {
    columnSums(scratch.input.getPlane(read.plane),
               weights.getLevels(read.slice, read.polarity), rows, cols,
               scratch.sums.data());
    for (unsigned j = 0; j < cols; ++j)
      scratch.codes[j] = adcConvert(config, scratch.sums[j]);
    accumulateRead(config, read, first, scratch.codes, scratch.acc);
    first = false;
  }
  for (unsigned j = 0; j < cols; ++j)
    output[j] = correctColumn(config, rows, weights.weightOffset,
                              scratch.input.inputSum,
                              weights.columnWeightSums[j], scratch.acc[j].acc);
}

llvm::Expected<std::vector<int32_t>>
mho::isa::mvmIdeal(const UnitConfig &config, const WeightBlock &block,
                   ArrayRef<int8_t> input) {
  if (llvm::Error err = verifyUnitConfig(config))
    return std::move(err);
  llvm::Expected<SlicedWeights> sliced = sliceWeights(config, block);
  if (!sliced)
    return sliced.takeError();
  if (input.size() != block.rows)
    return llvm::createStringError("mvm: input has " +
                                   llvm::Twine(input.size()) +
                                   " elements, the block has " +
                                   llvm::Twine(block.rows) + " rows");
  std::vector<int32_t> output(block.cols);
  MvmScratch scratch;
  mvmIdeal(config, *sliced, input, output, scratch);
  return output;
}

bool mho::isa::canBeExact(const UnitConfig &config, unsigned rows) {
  if (config.adcShift != 0)
    return false;
  const uint64_t r = rows;
  uint64_t maxColumnSum =
      r * ((1u << config.dacBits) - 1) * ((1u << config.cellBits) - 1);
  if (maxColumnSum > (uint64_t{1} << config.adcBits) - 1)
    return false;
  // The shift-and-add never saturates: |partial sums| <= R*(2^I-1)*M with M
  // the largest stored magnitude.
  uint64_t magnitude = config.encoding == WeightEncoding::Differential
                           ? (uint64_t{1} << (config.weightBits - 1)) - 1
                           : (uint64_t{1} << config.weightBits) - 1;
  uint64_t maxAcc = r * ((uint64_t{1} << config.inputBits) - 1) * magnitude;
  if (maxAcc > uint64_t(maxSigned(config.accBits)))
    return false;
  // The exact product fits the i32 result.
  uint64_t maxProduct = r << (config.inputBits - 1 + config.weightBits - 1);
  return maxProduct <= uint64_t(INT32_MAX);
}
