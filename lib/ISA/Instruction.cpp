//===- Instruction.cpp - Builders, views and byte encoding ----------------===//

#include "mho/ISA/Instruction.h"

#include "llvm/Support/Endian.h"

#include <cassert>
#include <cstring>

using namespace mho::isa;

uint32_t mho::isa::floatToBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

float mho::isa::bitsToFloat(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

namespace {
uint8_t code(Opcode opcode) { return static_cast<uint8_t>(opcode); }
uint8_t code(MemorySpace space) { return static_cast<uint8_t>(space); }
uint8_t code(DataType type) { return static_cast<uint8_t>(type); }
uint8_t typeByte(uint8_t lo, uint8_t hi) {
  return static_cast<uint8_t>((lo & 0xF) | (hi & 0xF) << 4);
}
uint8_t flagIf(bool condition, uint8_t bit) { return condition ? bit : 0; }
} // namespace

Instruction
Instruction::fromFields(uint8_t opcode, uint8_t fn, uint8_t type, uint8_t flags,
                        const std::array<uint32_t, NumOperands> &ops) {
  Instruction inst;
  inst.opcode = opcode;
  inst.fn = fn;
  inst.type = type;
  inst.flags = flags;
  inst.operands = ops;
  return inst;
}

Instruction Instruction::nop() { return Instruction(); }

Instruction Instruction::halt() {
  return fromFields(code(Opcode::Halt), 0, 0, 0, {});
}

Instruction Instruction::barrier(uint32_t id, uint32_t count) {
  return fromFields(code(Opcode::Barrier), 0, 0, 0, {id, count});
}

Instruction Instruction::send(MemorySpace srcSpace, uint32_t src,
                              uint32_t dstTile, uint32_t dst, uint32_t bytes,
                              uint32_t tag) {
  return fromFields(code(Opcode::Send), 0, typeByte(0, code(srcSpace)), 0,
                    {src, dstTile, dst, bytes, tag});
}

Instruction Instruction::recv(uint32_t tag, uint32_t srcTile, uint32_t bytes) {
  return fromFields(code(Opcode::Recv), 0, 0, 0, {tag, srcTile, bytes});
}

Instruction Instruction::wprog(uint8_t unit, uint32_t block) {
  return fromFields(code(Opcode::Wprog), unit, 0, 0, {block});
}

Instruction Instruction::mvm(uint8_t unit, uint32_t src, uint32_t dst,
                             uint32_t count, uint32_t srcStride,
                             uint32_t dstStride, bool accumulate,
                             bool countIndirect) {
  return fromFields(code(Opcode::Mvm), unit, 0,
                    flagIf(accumulate, flag::MvmAccumulate) |
                        flagIf(countIndirect, flag::MvmCountIndirect),
                    {src, dst, count, srcStride, dstStride});
}

Instruction Instruction::dma(MemorySpace srcSpace, MemorySpace dstSpace,
                             uint64_t src, uint64_t dst, uint32_t rowBytes,
                             uint32_t rows, uint32_t srcStride,
                             uint32_t dstStride) {
  uint32_t hi = static_cast<uint32_t>((src >> 32) & 0xFFFF) |
                static_cast<uint32_t>((dst >> 32) & 0xFFFF) << 16;
  return fromFields(code(Opcode::Dma), 0,
                    typeByte(code(srcSpace), code(dstSpace)), 0,
                    {static_cast<uint32_t>(src), static_cast<uint32_t>(dst), hi,
                     rowBytes, rows, srcStride, dstStride});
}

Instruction Instruction::vgather(uint32_t dst, uint32_t src, uint32_t index,
                                 uint32_t count, uint32_t rowBytes,
                                 bool countIndirect) {
  return fromFields(code(Opcode::Vgather), 0, 0,
                    flagIf(countIndirect, flag::GatherCountIndirect),
                    {dst, src, index, count, rowBytes});
}

Instruction Instruction::vscatter(uint32_t dst, uint32_t src, uint32_t index,
                                  uint32_t count, uint32_t rowBytes,
                                  bool accumulate, bool countIndirect) {
  return fromFields(code(Opcode::Vscatter), 0, 0,
                    flagIf(accumulate, flag::ScatterAccumulate) |
                        flagIf(countIndirect, flag::GatherCountIndirect),
                    {dst, src, index, count, rowBytes});
}

Instruction Instruction::vdispatch(uint32_t dstLists, uint32_t dstCounts,
                                   uint32_t src, uint32_t entries,
                                   uint32_t experts, uint32_t capacity) {
  return fromFields(code(Opcode::Vdispatch), 0, 0, 0,
                    {dstLists, dstCounts, src, entries, experts, capacity});
}

Instruction Instruction::vec(const VecOperands &ops) {
  bool conversion = ops.fn == VecFn::Cvt || ops.fn == VecFn::Quant ||
                    ops.fn == VecFn::Dequant;
  return fromFields(code(Opcode::Vec), static_cast<uint8_t>(ops.fn),
                    typeByte(code(ops.type), conversion ? code(ops.toType) : 0),
                    static_cast<uint8_t>(ops.mode) & flag::VecModeMask,
                    {ops.dst, ops.src1, ops.src2, ops.rows, ops.cols, ops.imm0,
                     ops.imm1});
}

Instruction Instruction::vecUnary(VecFn fn, DataType type, uint32_t dst,
                                  uint32_t src, uint32_t rows, uint32_t cols) {
  VecOperands ops;
  ops.fn = fn;
  ops.type = type;
  ops.dst = dst;
  ops.src1 = src;
  ops.rows = rows;
  ops.cols = cols;
  return vec(ops);
}

Instruction Instruction::vecBinary(VecFn fn, DataType type, Src2Mode mode,
                                   uint32_t dst, uint32_t src1, uint32_t src2,
                                   uint32_t rows, uint32_t cols) {
  VecOperands ops;
  ops.fn = fn;
  ops.type = type;
  ops.mode = mode;
  ops.dst = dst;
  ops.src1 = src1;
  ops.src2 = src2;
  ops.rows = rows;
  ops.cols = cols;
  return vec(ops);
}

Instruction Instruction::vecBinaryImm(VecFn fn, uint32_t dst, uint32_t src1,
                                      float imm, uint32_t rows, uint32_t cols) {
  VecOperands ops;
  ops.fn = fn;
  ops.type = DataType::F32;
  ops.dst = dst;
  ops.src1 = src1;
  ops.rows = rows;
  ops.cols = cols;
  ops.imm0 = floatToBits(imm);
  return vec(ops);
}

Instruction Instruction::vecBinaryImmI32(VecFn fn, uint32_t dst, uint32_t src1,
                                         int32_t imm, uint32_t rows,
                                         uint32_t cols) {
  VecOperands ops;
  ops.fn = fn;
  ops.type = DataType::I32;
  ops.dst = dst;
  ops.src1 = src1;
  ops.rows = rows;
  ops.cols = cols;
  ops.imm0 = static_cast<uint32_t>(imm);
  return vec(ops);
}

Instruction Instruction::cvt(DataType from, DataType to, uint32_t dst,
                             uint32_t src, uint32_t rows, uint32_t cols) {
  VecOperands ops;
  ops.fn = VecFn::Cvt;
  ops.type = from;
  ops.toType = to;
  ops.dst = dst;
  ops.src1 = src;
  ops.rows = rows;
  ops.cols = cols;
  return vec(ops);
}

Instruction Instruction::quant(DataType to, uint32_t dst, uint32_t src,
                               uint32_t rows, uint32_t cols, float invScale,
                               int32_t zeroPoint, Src2Mode mode,
                               uint32_t src2) {
  VecOperands ops;
  ops.fn = VecFn::Quant;
  ops.type = DataType::F32;
  ops.toType = to;
  ops.mode = mode;
  ops.dst = dst;
  ops.src1 = src;
  ops.src2 = mode == Src2Mode::Imm ? 0 : src2;
  ops.rows = rows;
  ops.cols = cols;
  ops.imm0 = mode == Src2Mode::Imm ? floatToBits(invScale) : 0;
  ops.imm1 = static_cast<uint32_t>(zeroPoint);
  return vec(ops);
}

Instruction Instruction::dequant(uint32_t dst, uint32_t src, float scale,
                                 uint32_t rows, uint32_t cols, Src2Mode mode,
                                 uint32_t src2) {
  VecOperands ops;
  ops.fn = VecFn::Dequant;
  ops.type = DataType::I32;
  ops.toType = DataType::F32;
  ops.mode = mode;
  ops.dst = dst;
  ops.src1 = src;
  ops.src2 = src2;
  ops.rows = rows;
  ops.cols = cols;
  ops.imm0 = floatToBits(scale);
  return vec(ops);
}

Instruction Instruction::vred(ReduceKind kind, DataType type, uint32_t dst,
                              uint32_t src, uint32_t rows, uint32_t cols) {
  return fromFields(code(Opcode::Vred), static_cast<uint8_t>(kind),
                    typeByte(code(type), 0), 0, {dst, src, 0, rows, cols});
}

Instruction Instruction::vtopk(uint32_t dstValues, uint32_t dstIndices,
                               uint32_t src, uint32_t rows, uint32_t cols,
                               uint32_t k) {
  return fromFields(code(Opcode::Vtopk), 0, 0, 0,
                    {dstValues, dstIndices, src, rows, cols, k});
}

Instruction Instruction::dmm(DataType type, uint32_t dst, uint32_t a,
                             uint32_t b, uint32_t m, uint32_t k, uint32_t n,
                             bool transposeB, bool accumulate) {
  return fromFields(code(Opcode::Dmm), 0, typeByte(code(type), 0),
                    flagIf(transposeB, flag::DmmTransposeB) |
                        flagIf(accumulate, flag::DmmAccumulate),
                    {dst, a, b, m, k, n});
}

//===----------------------------------------------------------------------===//
// Typed views
//===----------------------------------------------------------------------===//

BarrierOperands Instruction::getBarrier() const {
  assert(getOpcode() == Opcode::Barrier);
  return {operands[0], operands[1]};
}

SendOperands Instruction::getSend() const {
  assert(getOpcode() == Opcode::Send);
  SendOperands ops;
  ops.srcSpace = static_cast<MemorySpace>(getTypeHi());
  ops.src = operands[0];
  ops.dstTile = operands[1];
  ops.dst = operands[2];
  ops.bytes = operands[3];
  ops.tag = operands[4];
  return ops;
}

RecvOperands Instruction::getRecv() const {
  assert(getOpcode() == Opcode::Recv);
  return {operands[0], operands[1], operands[2]};
}

WprogOperands Instruction::getWprog() const {
  assert(getOpcode() == Opcode::Wprog);
  return {fn, operands[0]};
}

MvmOperands Instruction::getMvm() const {
  assert(getOpcode() == Opcode::Mvm);
  MvmOperands ops;
  ops.unit = fn;
  ops.src = operands[0];
  ops.dst = operands[1];
  ops.count = operands[2];
  ops.srcStride = operands[3];
  ops.dstStride = operands[4];
  ops.accumulate = flags & flag::MvmAccumulate;
  ops.countIndirect = flags & flag::MvmCountIndirect;
  return ops;
}

DmaOperands Instruction::getDma() const {
  assert(getOpcode() == Opcode::Dma);
  DmaOperands ops;
  ops.srcSpace = static_cast<MemorySpace>(getTypeLo());
  ops.dstSpace = static_cast<MemorySpace>(getTypeHi());
  ops.src = uint64_t(operands[2] & 0xFFFF) << 32 | operands[0];
  ops.dst = uint64_t(operands[2] >> 16) << 32 | operands[1];
  ops.rowBytes = operands[3];
  ops.rows = operands[4];
  ops.srcStride = operands[5];
  ops.dstStride = operands[6];
  return ops;
}

GatherOperands Instruction::getGather() const {
  assert(getOpcode() == Opcode::Vgather || getOpcode() == Opcode::Vscatter);
  GatherOperands ops;
  ops.dst = operands[0];
  ops.src = operands[1];
  ops.index = operands[2];
  ops.count = operands[3];
  ops.rowBytes = operands[4];
  ops.countIndirect = flags & flag::GatherCountIndirect;
  ops.accumulate = getOpcode() == Opcode::Vscatter &&
                   (flags & flag::ScatterAccumulate);
  return ops;
}

VdispatchOperands Instruction::getVdispatch() const {
  assert(getOpcode() == Opcode::Vdispatch);
  return {operands[0], operands[1], operands[2],
          operands[3], operands[4], operands[5]};
}

VecOperands Instruction::getVec() const {
  assert(getOpcode() == Opcode::Vec);
  VecOperands ops;
  ops.fn = static_cast<VecFn>(fn);
  ops.type = static_cast<DataType>(getTypeLo());
  ops.toType = static_cast<DataType>(getTypeHi());
  ops.mode = static_cast<Src2Mode>(flags & flag::VecModeMask);
  ops.dst = operands[0];
  ops.src1 = operands[1];
  ops.src2 = operands[2];
  ops.rows = operands[3];
  ops.cols = operands[4];
  ops.imm0 = operands[5];
  ops.imm1 = operands[6];
  return ops;
}

VredOperands Instruction::getVred() const {
  assert(getOpcode() == Opcode::Vred);
  VredOperands ops;
  ops.kind = static_cast<ReduceKind>(fn);
  ops.type = static_cast<DataType>(getTypeLo());
  ops.dst = operands[0];
  ops.src = operands[1];
  ops.rows = operands[3];
  ops.cols = operands[4];
  return ops;
}

VtopkOperands Instruction::getVtopk() const {
  assert(getOpcode() == Opcode::Vtopk);
  return {operands[0], operands[1], operands[2],
          operands[3], operands[4], operands[5]};
}

DmmOperands Instruction::getDmm() const {
  assert(getOpcode() == Opcode::Dmm);
  DmmOperands ops;
  ops.type = static_cast<DataType>(getTypeLo());
  ops.dst = operands[0];
  ops.a = operands[1];
  ops.b = operands[2];
  ops.m = operands[3];
  ops.k = operands[4];
  ops.n = operands[5];
  ops.transposeB = flags & flag::DmmTransposeB;
  ops.accumulate = flags & flag::DmmAccumulate;
  return ops;
}

//===----------------------------------------------------------------------===//
// Bytes
//===----------------------------------------------------------------------===//

void Instruction::encode(uint8_t *out) const {
  out[0] = opcode;
  out[1] = fn;
  out[2] = type;
  out[3] = flags;
  for (unsigned i = 0; i < NumOperands; ++i)
    llvm::support::endian::write32le(out + 4 + 4 * i, operands[i]);
}

Instruction::Bytes Instruction::encode() const {
  Bytes bytes;
  encode(bytes.data());
  return bytes;
}

llvm::Expected<Instruction>
Instruction::decode(llvm::ArrayRef<uint8_t> bytes) {
  if (bytes.size() != Size)
    return llvm::createStringError(
        "an instruction is 32 bytes, got " + std::to_string(bytes.size()));
  std::array<uint32_t, NumOperands> ops;
  for (unsigned i = 0; i < NumOperands; ++i)
    ops[i] = llvm::support::endian::read32le(bytes.data() + 4 + 4 * i);
  Instruction inst = fromFields(bytes[0], bytes[1], bytes[2], bytes[3], ops);
  if (llvm::Error err = inst.verify())
    return std::move(err);
  return inst;
}
