//===- XBarOps.cpp - xbar ops: custom syntax, ISA mapping, verifiers
//-------===//
//
// Each instruction op maps to one mho::isa::Instruction. Its verifier checks
// what is particular to the MLIR form (attributes present exactly when the
// instruction uses the field, addresses that fit their fields), then applies
// the ISA library's rules to the instruction (Instruction::verify and
// mho::isa::verifyInstruction: legal functions and types, unit indices, memory
// extents, ...), so the dialect accepts exactly what the ISA does. On top of
// that come the checks only a whole program allows: MVM extents for the block
// a unit holds, barrier counts against the program's cores, DMA overlap,
// unique cores, symbol references.
//
//===----------------------------------------------------------------------===//

#include "mho/Dialect/XBar/IR/XBarOps.h"

#include "mho/ISA/InstructionFormat.h"
#include "mho/ISA/ProgramImage.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"

#include <tuple>

using namespace mlir;
using namespace mho::xbar;

#include "mho/Dialect/XBar/IR/XBarOpInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Custom directives
//===----------------------------------------------------------------------===//

/// An address: an unsigned 64-bit integer, printed in hexadecimal.
static ParseResult parseAddress(OpAsmParser &parser, IntegerAttr &attr) {
  uint64_t value;
  if (parser.parseInteger(value))
    return failure();
  Builder &builder = parser.getBuilder();
  attr = builder.getIntegerAttr(builder.getIntegerType(64, /*isSigned=*/false),
                                APInt(64, value));
  return success();
}

static void printAddress(OpAsmPrinter &printer, Operation *, IntegerAttr attr) {
  printer << "0x"
          << llvm::utohexstr(attr.getValue().getZExtValue(),
                             /*LowerCase=*/true);
}

/// A global tile id (`chip << 16 | tile`, ISA §1), written `<chip, tile>`.
static ParseResult parseTileId(OpAsmParser &parser, IntegerAttr &attr) {
  uint16_t chip, tile;
  if (parser.parseLess() || parser.parseInteger(chip) || parser.parseComma() ||
      parser.parseInteger(tile) || parser.parseGreater())
    return failure();
  Builder &builder = parser.getBuilder();
  attr = builder.getIntegerAttr(builder.getIntegerType(32, /*isSigned=*/false),
                                APInt(32, uint32_t{chip} << 16 | tile));
  return success();
}

static void printTileId(OpAsmPrinter &printer, Operation *, IntegerAttr attr) {
  uint64_t id = attr.getValue().getZExtValue();
  printer << "<" << (id >> 16) << ", " << (id & 0xffff) << ">";
}

/// An elements attribute written `: type = value`, its type first.
static ParseResult parseTypedValue(OpAsmParser &parser, ElementsAttr &value) {
  Type type;
  Attribute attr;
  if (parser.parseColonType(type) || parser.parseEqual())
    return failure();
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseAttribute(attr, type))
    return failure();
  value = dyn_cast<ElementsAttr>(attr);
  if (!value)
    return parser.emitError(loc, "expected an elements attribute");
  return success();
}

static void printTypedValue(OpAsmPrinter &printer, Operation *,
                            ElementsAttr value) {
  printer << ": " << value.getType() << " = ";
  printer.printAttributeWithoutType(value);
}

#define GET_OP_CLASSES
#include "mho/Dialect/XBar/IR/XBarOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static std::string hex(uint64_t value) {
  return "0x" + llvm::utohexstr(value, /*LowerCase=*/true);
}

/// The unit configuration of the program `op` is in, or null outside one.
static UnitConfigAttr getConfig(Operation *op) {
  auto program = op->getParentOfType<ProgramOp>();
  return program ? program.getConfig() : UnitConfigAttr();
}

// The dialect's enums hold the ISA codes: conversions are casts.
#define MHO_SAME_CODE(XBAR, ISA)                                               \
  static_assert(static_cast<unsigned>(XBAR) == static_cast<unsigned>(ISA),     \
                #XBAR " has the ISA code of " #ISA)
MHO_SAME_CODE(MemorySpace::spad, mho::isa::MemorySpace::Spad);
MHO_SAME_CODE(MemorySpace::tbuf, mho::isa::MemorySpace::Tbuf);
MHO_SAME_CODE(MemorySpace::dram, mho::isa::MemorySpace::Dram);
MHO_SAME_CODE(DataType::i8, mho::isa::DataType::I8);
MHO_SAME_CODE(DataType::i32, mho::isa::DataType::I32);
MHO_SAME_CODE(DataType::f32, mho::isa::DataType::F32);
MHO_SAME_CODE(DataType::i16, mho::isa::DataType::I16);
MHO_SAME_CODE(DataType::bf16, mho::isa::DataType::BF16);
MHO_SAME_CODE(DataType::f16, mho::isa::DataType::F16);
MHO_SAME_CODE(VecFunction::copy, mho::isa::VecFn::Copy);
MHO_SAME_CODE(VecFunction::add, mho::isa::VecFn::Add);
MHO_SAME_CODE(VecFunction::sub, mho::isa::VecFn::Sub);
MHO_SAME_CODE(VecFunction::mul, mho::isa::VecFn::Mul);
MHO_SAME_CODE(VecFunction::div, mho::isa::VecFn::Div);
MHO_SAME_CODE(VecFunction::max, mho::isa::VecFn::Max);
MHO_SAME_CODE(VecFunction::min, mho::isa::VecFn::Min);
MHO_SAME_CODE(VecFunction::neg, mho::isa::VecFn::Neg);
MHO_SAME_CODE(VecFunction::abs, mho::isa::VecFn::Abs);
MHO_SAME_CODE(VecFunction::exp, mho::isa::VecFn::Exp);
MHO_SAME_CODE(VecFunction::recip, mho::isa::VecFn::Recip);
MHO_SAME_CODE(VecFunction::sqrt, mho::isa::VecFn::Sqrt);
MHO_SAME_CODE(VecFunction::rsqrt, mho::isa::VecFn::Rsqrt);
MHO_SAME_CODE(VecFunction::tanh, mho::isa::VecFn::Tanh);
MHO_SAME_CODE(VecFunction::sigmoid, mho::isa::VecFn::Sigmoid);
MHO_SAME_CODE(VecFunction::erf, mho::isa::VecFn::Erf);
MHO_SAME_CODE(VecFunction::gelu, mho::isa::VecFn::Gelu);
MHO_SAME_CODE(VecFunction::silu, mho::isa::VecFn::Silu);
MHO_SAME_CODE(VecFunction::cvt, mho::isa::VecFn::Cvt);
MHO_SAME_CODE(VecFunction::quant, mho::isa::VecFn::Quant);
MHO_SAME_CODE(VecFunction::dequant, mho::isa::VecFn::Dequant);
MHO_SAME_CODE(Src2Mode::elem, mho::isa::Src2Mode::Elem);
MHO_SAME_CODE(Src2Mode::row, mho::isa::Src2Mode::PerRow);
MHO_SAME_CODE(Src2Mode::col, mho::isa::Src2Mode::PerCol);
MHO_SAME_CODE(ReduceKind::sum, mho::isa::ReduceKind::Sum);
MHO_SAME_CODE(ReduceKind::max, mho::isa::ReduceKind::Max);
MHO_SAME_CODE(ReduceKind::min, mho::isa::ReduceKind::Min);
MHO_SAME_CODE(WeightEncoding::offset, mho::isa::WeightEncoding::Offset);
MHO_SAME_CODE(WeightEncoding::differential,
              mho::isa::WeightEncoding::Differential);
MHO_SAME_CODE(SymbolKind::input, mho::isa::SymbolKind::Input);
MHO_SAME_CODE(SymbolKind::output, mho::isa::SymbolKind::Output);
MHO_SAME_CODE(SymbolKind::constant, mho::isa::SymbolKind::Constant);
#undef MHO_SAME_CODE

static mho::isa::DataType toIsa(DataType type) {
  return static_cast<mho::isa::DataType>(type);
}
static mho::isa::MemorySpace toIsa(MemorySpace space) {
  return static_cast<mho::isa::MemorySpace>(space);
}

/// The bits of an f32 or i32 immediate.
static uint32_t getImmediateBits(Attribute attr) {
  if (!attr)
    return 0;
  if (auto floatAttr = dyn_cast<FloatAttr>(attr))
    return floatAttr.getValue().bitcastToAPInt().getZExtValue();
  return cast<IntegerAttr>(attr).getValue().getZExtValue();
}

/// Checks that each named address fits the `bits`-bit field holding it.
static LogicalResult
checkAddressFields(Operation *op,
                   ArrayRef<std::pair<StringRef, uint64_t>> addresses,
                   unsigned bits = 32) {
  for (auto [name, value] : addresses)
    if (value >> bits)
      return op->emitOpError() << name << " address " << hex(value)
                               << " does not fit its " << bits << "-bit field";
  return success();
}

/// Applies the ISA library's rules to the instruction `op` stands for: the
/// encoding rules, then those that depend on the unit configuration.
static LogicalResult verifyIsaRules(InstructionOpInterface op) {
  mho::isa::Instruction inst = op.getInstruction(/*weightBlock=*/0);
  if (llvm::Error err = inst.verify())
    return op->emitOpError() << llvm::toString(std::move(err));
  UnitConfigAttr config = getConfig(op);
  if (!config)
    return success();
  // wprog's block is checked by symbol (WProgOp::verifySymbolUses); block 0
  // of one stands in for it here.
  if (llvm::Error err = mho::isa::verifyInstruction(inst, config.getIsaConfig(),
                                                    /*numWeightBlocks=*/1))
    return op->emitOpError() << llvm::toString(std::move(err));
  return success();
}

//===----------------------------------------------------------------------===//
// ProgramOp
//===----------------------------------------------------------------------===//

void ProgramOp::build(OpBuilder &builder, OperationState &state,
                      UnitConfigAttr config) {
  state.getOrAddProperties<Properties>().config = config;
  state.addRegion()->emplaceBlock();
}

/// Bytes of a dram_init's value; its verifier ensures whole-byte elements.
static uint64_t getInitBytes(DramInitOp init) {
  ElementsAttr value = init.getValue();
  return llvm::SaturatingMultiply(
      static_cast<uint64_t>(value.getNumElements()),
      uint64_t{value.getElementType().getIntOrFloatBitWidth() / 8});
}

static FailureOr<BarrierOp>
verifyCoreStream(CoreOp core, const llvm::StringMap<WeightBlockOp> &blocks,
                 uint64_t numCores);

LogicalResult ProgramOp::verifyRegions() {
  llvm::DenseMap<std::tuple<unsigned, unsigned, unsigned>, CoreOp> cores;
  SmallVector<CoreOp> coresInOrder;
  // The weight blocks by name (not a SymbolTable: duplicate names are the
  // program's symbol table's to report).
  llvm::StringMap<WeightBlockOp> blocks;
  SmallVector<DramInitOp> inits;
  for (Operation &op : getBody().front()) {
    if (auto core = dyn_cast<CoreOp>(op)) {
      auto [it, inserted] = cores.try_emplace(
          {core.getChip(), core.getTile(), core.getCore()}, core);
      if (!inserted) {
        InFlightDiagnostic diag = core.emitOpError()
                                  << "core <" << core.getChip() << ", "
                                  << core.getTile() << ", " << core.getCore()
                                  << "> is defined twice in the program";
        diag.attachNote(it->second.getLoc()) << "first defined here";
        return diag;
      }
      coresInOrder.push_back(core);
      continue;
    }
    if (auto init = dyn_cast<DramInitOp>(op)) {
      inits.push_back(init);
      continue;
    }
    if (auto block = dyn_cast<WeightBlockOp>(op)) {
      blocks.try_emplace(block.getSymName(), block);
      continue;
    }
    if (!llvm::isa<SymbolOp>(op))
      return op.emitOpError()
             << "cannot be in an 'xbar.program', which holds only "
                "xbar.core, xbar.weight_block, xbar.symbol and xbar.dram_init";
  }

  // A barrier waiting for more cores than the program has never releases.
  // It is reported once every core's mvms have been checked, so that an mvm
  // error anywhere still comes first.
  uint64_t numCores = cores.size();
  BarrierOp neverReleases;
  for (CoreOp core : coresInOrder) {
    FailureOr<BarrierOp> barrier = verifyCoreStream(core, blocks, numCores);
    if (failed(barrier))
      return failure();
    if (!neverReleases)
      neverReleases = *barrier;
  }
  if (neverReleases)
    return neverReleases.emitOpError()
           << "count " << neverReleases.getCount() << " exceeds the "
           << numCores << " core(s) of the program: it would never release";

  // DRAM initialisers must not overlap: the image would not say which wins.
  llvm::sort(inits, [](DramInitOp a, DramInitOp b) {
    return a.getAddress() < b.getAddress();
  });
  DramInitOp furthest; // The initialiser reaching furthest so far.
  uint64_t furthestEnd = 0;
  for (DramInitOp init : inits) {
    uint64_t begin = init.getAddress();
    uint64_t end = llvm::SaturatingAdd(begin, getInitBytes(init));
    if (begin == end)
      continue;
    if (furthest && begin < furthestEnd) {
      InFlightDiagnostic diag = init.emitOpError()
                                << "bytes [" << hex(begin) << ", " << hex(end)
                                << ") overlap the xbar.dram_init at "
                                << hex(furthest.getAddress());
      diag.attachNote(furthest.getLoc()) << "the other xbar.dram_init";
      return diag;
    }
    if (end > furthestEnd) {
      furthest = init;
      furthestEnd = end;
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// CoreOp
//===----------------------------------------------------------------------===//

void CoreOp::build(OpBuilder &builder, OperationState &state, uint16_t chip,
                   uint16_t tile, uint16_t core) {
  Type u16 = builder.getIntegerType(16, /*isSigned=*/false);
  Properties &props = state.getOrAddProperties<Properties>();
  props.chip = builder.getIntegerAttr(u16, chip);
  props.tile = builder.getIntegerAttr(u16, tile);
  props.core = builder.getIntegerAttr(u16, core);
  state.addRegion()->emplaceBlock();
}

LogicalResult CoreOp::verify() {
  UnitConfigAttr config = getConfig(*this);
  if (!config ||
      (getChip() < config.getChips() && getTile() < config.getTiles() &&
       getCore() < config.getCores()))
    return success();
  return emitOpError() << "core <" << getChip() << ", " << getTile() << ", "
                       << getCore() << "> is outside the configured "
                       << config.getChips() << " chip(s) x "
                       << config.getTiles() << " tile(s) x "
                       << config.getCores() << " core(s)";
}

/// Bytes spanned by `count` records of `bytes` bytes, `stride` apart.
static uint64_t stridedExtent(uint64_t count, uint64_t stride, uint64_t bytes) {
  if (count == 0 || bytes == 0)
    return 0;
  return llvm::SaturatingAdd(llvm::SaturatingMultiply(count - 1, stride),
                             bytes);
}

/// Checks an mvm's vectors against the block its unit holds: `rows` i8
/// inputs and `cols` i32 outputs per vector (ISA §3, mvm).
static LogicalResult verifyMvmExtents(MvmOp mvm, UnitConfigAttr config,
                                      RankedTensorType block) {
  if (!config || mvm.getCountIndirect())
    return success();
  uint64_t rows = block.getDimSize(0), cols = block.getDimSize(1);
  struct Access {
    StringRef name;
    uint64_t address, bytes;
  };
  const Access accesses[] = {
      {"input", mvm.getSrc(),
       stridedExtent(mvm.getCount(), mvm.getSrcStride(), rows)},
      {"output", mvm.getDst(),
       stridedExtent(mvm.getCount(), mvm.getDstStride(), 4 * cols)}};
  for (const Access &access : accesses) {
    uint64_t end = llvm::SaturatingAdd(access.address, access.bytes);
    if (access.bytes != 0 && end > config.getSpadBytes())
      return mvm.emitOpError()
             << access.name << " vectors [" << hex(access.address) << ", "
             << hex(end) << ") exceed spad (" << config.getSpadBytes()
             << " bytes) for the " << rows << "x" << cols << " block unit "
             << unsigned(mvm.getUnit()) << " holds";
  }
  return success();
}

/// Checks every mvm of `core` against the block its unit was last programmed
/// with at that point of the stream, and returns the core's first barrier
/// waiting for more than the program's `numCores` cores (null if none): the
/// program reports it, after every core's mvms. (Run once per program, with
/// the blocks gathered once: per core it would be quadratic in large
/// programs.)
static FailureOr<BarrierOp>
verifyCoreStream(CoreOp core, const llvm::StringMap<WeightBlockOp> &blocks,
                 uint64_t numCores) {
  UnitConfigAttr config = getConfig(core);
  llvm::DenseMap<unsigned, RankedTensorType> programmed;
  BarrierOp neverReleases;
  for (Operation &op : core.getBody().front()) {
    if (auto barrier = dyn_cast<BarrierOp>(op)) {
      if (!neverReleases && barrier.getCount() > numCores)
        neverReleases = barrier;
      continue;
    }
    if (auto wprog = dyn_cast<WProgOp>(op)) {
      // An invalid or missing block reports itself; only a rank-2 one is
      // recorded.
      WeightBlockOp block = blocks.lookup(wprog.getBlock());
      auto type = block ? dyn_cast<RankedTensorType>(block.getValue().getType())
                        : RankedTensorType();
      if (type && type.getRank() == 2)
        programmed[wprog.getUnit()] = type;
      continue;
    }
    auto mvm = dyn_cast<MvmOp>(op);
    if (!mvm)
      continue;
    auto it = programmed.find(mvm.getUnit());
    if (it == programmed.end())
      return mvm.emitOpError() << "unit " << unsigned(mvm.getUnit())
                               << " is used before any xbar.wprog in this "
                                  "core programs it";
    if (failed(verifyMvmExtents(mvm, config, it->second)))
      return failure();
  }
  return neverReleases;
}

LogicalResult CoreOp::verifyRegions() {
  for (Operation &op : getBody().front())
    if (!llvm::isa<InstructionOpInterface>(op))
      return op.emitOpError() << "cannot be in an 'xbar.core', which holds "
                                 "only xbar instructions";
  return success();
}

//===----------------------------------------------------------------------===//
// WeightBlockOp
//===----------------------------------------------------------------------===//

std::optional<std::vector<int16_t>> WeightBlockOp::readWeights() {
  if (auto dense = dyn_cast<DenseIntElementsAttr>(getValue())) {
    std::vector<int16_t> values;
    values.reserve(dense.getNumElements());
    for (const APInt &value : dense.getValues<APInt>())
      values.push_back(static_cast<int16_t>(value.getSExtValue()));
    return values;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(getValue());
  if (!resource)
    return std::nullopt;
  AsmResourceBlob *blob = resource.getRawHandle().getBlob();
  unsigned width = resource.getElementType().getIntOrFloatBitWidth();
  uint64_t count = resource.getNumElements();
  if (!blob || (width != 8 && width != 16) ||
      blob->getData().size() != count * (width / 8))
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  std::vector<int16_t> values(count);
  for (uint64_t i = 0; i < count; ++i)
    values[i] = width == 8 ? static_cast<int8_t>(data[i])
                           : static_cast<int16_t>(
                                 llvm::support::endian::read16le(&data[2 * i]));
  return values;
}

LogicalResult WeightBlockOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getValue().getType());
  if (!type || type.getRank() != 2 || !type.hasStaticShape())
    return emitOpError() << "weights must be a static rank-2 tensor, got "
                         << getValue().getType();
  auto elementType = dyn_cast<IntegerType>(type.getElementType());
  if (!elementType || !elementType.isSignless())
    return emitOpError() << "weights must be signless integers, got "
                         << type.getElementType();
  if (!llvm::isa<DenseIntElementsAttr, DenseResourceElementsAttr>(getValue()))
    return emitOpError()
           << "weights must be a dense<...> or dense_resource<...> attribute";
  UnitConfigAttr config = getConfig(*this);
  if (!config)
    return success();
  // The shape is checked here so that a stand-in block can be built below
  // whatever the data.
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  if (rows < 1 || cols < 1 || rows > config.getRows() ||
      cols > config.getCols())
    return emitOpError() << "block " << rows << "x" << cols
                         << " does not fit the " << config.getRows() << "x"
                         << config.getCols() << " crossbar";
  // The ISA library checks the element width and, when the data is at
  // hand, every weight (range, differential encoding).
  mho::isa::WeightBlock block;
  block.name = getSymName().str();
  block.rows = rows;
  block.cols = cols;
  block.bits = std::min(elementType.getWidth(), 255u);
  std::optional<std::vector<int16_t>> values = readWeights();
  block.values = values ? std::move(*values)
                        : std::vector<int16_t>(size_t(rows) * cols, 0);
  if (llvm::Error err =
          mho::isa::verifyWeightBlock(block, config.getIsaConfig()))
    return emitOpError() << llvm::toString(std::move(err));
  return success();
}

//===----------------------------------------------------------------------===//
// SymbolOp
//===----------------------------------------------------------------------===//

std::optional<DataType> mho::xbar::getDataType(Type type) {
  if (type.isSignlessInteger(8))
    return DataType::i8;
  if (type.isSignlessInteger(16))
    return DataType::i16;
  if (type.isSignlessInteger(32))
    return DataType::i32;
  if (type.isF32())
    return DataType::f32;
  if (type.isBF16())
    return DataType::bf16;
  if (type.isF16())
    return DataType::f16;
  return std::nullopt;
}

LogicalResult SymbolOp::verify() {
  auto type = cast<RankedTensorType>(getType());
  std::optional<DataType> dataType = getDataType(type.getElementType());
  if (!dataType)
    return emitOpError() << "element type must be i8, i16, i32, f32, bf16 or "
                            "f16, got "
                         << type.getElementType();
  if (type.getRank() > mho::isa::Symbol::MaxRank)
    return emitOpError() << "rank " << type.getRank() << " exceeds the "
                         << mho::isa::Symbol::MaxRank
                         << " dimensions of the image's symbol table";
  if (!type.hasStaticShape())
    return emitOpError() << "type must have a static shape, got " << type;
  for (int64_t dim : type.getShape())
    if (dim > int64_t{0xffffffff})
      return emitOpError() << "dimension " << dim << " does not fit 32 bits";
  UnitConfigAttr config = getConfig(*this);
  if (!config)
    return success();
  uint64_t bytes = llvm::SaturatingMultiply(
      static_cast<uint64_t>(type.getNumElements()),
      uint64_t{mho::isa::getByteSize(toIsa(*dataType))});
  uint64_t capacity = config.getSpaceBytes(getSpace());
  if (getAddress() > capacity || bytes > capacity - getAddress())
    return emitOpError() << "bytes [" << hex(getAddress()) << ", +" << bytes
                         << ") exceed " << stringifyMemorySpace(getSpace())
                         << " (" << capacity << " bytes)";
  return success();
}

//===----------------------------------------------------------------------===//
// DramInitOp
//===----------------------------------------------------------------------===//

LogicalResult DramInitOp::verify() {
  if (!llvm::isa<DenseElementsAttr, DenseResourceElementsAttr>(getValue()))
    return emitOpError()
           << "value must be a dense<...> or dense_resource<...> attribute";
  Type elementType = getValue().getElementType();
  if (!elementType.isIntOrFloat() ||
      elementType.getIntOrFloatBitWidth() % 8 != 0)
    return emitOpError() << "elements must be integers or floats a whole "
                            "number of bytes wide, got "
                         << elementType;
  UnitConfigAttr config = getConfig(*this);
  if (!config)
    return success();
  uint64_t bytes = getInitBytes(*this), capacity = config.getDramBytes();
  if (getAddress() > capacity || bytes > capacity - getAddress())
    return emitOpError() << "bytes [" << hex(getAddress()) << ", +" << bytes
                         << ") exceed dram (" << capacity << " bytes)";
  return success();
}

//===----------------------------------------------------------------------===//
// Control and synchronisation
//===----------------------------------------------------------------------===//

mho::isa::Instruction NopOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::nop();
}
LogicalResult NopOp::verify() { return verifyIsaRules(*this); }

mho::isa::Instruction HaltOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::halt();
}
LogicalResult HaltOp::verify() { return verifyIsaRules(*this); }

mho::isa::Instruction BarrierOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::barrier(getId(), getCount());
}

// The count against the program's cores is checked once per program
// (ProgramOp::verifyRegions), not per barrier: a compiled program has a
// barrier per core and level.
LogicalResult BarrierOp::verify() { return verifyIsaRules(*this); }

mho::isa::Instruction SendOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::send(toIsa(getSrcSpace()), getSrc(),
                                     getDstTile(), getDst(), getBytes(),
                                     getTag());
}

LogicalResult SendOp::verify() {
  if (failed(checkAddressFields(*this, {{"src", getSrc()}, {"dst", getDst()}})))
    return failure();
  return verifyIsaRules(*this);
}

mho::isa::Instruction RecvOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::recv(getTag(), getSrcTile(), getBytes());
}
LogicalResult RecvOp::verify() { return verifyIsaRules(*this); }

//===----------------------------------------------------------------------===//
// Weights and crossbars
//===----------------------------------------------------------------------===//

mho::isa::Instruction WProgOp::getInstruction(uint32_t weightBlock) {
  return mho::isa::Instruction::wprog(getUnit(), weightBlock);
}
LogicalResult WProgOp::verify() { return verifyIsaRules(*this); }

LogicalResult WProgOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  Operation *symbol =
      symbolTable.lookupNearestSymbolFrom(*this, getBlockAttr());
  if (!symbol)
    return emitOpError() << "no xbar.weight_block named " << getBlockAttr();
  if (!llvm::isa<WeightBlockOp>(symbol))
    return emitOpError() << getBlockAttr()
                         << " is not an xbar.weight_block but a '"
                         << symbol->getName() << "'";
  return success();
}

mho::isa::Instruction MvmOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::mvm(getUnit(), getSrc(), getDst(), getCount(),
                                    getSrcStride(), getDstStride(),
                                    getAccumulate(), getCountIndirect());
}

LogicalResult MvmOp::verify() {
  // The vectors' extents depend on the programmed block; CoreOp checks them.
  if (failed(checkAddressFields(*this, {{"src", getSrc()}, {"dst", getDst()}})))
    return failure();
  return verifyIsaRules(*this);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// Whether the 2-D regions {a + i·sa + [0, len)} and {b + j·sb + [0, len)},
/// i, j < rows, share a byte; sets `srcRow`/`dstRow` to a witness, or both to
/// -1 when the regions are too tall to search and only their bounding
/// intervals are known to overlap. All values are below 2^48.
static bool regionsOverlap(int64_t a, int64_t sa, int64_t b, int64_t sb,
                           int64_t len, int64_t rows, int64_t &srcRow,
                           int64_t &dstRow) {
  if (rows == 0 || len == 0)
    return false;
  int64_t aEnd = a + (rows - 1) * sa + len, bEnd = b + (rows - 1) * sb + len;
  if (aEnd <= b || bEnd <= a)
    return false;
  constexpr int64_t exactRowLimit = int64_t{1} << 20;
  if (rows > exactRowLimit) {
    srcRow = dstRow = -1;
    return true;
  }
  for (int64_t i = 0; i < rows; ++i) {
    // Source row i is [x, x + len); find the first destination row ending
    // after x and check whether it starts before x + len.
    int64_t x = a + i * sa;
    int64_t j = 0;
    if (sb > 0 && x - len - b >= 0)
      j = (x - len - b) / sb + 1;
    if (j >= rows)
      continue;
    int64_t y = b + j * sb;
    if (y < x + len && x < y + len) {
      srcRow = i;
      dstRow = j;
      return true;
    }
  }
  return false;
}

mho::isa::Instruction DmaOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::dma(toIsa(getSrcSpace()), toIsa(getDstSpace()),
                                    getSrc(), getDst(), getRowBytes(),
                                    getRows(), getSrcStride(), getDstStride());
}

LogicalResult DmaOp::verify() {
  if (failed(checkAddressFields(*this, {{"src", getSrc()}, {"dst", getDst()}},
                                /*bits=*/48)) ||
      failed(verifyIsaRules(*this)))
    return failure();
  // Overlap within one space is an execution error (ISA §3). With a
  // configuration, both regions were checked to lie inside their space
  // (below 2^48), so the arithmetic fits int64_t.
  int64_t srcRow, dstRow;
  if (!getConfig(*this) || getSrcSpace() != getDstSpace() ||
      !regionsOverlap(getSrc(), getSrcStride(), getDst(), getDstStride(),
                      getRowBytes(), getRows(), srcRow, dstRow))
    return success();
  InFlightDiagnostic diag = emitOpError()
                            << "source and destination overlap in "
                            << stringifyMemorySpace(getSrcSpace());
  if (srcRow >= 0)
    diag << " (source row " << srcRow << " and destination row " << dstRow
         << ")";
  return diag;
}

mho::isa::Instruction VGatherOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::vgather(getDst(), getSrc(), getIndex(),
                                        getCount(), getRowBytes(),
                                        getCountIndirect());
}

LogicalResult VGatherOp::verify() {
  if (failed(checkAddressFields(
          *this,
          {{"dst", getDst()}, {"src", getSrc()}, {"index", getIndex()}})))
    return failure();
  return verifyIsaRules(*this);
}

mho::isa::Instruction VScatterOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::vscatter(getDst(), getSrc(), getIndex(),
                                         getCount(), getRowBytes(),
                                         getAccumulate(), getCountIndirect());
}

LogicalResult VScatterOp::verify() {
  if (failed(checkAddressFields(
          *this,
          {{"dst", getDst()}, {"src", getSrc()}, {"index", getIndex()}})))
    return failure();
  return verifyIsaRules(*this);
}

mho::isa::Instruction VDispatchOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::vdispatch(getDstLists(), getDstCounts(),
                                          getSrc(), getEntries(), getExperts(),
                                          getCapacity());
}

LogicalResult VDispatchOp::verify() {
  if (failed(checkAddressFields(*this, {{"dst_lists", getDstLists()},
                                        {"dst_counts", getDstCounts()},
                                        {"src", getSrc()}})))
    return failure();
  return verifyIsaRules(*this);
}

//===----------------------------------------------------------------------===//
// Vector unit
//===----------------------------------------------------------------------===//

mho::isa::Instruction VecOp::getInstruction(uint32_t) {
  mho::isa::VecOperands ops;
  ops.fn = static_cast<mho::isa::VecFn>(getFunc());
  ops.type = toIsa(getType());
  if (std::optional<DataType> resultType = getResultType())
    ops.toType = toIsa(*resultType);
  if (std::optional<Src2Mode> mode = getSrc2Mode())
    ops.mode = static_cast<mho::isa::Src2Mode>(*mode);
  ops.dst = getDst();
  ops.src1 = getSrc1();
  ops.src2 = getSrc2().value_or(0);
  ops.rows = getRows();
  ops.cols = getCols();
  ops.imm0 = getImmediateBits(getImm0Attr());
  ops.imm1 = getImmediateBits(getImm1Attr());
  return mho::isa::Instruction::vec(ops);
}

LogicalResult VecOp::verify() {
  if (failed(checkAddressFields(*this, {{"dst", getDst()},
                                        {"src1", getSrc1()},
                                        {"src2", getSrc2().value_or(0)}})))
    return failure();
  if (getSrc2Mode().has_value() != getSrc2().has_value())
    return emitOpError() << "src2_mode and src2 must be given together";

  // Each optional attribute is present exactly when the instruction uses
  // its field (the ISA library's format table says which it uses).
  mho::isa::Instruction inst = getInstruction(/*weightBlock=*/0);
  const mho::isa::InstructionFormat &format =
      mho::isa::getFormat(mho::isa::Opcode::Vec);
  uint32_t used = mho::isa::getUsedFields(inst);
  auto uses = [&](StringRef field) {
    for (auto [index, info] : llvm::enumerate(format.fields))
      if (info.name == field)
        return (used >> index & 1) != 0;
    llvm_unreachable("vec has no such field");
  };
  StringRef name = stringifyVecFunction(getFunc());
  if (uses("to") != getResultType().has_value()) {
    if (getResultType())
      return emitOpError() << "'" << name << "' takes no result type";
    return emitOpError() << "'" << name
                         << "' needs a result type (`to <type>`)";
  }
  if (getSrc2() && !uses("src2"))
    return emitOpError() << "unary function '" << name << "' takes no src2";
  StringRef imm0Use = uses("imm")         ? "its scalar operand, as there is "
                                            "no src2"
                      : uses("inv_scale") ? "1 / scale"
                      : uses("scale")     ? "the scale"
                                          : "";
  if (imm0Use.empty() && getImm0Attr())
    return emitOpError() << "imm0 is unused by '" << name << "'"
                         << (getSrc2() ? " with src2" : "");
  if (!imm0Use.empty() && !getImm0Attr())
    return emitOpError() << "'" << name << "' needs imm0 (" << imm0Use << ")";
  if (Attribute imm0 = getImm0Attr()) {
    // The scalar operand of an i32 function is an i32; every other
    // immediate is an f32.
    bool wantI32 = uses("imm") && getType() == DataType::i32;
    if (wantI32 != llvm::isa<IntegerAttr>(imm0))
      return emitOpError() << "imm0 of '" << name << "' on "
                           << stringifyDataType(getType()) << " must be "
                           << (wantI32 ? "an i32" : "an f32") << ", got "
                           << imm0;
  }
  if (uses("zp") != (getImm1Attr() != nullptr)) {
    if (getImm1Attr())
      return emitOpError() << "imm1 is used only by quant, not '" << name
                           << "'";
    return emitOpError() << "'quant' needs imm1 (the zero point)";
  }
  return verifyIsaRules(*this);
}

mho::isa::Instruction VRedOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::vred(
      static_cast<mho::isa::ReduceKind>(getKind()), toIsa(getType()), getDst(),
      getSrc(), getRows(), getCols());
}

LogicalResult VRedOp::verify() {
  if (failed(checkAddressFields(*this, {{"dst", getDst()}, {"src", getSrc()}})))
    return failure();
  return verifyIsaRules(*this);
}

mho::isa::Instruction VTopKOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::vtopk(getDstValues(), getDstIndices(), getSrc(),
                                      getRows(), getCols(), getK());
}

LogicalResult VTopKOp::verify() {
  if (failed(checkAddressFields(*this, {{"dst_values", getDstValues()},
                                        {"dst_indices", getDstIndices()},
                                        {"src", getSrc()}})))
    return failure();
  return verifyIsaRules(*this);
}

mho::isa::Instruction DmmOp::getInstruction(uint32_t) {
  return mho::isa::Instruction::dmm(toIsa(getType()), getDst(), getA(), getB(),
                                    getM(), getK(), getN(), getTransposeB(),
                                    getAccumulate());
}

LogicalResult DmmOp::verify() {
  if (failed(checkAddressFields(
          *this, {{"dst", getDst()}, {"a", getA()}, {"b", getB()}})))
    return failure();
  return verifyIsaRules(*this);
}

//===----------------------------------------------------------------------===//
// Instruction -> op
//===----------------------------------------------------------------------===//

Operation *mho::xbar::createInstructionOp(OpBuilder &builder, Location loc,
                                          const mho::isa::Instruction &inst,
                                          StringRef blockName) {
  using mho::isa::Opcode;
  auto space = [](mho::isa::MemorySpace s) {
    return static_cast<MemorySpace>(s);
  };
  auto dataType = [](mho::isa::DataType t) { return static_cast<DataType>(t); };
  switch (inst.getOpcode()) {
  case Opcode::Nop:
    return NopOp::create(builder, loc);
  case Opcode::Halt:
    return HaltOp::create(builder, loc);
  case Opcode::Barrier: {
    mho::isa::BarrierOperands ops = inst.getBarrier();
    return BarrierOp::create(builder, loc, ops.id, ops.count);
  }
  case Opcode::Send: {
    mho::isa::SendOperands ops = inst.getSend();
    return SendOp::create(builder, loc, space(ops.srcSpace), ops.src,
                          ops.dstTile, ops.dst, ops.bytes, ops.tag);
  }
  case Opcode::Recv: {
    mho::isa::RecvOperands ops = inst.getRecv();
    return RecvOp::create(builder, loc, ops.tag, ops.srcTile, ops.bytes);
  }
  case Opcode::Wprog: {
    mho::isa::WprogOperands ops = inst.getWprog();
    return WProgOp::create(builder, loc, ops.unit, blockName);
  }
  case Opcode::Mvm: {
    mho::isa::MvmOperands ops = inst.getMvm();
    return MvmOp::create(builder, loc, ops.unit, ops.src, ops.dst, ops.count,
                         ops.srcStride, ops.dstStride, ops.accumulate,
                         ops.countIndirect);
  }
  case Opcode::Dma: {
    mho::isa::DmaOperands ops = inst.getDma();
    return DmaOp::create(builder, loc, space(ops.srcSpace), ops.src,
                         space(ops.dstSpace), ops.dst, ops.rows, ops.rowBytes,
                         ops.srcStride, ops.dstStride);
  }
  case Opcode::Vgather: {
    mho::isa::GatherOperands ops = inst.getGather();
    return VGatherOp::create(builder, loc, ops.dst, ops.src, ops.index,
                             ops.count, ops.rowBytes, ops.countIndirect);
  }
  case Opcode::Vscatter: {
    mho::isa::GatherOperands ops = inst.getGather();
    return VScatterOp::create(builder, loc, ops.dst, ops.src, ops.index,
                              ops.count, ops.rowBytes, ops.accumulate,
                              ops.countIndirect);
  }
  case Opcode::Vdispatch: {
    mho::isa::VdispatchOperands ops = inst.getVdispatch();
    return VDispatchOp::create(builder, loc, ops.dstLists, ops.dstCounts,
                               ops.src, ops.entries, ops.experts, ops.capacity);
  }
  case Opcode::Vec: {
    // The ISA's table of used fields says which optional attributes exist.
    const mho::isa::InstructionFormat &format =
        mho::isa::getFormat(Opcode::Vec);
    uint32_t used = mho::isa::getUsedFields(inst);
    auto uses = [&](StringRef field) {
      for (auto [index, info] : llvm::enumerate(format.fields))
        if (info.name == field)
          return (used >> index & 1) != 0;
      llvm_unreachable("vec has no such field");
    };
    mho::isa::VecOperands ops = inst.getVec();
    MLIRContext *context = builder.getContext();
    DataTypeAttr resultType;
    if (uses("to"))
      resultType = DataTypeAttr::get(context, dataType(ops.toType));
    Src2ModeAttr mode;
    IntegerAttr src2;
    if (uses("src2")) {
      mode = Src2ModeAttr::get(context, static_cast<Src2Mode>(ops.mode));
      src2 =
          builder.getIntegerAttr(builder.getIntegerType(64, false), ops.src2);
    }
    Attribute imm0, imm1;
    if (uses("imm") && ops.type == mho::isa::DataType::I32)
      imm0 = builder.getI32IntegerAttr(static_cast<int32_t>(ops.imm0));
    else if (uses("imm") || uses("inv_scale") || uses("scale"))
      imm0 = builder.getFloatAttr(
          builder.getF32Type(),
          APFloat(APFloat::IEEEsingle(), APInt(32, ops.imm0)));
    if (uses("zp"))
      imm1 = builder.getI32IntegerAttr(static_cast<int32_t>(ops.imm1));
    return VecOp::create(builder, loc, static_cast<VecFunction>(ops.fn),
                         dataType(ops.type), resultType, ops.dst, ops.src1,
                         mode, src2, ops.rows, ops.cols, imm0,
                         cast_if_present<IntegerAttr>(imm1));
  }
  case Opcode::Vred: {
    mho::isa::VredOperands ops = inst.getVred();
    return VRedOp::create(builder, loc, static_cast<ReduceKind>(ops.kind),
                          dataType(ops.type), ops.dst, ops.src, ops.rows,
                          ops.cols);
  }
  case Opcode::Vtopk: {
    mho::isa::VtopkOperands ops = inst.getVtopk();
    return VTopKOp::create(builder, loc, ops.dstValues, ops.dstIndices, ops.src,
                           ops.rows, ops.cols, ops.k);
  }
  case Opcode::Dmm: {
    mho::isa::DmmOperands ops = inst.getDmm();
    return DmmOp::create(builder, loc, dataType(ops.type), ops.dst, ops.a,
                         ops.b, ops.m, ops.k, ops.n, ops.transposeB,
                         ops.accumulate);
  }
  }
  llvm_unreachable("unknown opcode");
}
