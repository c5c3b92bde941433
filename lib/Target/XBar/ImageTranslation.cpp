//===- ImageTranslation.cpp - xbar programs <-> ISA program images
//---------===//
//
// Export walks an xbar.program and fills an mho::isa::ProgramImage (each
// instruction op supplies its own mho::isa::Instruction); import builds the
// ops back from an image. Files and listings are read and written by the ISA
// library only.
//
//===----------------------------------------------------------------------===//

#include "mho/Target/XBar/ImageTranslation.h"

#include "mho/ISA/Assembly.h"
#include "mho/ISA/InstructionFormat.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mho::xbar;

//===----------------------------------------------------------------------===//
// Export: xbar.program -> ProgramImage
//===----------------------------------------------------------------------===//

namespace {
class Exporter {
public:
  explicit Exporter(ProgramOp program) : program(program) {}

  FailureOr<mho::isa::ProgramImage> run();

private:
  LogicalResult addWeightBlock(WeightBlockOp op);
  LogicalResult addSymbol(SymbolOp op);
  LogicalResult addDramInit(DramInitOp op);
  LogicalResult addStream(CoreOp op);

  ProgramOp program;
  mho::isa::ProgramImage image;
  llvm::StringMap<uint32_t> blockIndex;
};
} // namespace

FailureOr<mho::isa::ProgramImage> Exporter::run() {
  image.config = program.getConfig().getIsaConfig();
  // Weight indices first: a core may program a block defined after it.
  for (auto [index, block] :
       llvm::enumerate(program.getBody().front().getOps<WeightBlockOp>()))
    blockIndex[block.getSymName()] = index;
  for (Operation &op : program.getBody().front()) {
    LogicalResult result =
        llvm::TypeSwitch<Operation *, LogicalResult>(&op)
            .Case([&](WeightBlockOp op) { return addWeightBlock(op); })
            .Case([&](SymbolOp op) { return addSymbol(op); })
            .Case([&](DramInitOp op) { return addDramInit(op); })
            .Case([&](CoreOp op) { return addStream(op); })
            .Default([](Operation *op) {
              return op->emitOpError("has no place in a program image");
            });
    if (failed(result))
      return failure();
  }
  // The dialect's verifiers apply the ISA library's rules op by op, so this
  // holds for verified programs; it guards against the two drifting apart.
  if (llvm::Error err = mho::isa::verifyImage(image))
    return program.emitOpError("does not make a valid program image: ")
           << llvm::toString(std::move(err));
  return std::move(image);
}

LogicalResult Exporter::addWeightBlock(WeightBlockOp op) {
  std::optional<std::vector<int16_t>> values = op.readWeights();
  // A dense_resource without a blob is a shape-only weight: the image keeps
  // its shape and marks it elided.
  auto resource = dyn_cast<DenseResourceElementsAttr>(op.getValue());
  bool elided = !values && resource && !resource.getRawHandle().getBlob();
  if (!values && !elided)
    return op.emitOpError()
           << "has no weight data to write: its dense_resource blob is not "
              "i8/i16 of the tensor's size";
  auto type = cast<RankedTensorType>(op.getValue().getType());
  mho::isa::WeightBlock &block = image.weights.emplace_back();
  block.name = op.getSymName().str();
  block.rows = type.getDimSize(0);
  block.cols = type.getDimSize(1);
  block.bits = type.getElementTypeBitWidth();
  block.elided = elided;
  if (values)
    block.values = std::move(*values);
  return success();
}

LogicalResult Exporter::addSymbol(SymbolOp op) {
  auto type = cast<RankedTensorType>(op.getType());
  mho::isa::Symbol &symbol = image.symbols.emplace_back();
  symbol.name = op.getSymName().str();
  symbol.kind = static_cast<mho::isa::SymbolKind>(op.getKind());
  symbol.type =
      static_cast<mho::isa::DataType>(*getDataType(type.getElementType()));
  symbol.rank = type.getRank();
  for (auto [i, dim] : llvm::enumerate(type.getShape()))
    symbol.dims[i] = dim;
  symbol.space = static_cast<mho::isa::MemorySpace>(op.getSpace());
  symbol.address = op.getAddress();
  symbol.scaleBits = op.getScale().bitcastToAPInt().getZExtValue();
  symbol.zeroPoint = static_cast<int32_t>(op.getZeroPoint());
  return success();
}

LogicalResult Exporter::addDramInit(DramInitOp op) {
  ElementsAttr value = op.getValue();
  size_t elementBytes = value.getElementType().getIntOrFloatBitWidth() / 8;
  size_t bytes = value.getNumElements() * elementBytes;
  ArrayRef<char> data;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    data = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      data = blob->getData();
    if (data.size() != bytes)
      return op.emitOpError()
             << "has no data to write: its dense_resource blob is elided or "
                "does not hold "
             << bytes << " bytes";
  }
  mho::isa::DramInit &init = image.dramInits.emplace_back();
  init.address = op.getAddress();
  init.bytes.resize(bytes);
  // A splat holds one element; repeat it.
  for (size_t i = 0; i < bytes; ++i)
    init.bytes[i] = static_cast<uint8_t>(data[i % data.size()]);
  return success();
}

LogicalResult Exporter::addStream(CoreOp op) {
  mho::isa::InstructionStream &stream = image.streams.emplace_back();
  stream.core = {op.getChip(), op.getTile(), op.getCore()};
  for (Operation &inst : op.getBody().front()) {
    auto instruction = cast<InstructionOpInterface>(inst);
    uint32_t block = 0;
    if (auto wprog = dyn_cast<WProgOp>(inst))
      block = blockIndex.lookup(wprog.getBlock());
    stream.instructions.push_back(instruction.getInstruction(block));
  }
  return success();
}

FailureOr<mho::isa::ProgramImage> mho::xbar::exportProgram(ProgramOp program) {
  // Translation must not crash on IR that skipped verification.
  if (failed(mlir::verify(program)))
    return failure();
  return Exporter(program).run();
}

//===----------------------------------------------------------------------===//
// Import: ProgramImage -> xbar.program
//===----------------------------------------------------------------------===//

namespace {
class Importer {
public:
  Importer(const mho::isa::ProgramImage &image, MLIRContext *context,
           Location loc)
      : image(image), builder(context), loc(loc) {}

  OwningOpRef<ModuleOp> run();

private:
  LogicalResult checkNames();
  void addWeightBlock(const mho::isa::WeightBlock &block, Location loc);
  void addSymbol(const mho::isa::Symbol &symbol, Location loc);
  void addDramInit(const mho::isa::DramInit &init, Location loc);
  LogicalResult addStream(const mho::isa::InstructionStream &stream,
                          unsigned index);
  void addInstruction(const mho::isa::Instruction &inst, Location loc);

  Type getElementType(mho::isa::DataType type);

  /// The location of an item of the image: its description, within the
  /// image's location. Diagnostics of imported ops name what they came from.
  Location at(const Twine &item) {
    return NameLoc::get(builder.getStringAttr(item), loc);
  }
  IntegerAttr u64(uint64_t value) {
    return builder.getIntegerAttr(builder.getIntegerType(64, false), value);
  }

  const mho::isa::ProgramImage &image;
  OpBuilder builder;
  Location loc;
};
} // namespace

Type Importer::getElementType(mho::isa::DataType type) {
  switch (type) {
  case mho::isa::DataType::I8:
    return builder.getIntegerType(8);
  case mho::isa::DataType::I16:
    return builder.getIntegerType(16);
  case mho::isa::DataType::I32:
    return builder.getIntegerType(32);
  case mho::isa::DataType::F32:
    return builder.getF32Type();
  case mho::isa::DataType::BF16:
    return builder.getBF16Type();
  case mho::isa::DataType::F16:
    return builder.getF16Type();
  }
  llvm_unreachable("unknown data type");
}

/// Weight blocks and symbols become MLIR symbols of one table: their names
/// must be nonempty and distinct.
LogicalResult Importer::checkNames() {
  llvm::StringMap<std::string> seen;
  auto check = [&](const std::string &name,
                   const Twine &what) -> LogicalResult {
    if (name.empty())
      return emitError(loc) << what << " has no name";
    auto [it, inserted] = seen.try_emplace(name, what.str());
    if (!inserted)
      return emitError(loc)
             << what << " is named '" << name << "' like " << it->second
             << "; an xbar.program needs distinct names";
    return success();
  };
  for (auto [i, block] : llvm::enumerate(image.weights))
    if (failed(check(block.name, "weight block " + Twine(i))))
      return failure();
  for (auto [i, symbol] : llvm::enumerate(image.symbols))
    if (failed(check(symbol.name, "symbol " + Twine(i))))
      return failure();
  return success();
}

void Importer::addWeightBlock(const mho::isa::WeightBlock &block,
                              Location loc) {
  auto type = RankedTensorType::get({block.rows, block.cols},
                                    builder.getIntegerType(block.bits));
  if (block.elided) {
    auto &manager =
        DenseResourceElementsHandle::getManagerInterface(builder.getContext());
    WeightBlockOp::create(
        builder, loc, block.name,
        DenseResourceElementsAttr::get(type, manager.insert(block.name)));
    return;
  }
  SmallVector<APInt> values;
  values.reserve(block.values.size());
  for (int16_t value : block.values)
    values.emplace_back(block.bits, value, /*isSigned=*/true);
  WeightBlockOp::create(builder, loc, block.name,
                        DenseIntElementsAttr::get(type, values));
}

void Importer::addSymbol(const mho::isa::Symbol &symbol, Location loc) {
  SmallVector<int64_t> shape(symbol.dims.begin(),
                             symbol.dims.begin() + symbol.rank);
  auto type = RankedTensorType::get(shape, getElementType(symbol.type));
  SymbolOp::create(builder, loc, symbol.name,
                   static_cast<SymbolKind>(symbol.kind), type,
                   static_cast<MemorySpace>(symbol.space), symbol.address,
                   APFloat(APFloat::IEEEsingle(), APInt(32, symbol.scaleBits)),
                   static_cast<uint32_t>(symbol.zeroPoint));
}

void Importer::addDramInit(const mho::isa::DramInit &init, Location loc) {
  // The image keeps only bytes; a symbol at the same address and of the same
  // size gives them back their type.
  Type type = RankedTensorType::get(static_cast<int64_t>(init.bytes.size()),
                                    builder.getIntegerType(8));
  for (const mho::isa::Symbol &symbol : image.symbols) {
    uint64_t bytes = mho::isa::getByteSize(symbol.type);
    for (unsigned i = 0; i < symbol.rank; ++i)
      bytes = llvm::SaturatingMultiply(bytes, uint64_t{symbol.dims[i]});
    if (symbol.space != mho::isa::MemorySpace::Dram ||
        symbol.address != init.address || bytes != init.bytes.size())
      continue;
    SmallVector<int64_t> shape(symbol.dims.begin(),
                               symbol.dims.begin() + symbol.rank);
    type = RankedTensorType::get(shape, getElementType(symbol.type));
    break;
  }
  ArrayRef<char> raw(reinterpret_cast<const char *>(init.bytes.data()),
                     init.bytes.size());
  DramInitOp::create(
      builder, loc, init.address,
      DenseElementsAttr::getFromRawBuffer(cast<ShapedType>(type), raw));
}

void Importer::addInstruction(const mho::isa::Instruction &inst, Location loc) {
  StringRef blockName;
  if (inst.getOpcode() == mho::isa::Opcode::Wprog)
    blockName = image.weights[inst.getWprog().block].name;
  createInstructionOp(builder, loc, inst, blockName);
}

LogicalResult Importer::addStream(const mho::isa::InstructionStream &stream,
                                  unsigned index) {
  const mho::isa::CoreAddress &address = stream.core;
  // An xbar.core ends with its only xbar.halt.
  auto describe = [&]() {
    return emitError(loc) << "stream " << index << " (core <" << address.chip
                          << ", " << address.tile << ", " << address.core
                          << ">) ";
  };
  const std::vector<mho::isa::Instruction> &insts = stream.instructions;
  if (insts.empty() || insts.back().getOpcode() != mho::isa::Opcode::Halt)
    return describe() << "does not end with halt, which an xbar.core needs";
  for (size_t i = 0; i + 1 < insts.size(); ++i)
    if (insts[i].getOpcode() == mho::isa::Opcode::Halt)
      return describe() << "has a halt at instruction " << i
                        << " before its end; an xbar.core holds one halt, "
                           "last";
  OpBuilder::InsertionGuard guard(builder);
  auto core = CoreOp::create(builder, at("stream " + Twine(index)),
                             address.chip, address.tile, address.core);
  builder.setInsertionPointToEnd(&core.getBody().front());
  for (auto [i, inst] : llvm::enumerate(insts))
    addInstruction(inst,
                   at("stream " + Twine(index) + " instruction " + Twine(i)));
  return success();
}

OwningOpRef<ModuleOp> Importer::run() {
  MLIRContext *context = builder.getContext();
  context->loadDialect<XBarDialect>();
  // Images from the ISA library's readers are verified already; an image
  // built in memory may not be.
  if (llvm::Error err = mho::isa::verifyImage(image)) {
    emitError(loc) << "invalid program image: "
                   << llvm::toString(std::move(err));
    return nullptr;
  }
  if (failed(checkNames()))
    return nullptr;
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  auto program = ProgramOp::create(builder, loc,
                                   UnitConfigAttr::get(context, image.config));
  builder.setInsertionPointToEnd(&program.getBody().front());
  for (auto [i, block] : llvm::enumerate(image.weights))
    addWeightBlock(block, at("weight block " + Twine(i)));
  for (auto [i, symbol] : llvm::enumerate(image.symbols))
    addSymbol(symbol, at("symbol " + Twine(i)));
  for (auto [i, init] : llvm::enumerate(image.dramInits))
    addDramInit(init, at("dram init " + Twine(i)));
  for (auto [index, stream] : llvm::enumerate(image.streams))
    if (failed(addStream(stream, index)))
      return nullptr;
  // The dialect checks a few whole-program rules the image format does not
  // (e.g. an mvm on a unit no wprog programmed); they are reported here,
  // with a note naming the item of the image the op came from.
  ScopedDiagnosticHandler itemNotes(context, [](Diagnostic &diag) {
    if (auto item = dyn_cast<NameLoc>(diag.getLocation()))
      diag.attachNote(item.getChildLoc())
          << "imported from " << item.getName().getValue();
    return failure(); // Not handled: the next handler prints it.
  });
  if (failed(mlir::verify(*module)))
    return nullptr;
  return module;
}

OwningOpRef<ModuleOp>
mho::xbar::importProgram(const mho::isa::ProgramImage &image,
                         MLIRContext *context, Location loc) {
  return Importer(image, context, loc).run();
}

//===----------------------------------------------------------------------===//
// Translation registration
//===----------------------------------------------------------------------===//

/// The one xbar.program in `op` (a module, as the translation driver wraps
/// its input) or `op` itself.
static FailureOr<ProgramOp> findProgram(Operation *op) {
  if (auto program = dyn_cast<ProgramOp>(op))
    return program;
  SmallVector<ProgramOp> programs;
  for (Region &region : op->getRegions())
    for (Block &block : region)
      for (auto program : block.getOps<ProgramOp>())
        programs.push_back(program);
  if (programs.size() != 1)
    return op->emitError() << "expected exactly one xbar.program, found "
                           << programs.size();
  return programs.front();
}

static FailureOr<mho::isa::ProgramImage> exportTopLevel(Operation *op) {
  FailureOr<ProgramOp> program = findProgram(op);
  if (failed(program))
    return failure();
  return exportProgram(*program);
}

/// The location of the start of `sourceMgr`'s main buffer.
static Location getBufferLoc(llvm::SourceMgr &sourceMgr, MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  return FileLineColLoc::get(context, buffer->getBufferIdentifier(), 0, 0);
}

/// Reports an error of the ISA library's listing parser, which reads
/// "<buffer>:<line>:<column>: <message>", at that line and column.
static void emitListingError(llvm::Error err, StringRef bufferName,
                             MLIRContext *context) {
  std::string text = llvm::toString(std::move(err));
  StringRef rest(text);
  unsigned line = 0, column = 0;
  if (rest.consume_front(bufferName) && rest.consume_front(":") &&
      !rest.consumeInteger(10, line) && rest.consume_front(":") &&
      !rest.consumeInteger(10, column) && rest.consume_front(": ")) {
    emitError(FileLineColLoc::get(context, bufferName, line, column)) << rest;
    return;
  }
  emitError(FileLineColLoc::get(context, bufferName, 0, 0)) << text;
}

void mho::xbar::registerXBarTranslations() {
  auto registerDialects = [](DialectRegistry &registry) {
    registry.insert<XBarDialect>();
  };

  TranslateFromMLIRRegistration toImage(
      "xbar-to-image", "translate an xbar.program to a binary program image",
      [](Operation *op, raw_ostream &output) {
        FailureOr<mho::isa::ProgramImage> image = exportTopLevel(op);
        if (failed(image))
          return failure();
        mho::isa::writeImage(*image, output);
        return success();
      },
      registerDialects);

  TranslateToMLIRRegistration fromImage(
      "image-to-xbar", "translate a binary program image to an xbar.program",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        Location loc = getBufferLoc(sourceMgr, context);
        llvm::Expected<mho::isa::ProgramImage> image =
            mho::isa::readImage(buffer->getMemBufferRef());
        if (!image) {
          emitError(loc) << "invalid program image: "
                         << llvm::toString(image.takeError());
          return nullptr;
        }
        return importProgram(*image, context, loc);
      },
      registerDialects);

  TranslateFromMLIRRegistration toAsm(
      "xbar-to-asm", "translate an xbar.program to an assembly listing",
      [](Operation *op, raw_ostream &output) {
        FailureOr<mho::isa::ProgramImage> image = exportTopLevel(op);
        if (failed(image))
          return failure();
        mho::isa::printProgram(*image, output);
        return success();
      },
      registerDialects);

  TranslateToMLIRRegistration fromAsm(
      "asm-to-xbar", "translate an assembly listing to an xbar.program",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        StringRef name = buffer->getBufferIdentifier();
        llvm::Expected<mho::isa::ProgramImage> image =
            mho::isa::parseProgram(buffer->getBuffer(), name);
        if (!image) {
          emitListingError(image.takeError(), name, context);
          return nullptr;
        }
        return importProgram(*image, context, getBufferLoc(sourceMgr, context));
      },
      registerDialects);
}
