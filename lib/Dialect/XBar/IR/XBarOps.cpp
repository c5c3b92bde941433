//===- XBarOps.cpp - xbar ops: custom syntax and verifiers -----------------===//
//
// Verifiers check what docs/ISA.md makes statically checkable: field
// encodability, unit indices against the unit configuration, memory extents
// against the configured sizes, function/type/operand consistency of the
// vector unit, and the structure of a program image.
//
//===----------------------------------------------------------------------===//

#include "mho/Dialect/XBar/IR/XBarOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include <initializer_list>
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
  attr = builder.getIntegerAttr(
      builder.getIntegerType(64, /*isSigned=*/false), APInt(64, value));
  return success();
}

static void printAddress(OpAsmPrinter &printer, Operation *,
                         IntegerAttr attr) {
  printer << "0x" << llvm::utohexstr(attr.getValue().getZExtValue(),
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
// Verification helpers
//===----------------------------------------------------------------------===//

static std::string hex(uint64_t value) {
  return "0x" + llvm::utohexstr(value, /*LowerCase=*/true);
}

/// The unit configuration of the program `op` is in, or null outside one.
static UnitConfigAttr getConfig(Operation *op) {
  auto program = op->getParentOfType<ProgramOp>();
  return program ? program.getConfig() : UnitConfigAttr();
}

/// Bytes of one element of `type`.
static uint64_t elementBytes(DataType type) {
  switch (type) {
  case DataType::i8:
    return 1;
  case DataType::i16:
  case DataType::bf16:
  case DataType::f16:
    return 2;
  case DataType::i32:
  case DataType::f32:
    return 4;
  }
  llvm_unreachable("unknown data type");
}

/// The product of `factors`, saturating at 2^64 - 1 (then surely out of
/// range).
static uint64_t product(std::initializer_list<uint64_t> factors) {
  uint64_t result = 1;
  for (uint64_t factor : factors)
    result = llvm::SaturatingMultiply(result, factor);
  return result;
}

/// Bytes spanned by `count` records of `bytes` bytes, `stride` apart.
static uint64_t stridedExtent(uint64_t count, uint64_t stride,
                              uint64_t bytes) {
  if (count == 0 || bytes == 0)
    return 0;
  return llvm::SaturatingAdd(llvm::SaturatingMultiply(count - 1, stride),
                             bytes);
}

/// Checks that `address`, held in an operand of `fieldBits` bits, fits it and
/// that bytes [address, address + size) lie inside `space`.
static LogicalResult checkRange(Operation *op, UnitConfigAttr config,
                                StringRef what, MemorySpace space,
                                uint64_t address, uint64_t size,
                                unsigned fieldBits = 32) {
  if (fieldBits < 64 && address >> fieldBits)
    return op->emitOpError()
           << what << " address " << hex(address) << " does not fit its "
           << fieldBits << "-bit field";
  if (!config || size == 0)
    return success();
  uint64_t capacity = config.getSpaceBytes(space);
  uint64_t end = llvm::SaturatingAdd(address, size);
  if (end <= capacity)
    return success();
  return op->emitOpError() << what << " bytes [" << hex(address) << ", "
                           << hex(end) << ") exceed "
                           << stringifyMemorySpace(space) << " ("
                           << capacity << " bytes)";
}

static LogicalResult checkSpad(Operation *op, UnitConfigAttr config,
                               StringRef what, uint64_t address,
                               uint64_t size) {
  return checkRange(op, config, what, MemorySpace::spad, address, size);
}

/// Checks that a global tile id names a tile of the configuration.
static LogicalResult checkTile(Operation *op, UnitConfigAttr config,
                               StringRef what, uint32_t id) {
  unsigned chip = id >> 16, tile = id & 0xffff;
  if (!config || (chip < config.getChips() && tile < config.getTiles()))
    return success();
  return op->emitOpError() << what << " <" << chip << ", " << tile
                           << "> is outside the configured "
                           << config.getChips() << " chip(s) x "
                           << config.getTiles() << " tile(s)";
}

/// Checks an MVM unit index against the configured units per core.
static LogicalResult checkUnit(Operation *op, UnitConfigAttr config,
                               unsigned unit) {
  if (!config || unit < config.getMvmUnits())
    return success();
  return op->emitOpError() << "unit " << unit
                           << " is out of range: the unit configuration has "
                           << config.getMvmUnits() << " MVM units per core";
}

//===----------------------------------------------------------------------===//
// ProgramOp
//===----------------------------------------------------------------------===//

void ProgramOp::build(OpBuilder &builder, OperationState &state,
                      UnitConfigAttr config) {
  state.getOrAddProperties<Properties>().config = config;
  state.addRegion()->emplaceBlock();
}

LogicalResult ProgramOp::verifyRegions() {
  llvm::DenseMap<std::tuple<unsigned, unsigned, unsigned>, CoreOp> cores;
  SmallVector<DramInitOp> inits;
  for (Operation &op : getBody().front()) {
    if (auto core = dyn_cast<CoreOp>(op)) {
      auto [it, inserted] = cores.try_emplace(
          {core.getChip(), core.getTile(), core.getCore()}, core);
      if (!inserted) {
        InFlightDiagnostic diag =
            core.emitOpError()
            << "core <" << core.getChip() << ", " << core.getTile() << ", "
            << core.getCore() << "> is defined twice in the program";
        diag.attachNote(it->second.getLoc()) << "first defined here";
        return diag;
      }
      continue;
    }
    if (auto init = dyn_cast<DramInitOp>(op)) {
      inits.push_back(init);
      continue;
    }
    if (!isa<WeightBlockOp, SymbolOp>(op))
      return op.emitOpError()
             << "cannot be in an 'xbar.program', which holds only "
                "xbar.core, xbar.weight_block, xbar.symbol and xbar.dram_init";
  }

  // DRAM initialisers must not overlap: the image would not say which wins.
  // Their verifiers ran first, so each value has whole-byte elements.
  auto range = [](DramInitOp init) {
    ElementsAttr value = init.getValue();
    uint64_t bytes = llvm::SaturatingMultiply(
        static_cast<uint64_t>(value.getNumElements()),
        uint64_t{value.getElementType().getIntOrFloatBitWidth() / 8});
    return std::make_pair(init.getAddress(),
                          llvm::SaturatingAdd(init.getAddress(), bytes));
  };
  llvm::sort(inits, [&](DramInitOp a, DramInitOp b) {
    return a.getAddress() < b.getAddress();
  });
  DramInitOp furthest; // The initialiser reaching furthest so far.
  uint64_t furthestEnd = 0;
  for (DramInitOp init : inits) {
    auto [begin, end] = range(init);
    if (begin == end)
      continue;
    if (furthest && begin < furthestEnd) {
      InFlightDiagnostic diag =
          init.emitOpError()
          << "bytes [" << hex(begin) << ", " << hex(end)
          << ") overlap the xbar.dram_init at " << hex(furthest.getAddress());
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
  if (!config || (getChip() < config.getChips() &&
                  getTile() < config.getTiles() &&
                  getCore() < config.getCores()))
    return success();
  return emitOpError() << "core <" << getChip() << ", " << getTile() << ", "
                       << getCore() << "> is outside the configured "
                       << config.getChips() << " chip(s) x "
                       << config.getTiles() << " tile(s) x "
                       << config.getCores() << " core(s)";
}

LogicalResult CoreOp::verifyRegions() {
  UnitConfigAttr config = getConfig(*this);
  auto program = (*this)->getParentOfType<ProgramOp>();
  // What each MVM unit holds at this point of the stream: mvm extents depend
  // on the block the unit was last programmed with.
  llvm::DenseMap<unsigned, RankedTensorType> programmed;
  for (Operation &op : getBody().front()) {
    if (!isa<InstructionOpInterface>(op))
      return op.emitOpError() << "cannot be in an 'xbar.core', which holds "
                                 "only xbar instructions";
    if (auto wprog = dyn_cast<WProgOp>(op)) {
      auto block =
          program ? SymbolTable::lookupNearestSymbolFrom<WeightBlockOp>(
                        program, wprog.getBlockAttr())
                  : WeightBlockOp();
      // An invalid block reports itself; only a rank-2 one is recorded.
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
    if (mvm.getCountIndirect())
      continue;
    // Inputs are i8, outputs i32 (ISA §3, mvm).
    uint64_t rows = it->second.getDimSize(0), cols = it->second.getDimSize(1);
    if (failed(checkSpad(mvm, config, "src",
                         mvm.getSrc(),
                         stridedExtent(mvm.getCount(), mvm.getSrcStride(),
                                       rows))) ||
        failed(checkSpad(mvm, config, "dst", mvm.getDst(),
                         stridedExtent(mvm.getCount(), mvm.getDstStride(),
                                       4 * cols))))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// WeightBlockOp
//===----------------------------------------------------------------------===//

LogicalResult WeightBlockOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getValue().getType());
  if (!type || type.getRank() != 2 || !type.hasStaticShape())
    return emitOpError() << "weights must be a static rank-2 tensor, got "
                         << getValue().getType();
  auto elementType = dyn_cast<IntegerType>(type.getElementType());
  if (!elementType || !elementType.isSignless())
    return emitOpError() << "weights must be signless integers, got "
                         << type.getElementType();
  if (!isa<DenseIntElementsAttr, DenseResourceElementsAttr>(getValue()))
    return emitOpError()
           << "weights must be a dense<...> or dense_resource<...> attribute";
  if (type.getDimSize(0) < 1 || type.getDimSize(1) < 1)
    return emitOpError() << "weight block must have at least one row and one "
                            "column";
  UnitConfigAttr config = getConfig(*this);
  if (!config)
    return success();
  if (elementType.getWidth() != config.getWeightBits())
    return emitOpError() << "weights are " << elementType
                         << " but the unit configuration has weight_bits = "
                         << config.getWeightBits();
  if (type.getDimSize(0) > config.getRows() ||
      type.getDimSize(1) > config.getCols())
    return emitOpError() << "block " << type.getDimSize(0) << "x"
                         << type.getDimSize(1) << " does not fit the "
                         << config.getRows() << "x" << config.getCols()
                         << " crossbar";
  // Differential encoding has no code for the most negative weight (ISA §4).
  if (config.getEncoding() == WeightEncoding::differential) {
    if (auto dense = dyn_cast<DenseIntElementsAttr>(getValue())) {
      int64_t index = 0;
      for (const APInt &w : dense.getValues<APInt>()) {
        if (w.isMinSignedValue())
          return emitOpError()
                 << "weight " << w.getSExtValue() << " at ["
                 << index / type.getDimSize(1) << ", "
                 << index % type.getDimSize(1)
                 << "] has no differential encoding (weights must be in +-"
                 << w.getSignedMaxValue(w.getBitWidth()).getSExtValue()
                 << ")";
        ++index;
      }
    }
  }
  return success();
}

//===----------------------------------------------------------------------===//
// SymbolOp
//===----------------------------------------------------------------------===//

/// The ISA data type of an MLIR element type, if it has one.
static std::optional<DataType> toDataType(Type type) {
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
  std::optional<DataType> dataType = toDataType(type.getElementType());
  if (!dataType)
    return emitOpError() << "element type must be i8, i16, i32, f32, bf16 or "
                            "f16, got "
                         << type.getElementType();
  if (type.getRank() > 6)
    return emitOpError() << "rank " << type.getRank()
                         << " exceeds the image's 6 symbol dimensions";
  if (!type.hasStaticShape())
    return emitOpError() << "type must have a static shape, got " << type;
  for (int64_t dim : type.getShape())
    if (dim > int64_t{0xffffffff})
      return emitOpError() << "dimension " << dim << " does not fit 32 bits";
  uint64_t bytes = llvm::SaturatingMultiply(
      static_cast<uint64_t>(type.getNumElements()), elementBytes(*dataType));
  return checkRange(*this, getConfig(*this), "symbol", MemorySpace::dram,
                    getAddress(), bytes, /*fieldBits=*/64);
}

//===----------------------------------------------------------------------===//
// DramInitOp
//===----------------------------------------------------------------------===//

LogicalResult DramInitOp::verify() {
  if (!isa<DenseElementsAttr, DenseResourceElementsAttr>(getValue()))
    return emitOpError()
           << "value must be a dense<...> or dense_resource<...> attribute";
  Type elementType = getValue().getElementType();
  if (!elementType.isIntOrFloat() ||
      elementType.getIntOrFloatBitWidth() % 8 != 0)
    return emitOpError() << "elements must be integers or floats a whole "
                            "number of bytes wide, got "
                         << elementType;
  uint64_t bytes = llvm::SaturatingMultiply(
      static_cast<uint64_t>(getValue().getNumElements()),
      uint64_t{elementType.getIntOrFloatBitWidth() / 8});
  return checkRange(*this, getConfig(*this), "dram_init", MemorySpace::dram,
                    getAddress(), bytes, /*fieldBits=*/64);
}

//===----------------------------------------------------------------------===//
// Control and synchronisation
//===----------------------------------------------------------------------===//

LogicalResult BarrierOp::verify() {
  if (getCount() == 0)
    return emitOpError() << "count must be at least 1";
  auto program = (*this)->getParentOfType<ProgramOp>();
  if (!program)
    return success();
  auto cores = program.getBody().front().getOps<CoreOp>();
  uint64_t numCores = std::distance(cores.begin(), cores.end());
  if (getCount() > numCores)
    return emitOpError() << "count " << getCount() << " exceeds the "
                         << numCores
                         << " core(s) of the program: it would never release";
  return success();
}

LogicalResult SendOp::verify() {
  UnitConfigAttr config = getConfig(*this);
  if (failed(checkTile(*this, config, "destination tile", getDstTile())) ||
      failed(checkRange(*this, config, "src", getSrcSpace(), getSrc(),
                        getBytes())) ||
      failed(checkRange(*this, config, "dst", MemorySpace::tbuf, getDst(),
                        getBytes())))
    return failure();
  return success();
}

LogicalResult RecvOp::verify() {
  UnitConfigAttr config = getConfig(*this);
  if (failed(checkTile(*this, config, "source tile", getSrcTile())))
    return failure();
  if (config && getBytes() > config.getTbufBytes())
    return emitOpError() << "receives " << getBytes()
                         << " bytes, more than the tile buffer's "
                         << config.getTbufBytes();
  return success();
}

//===----------------------------------------------------------------------===//
// Weights and crossbars
//===----------------------------------------------------------------------===//

LogicalResult WProgOp::verify() {
  return checkUnit(*this, getConfig(*this), getUnit());
}

LogicalResult WProgOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  Operation *symbol =
      symbolTable.lookupNearestSymbolFrom(*this, getBlockAttr());
  if (!symbol)
    return emitOpError() << "no xbar.weight_block named " << getBlockAttr();
  if (!isa<WeightBlockOp>(symbol))
    return emitOpError() << getBlockAttr()
                         << " is not an xbar.weight_block but a '"
                         << symbol->getName() << "'";
  return success();
}

LogicalResult MvmOp::verify() {
  UnitConfigAttr config = getConfig(*this);
  if (failed(checkUnit(*this, config, getUnit())) ||
      failed(checkRange(*this, config, "src", MemorySpace::spad, getSrc(), 0)) ||
      failed(checkRange(*this, config, "dst", MemorySpace::spad, getDst(), 0)))
    return failure();
  // The other extents depend on the programmed block; CoreOp checks them.
  if (getCountIndirect())
    return checkSpad(*this, config, "indirect count", getCount(), 4);
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// Whether the 2-D regions {a + i·sa + [0, len)} and {b + j·sb + [0, len)},
/// i, j < rows, share a byte. Sets `srcRow`/`dstRow` to a witness.
static bool regionsOverlap(int64_t a, int64_t sa, int64_t b, int64_t sb,
                           int64_t len, int64_t rows, int64_t &srcRow,
                           int64_t &dstRow) {
  if (rows == 0 || len == 0)
    return false;
  int64_t aEnd = a + (rows - 1) * sa + len, bEnd = b + (rows - 1) * sb + len;
  if (aEnd <= b || bEnd <= a)
    return false;
  // Beyond this many rows, report the bounding intervals' overlap rather
  // than spend the time to find a witness row pair.
  constexpr int64_t exactRowLimit = int64_t{1} << 20;
  if (rows > exactRowLimit) {
    srcRow = dstRow = -1;
    return true;
  }
  for (int64_t i = 0; i < rows; ++i) {
    // Row i of the source is [x, x + len); find the first destination row
    // that ends after x and check whether it starts before x + len.
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

LogicalResult DmaOp::verify() {
  UnitConfigAttr config = getConfig(*this);
  if (failed(checkRange(*this, config, "src", getSrcSpace(), getSrc(),
                        stridedExtent(getRows(), getSrcStride(),
                                      getRowBytes()),
                        /*fieldBits=*/48)) ||
      failed(checkRange(*this, config, "dst", getDstSpace(), getDst(),
                        stridedExtent(getRows(), getDstStride(),
                                      getRowBytes()),
                        /*fieldBits=*/48)))
    return failure();
  // Overlap within one space is an execution error (ISA §3). Addresses are
  // below 2^48 and strides below 2^32, so the arithmetic fits int64_t.
  int64_t srcRow, dstRow;
  if (getSrcSpace() == getDstSpace() &&
      regionsOverlap(getSrc(), getSrcStride(), getDst(), getDstStride(),
                     getRowBytes(), getRows(), srcRow, dstRow)) {
    InFlightDiagnostic diag = emitOpError()
                              << "source and destination overlap in "
                              << stringifyMemorySpace(getSrcSpace());
    if (srcRow >= 0)
      diag << " (source row " << srcRow << " and destination row " << dstRow
           << ")";
    return diag;
  }
  return success();
}

/// Shared checks of vgather and vscatter: the index vector (i32) and the
/// packed rows lie in the scratchpad.
static LogicalResult verifyIndexed(Operation *op, uint64_t packed,
                                   StringRef packedName, uint64_t other,
                                   StringRef otherName, uint64_t index,
                                   uint32_t count, uint32_t rowBytes,
                                   bool countIndirect) {
  UnitConfigAttr config = getConfig(op);
  // The indexed side's extent depends on the index values; its first row
  // must still be addressable.
  if (failed(checkSpad(op, config, otherName, other, 0)))
    return failure();
  if (countIndirect)
    return success(succeeded(checkSpad(op, config, "indirect count", count,
                                       4)) &&
                   succeeded(checkSpad(op, config, "index", index, 0)) &&
                   succeeded(checkSpad(op, config, packedName, packed, 0)));
  return success(
      succeeded(checkSpad(op, config, "index", index, product({4, count}))) &&
      succeeded(checkSpad(op, config, packedName, packed,
                          product({count, rowBytes}))));
}

LogicalResult VGatherOp::verify() {
  return verifyIndexed(*this, getDst(), "dst", getSrc(), "src", getIndex(),
                       getCount(), getRowBytes(), getCountIndirect());
}

LogicalResult VScatterOp::verify() {
  if (getAccumulate() && getRowBytes() % 4 != 0)
    return emitOpError() << "accumulates f32 elements, but row_bytes = "
                         << getRowBytes() << " is not a multiple of 4";
  return verifyIndexed(*this, getSrc(), "src", getDst(), "dst", getIndex(),
                       getCount(), getRowBytes(), getCountIndirect());
}

//===----------------------------------------------------------------------===//
// Vector unit
//===----------------------------------------------------------------------===//

static bool isBinary(VecFunction func) {
  switch (func) {
  case VecFunction::add:
  case VecFunction::sub:
  case VecFunction::mul:
  case VecFunction::div:
  case VecFunction::max:
  case VecFunction::min:
    return true;
  default:
    return false;
  }
}

static bool isConversion(VecFunction func) {
  return func == VecFunction::cvt || func == VecFunction::quant ||
         func == VecFunction::dequant;
}

/// Functions defined on i32 (ISA §3.1): exact with saturation.
static bool isDefinedOnI32(VecFunction func) {
  return func == VecFunction::copy ||
         (isBinary(func) && func != VecFunction::div);
}

static bool isReserved(DataType type) {
  return type == DataType::bf16 || type == DataType::f16;
}

/// Checks a conversion's source and result types.
static LogicalResult verifyConversion(VecOp op, DataType from, DataType to) {
  auto is = [&](DataType a, DataType b) { return from == a && to == b; };
  switch (op.getFunc()) {
  case VecFunction::cvt:
    if (is(DataType::i32, DataType::f32) || is(DataType::f32, DataType::i32))
      return success();
    return op.emitOpError()
           << "cvt converts i32 to f32 or f32 to i32, not "
           << stringifyDataType(from) << " to " << stringifyDataType(to);
  case VecFunction::quant:
    if (is(DataType::f32, DataType::i8) || is(DataType::f32, DataType::i16))
      return success();
    return op.emitOpError()
           << "quant converts f32 to i8 or i16, not "
           << stringifyDataType(from) << " to " << stringifyDataType(to);
  case VecFunction::dequant:
    if (is(DataType::i32, DataType::f32))
      return success();
    return op.emitOpError()
           << "dequant converts i32 to f32, not " << stringifyDataType(from)
           << " to " << stringifyDataType(to);
  default:
    llvm_unreachable("not a conversion");
  }
}

LogicalResult VecOp::verify() {
  VecFunction func = getFunc();
  StringRef name = stringifyVecFunction(func);
  DataType type = getType();
  std::optional<DataType> resultType = getResultType();

  // Types (ISA §3.1).
  for (std::optional<DataType> t : {std::optional<DataType>(type), resultType})
    if (t && isReserved(*t))
      return emitOpError() << "type " << stringifyDataType(*t)
                           << " is reserved for future vector formats";
  if (isConversion(func)) {
    if (!resultType)
      return emitOpError() << "'" << name
                           << "' needs a result type (`to <type>`)";
    if (failed(verifyConversion(*this, type, *resultType)))
      return failure();
  } else {
    if (resultType)
      return emitOpError() << "only cvt, quant and dequant take a result "
                              "type, not '"
                           << name << "'";
    if (type == DataType::i32 && !isDefinedOnI32(func))
      return emitOpError() << "'" << name << "' is not defined on i32";
    if (type != DataType::i32 && type != DataType::f32)
      return emitOpError() << "'" << name << "' operates on f32 or i32, not "
                           << stringifyDataType(type);
  }

  // Second operand (ISA §3, vec: src2 mode).
  if (getSrc2Mode().has_value() != getSrc2().has_value())
    return emitOpError() << "src2_mode and src2 must be given together";
  bool hasSrc2 = getSrc2().has_value();
  if (hasSrc2 && !isBinary(func) && func != VecFunction::dequant)
    return emitOpError() << "unary function '" << name << "' takes no src2";

  // Immediates.
  bool needsImm0 = (isBinary(func) && !hasSrc2) ||
                   func == VecFunction::quant || func == VecFunction::dequant;
  if (needsImm0 && !getImm0Attr())
    return emitOpError() << "'" << name << "' needs imm0 ("
                         << (isBinary(func) ? "its scalar operand, as there "
                                              "is no src2"
                             : func == VecFunction::quant ? "1 / scale"
                                                          : "the scale")
                         << ")";
  if (!needsImm0 && getImm0Attr())
    return emitOpError() << "imm0 is unused by '" << name << "'"
                         << (isBinary(func) ? " with src2" : "");
  if (Attribute imm0 = getImm0Attr()) {
    // The scalar operand of an i32 function is an i32; every other immediate
    // is an f32 (scales, f32 operands).
    bool wantI32 = isBinary(func) && type == DataType::i32;
    if (wantI32 != isa<IntegerAttr>(imm0))
      return emitOpError() << "imm0 of '" << name << "' on "
                           << stringifyDataType(type) << " must be "
                           << (wantI32 ? "an i32" : "an f32") << ", got "
                           << imm0;
  }
  if (func == VecFunction::quant && !getImm1Attr())
    return emitOpError() << "'quant' needs imm1 (the zero point)";
  if (func != VecFunction::quant && getImm1Attr())
    return emitOpError() << "imm1 is used only by quant, not '" << name
                         << "'";

  // Extents.
  UnitConfigAttr config = getConfig(*this);
  uint64_t elements = product({getRows(), getCols()});
  DataType dstType = resultType.value_or(type);
  if (failed(checkSpad(*this, config, "src1", getSrc1(),
                       product({elements, elementBytes(type)}))) ||
      failed(checkSpad(*this, config, "dst", getDst(),
                       product({elements, elementBytes(dstType)}))))
    return failure();
  if (hasSrc2) {
    // dequant's second factor is an f32 scale.
    uint64_t bytes = func == VecFunction::dequant ? 4 : elementBytes(type);
    uint64_t count = *getSrc2Mode() == Src2Mode::full      ? elements
                     : *getSrc2Mode() == Src2Mode::per_row ? getRows()
                                                           : getCols();
    if (failed(checkSpad(*this, config, "src2", *getSrc2(), product({count, bytes}))))
      return failure();
  }
  return success();
}

LogicalResult VRedOp::verify() {
  if (getType() != DataType::f32 && getType() != DataType::i32)
    return emitOpError() << "reduces f32 or i32, not "
                         << stringifyDataType(getType());
  if (getCols() == 0)
    return emitOpError() << "cols must be at least 1";
  UnitConfigAttr config = getConfig(*this);
  uint64_t bytes = elementBytes(getType());
  return success(
      succeeded(checkSpad(*this, config, "src", getSrc(),
                          product({getRows(), getCols(), bytes}))) &&
      succeeded(checkSpad(*this, config, "dst", getDst(), product({getRows(), bytes}))));
}

LogicalResult VTopKOp::verify() {
  if (getK() < 1 || getK() > getCols())
    return emitOpError() << "k = " << getK() << " must be in [1, cols = "
                         << getCols() << "]";
  UnitConfigAttr config = getConfig(*this);
  uint64_t out = product({getRows(), getK(), 4});
  return success(
      succeeded(checkSpad(*this, config, "src", getSrc(),
                          product({getRows(), getCols(), 4}))) &&
      succeeded(checkSpad(*this, config, "dst", getDst(), out)) &&
      succeeded(checkSpad(*this, config, "indices", getIndices(), out)));
}

LogicalResult DmmOp::verify() {
  if (getType() != DataType::f32 && getType() != DataType::i8)
    return emitOpError() << "multiplies f32, or i8 into i32, not "
                         << stringifyDataType(getType());
  UnitConfigAttr config = getConfig(*this);
  uint64_t bytes = elementBytes(getType());
  uint64_t m = getM(), k = getK(), n = getN();
  return success(
      succeeded(checkSpad(*this, config, "a", getA(), product({m, k, bytes}))) &&
      succeeded(checkSpad(*this, config, "b", getB(), product({k, n, bytes}))) &&
      succeeded(checkSpad(*this, config, "dst", getDst(), product({m, n, 4}))));
}
