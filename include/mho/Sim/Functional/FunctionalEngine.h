//===- FunctionalEngine.h - Executes a program image with values ---------===//
//
// The functional engine: the machine of docs/ISA.md §1 (lazily paged DRAM,
// one buffer per tile, one scratchpad and MVM units per core), every core's
// instruction stream executed in order with the ISA library's semantics,
// cores run round-robin and switched only at a blocking `recv` or `barrier`,
// analog non-idealities applied in the MVM units (AnalogModel), and the
// events of docs/ISA.md §6 counted per core (EventCounts).
//
// Host interface: create an engine from a ProgramImage, write inputs by
// symbol name (shape and type checked against the symbol), run, read
// outputs. Every failure is an llvm::Error; an execution error names the core
// (chip, tile, core), the instruction index and mnemonic, and what was wrong.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SIM_FUNCTIONAL_FUNCTIONALENGINE_H
#define MHO_SIM_FUNCTIONAL_FUNCTIONALENGINE_H

#include "mho/Arch/Architecture.h"
#include "mho/ISA/ProgramImage.h"
#include "mho/Sim/Functional/AnalogModel.h"
#include "mho/Sim/Functional/EventCounts.h"
#include "mho/Sim/Functional/MvmUnit.h"
#include "mho/Support/HostTensor.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <memory>
#include <vector>

namespace mho::sim::functional {

struct FunctionalOptions {
  /// Device and ADC parameters, time since programming and seed.
  AnalogModel analog;
  /// The effects to apply, of those `analog` configures (NoEffects: noise
  /// off, bit-exact ISA semantics).
  EffectMask effects = NoEffects;
  /// Threads for the MVM kernels and programming (1: none extra).
  unsigned threads = 1;
  KernelChoice kernel = KernelChoice::Auto;
  /// Tiles per mesh row and rows of the mesh (NoC hops); 0 x 0 puts a chip's
  /// tiles in one row.
  unsigned meshX = 0, meshY = 0;

  /// The analog model, mesh and default noise setting of an architecture:
  /// effects = every effect the file configures.
  static FunctionalOptions fromArchitecture(const arch::Architecture &arch);
};

/// The unit configuration the compiler derives from an architecture
/// (docs/FunctionalEngine.md, "Architecture and image"). Fails when the
/// architecture exceeds what ISA v1 can express (e.g. inputs wider than 8 bits).
llvm::Expected<isa::UnitConfig>
getUnitConfig(const arch::Architecture &arch);

/// Checks that an image was compiled for `arch`: the MVM fields of its unit
/// configuration equal the architecture's, its topology and memories fit.
/// The message lists every mismatching field.
llvm::Error checkImageAgainstArchitecture(const isa::UnitConfig &image,
                                          const arch::Architecture &arch);

/// Element types of the host interface.
ElementType getElementType(isa::DataType type);
/// The shape and type a symbol describes, e.g. "64x768xi8".
std::string describeSymbol(const isa::Symbol &symbol);

/// How the simulator computed the run's MVMs (not events of the chip): how
/// many batches of an `mvm` the residue kernel computed, and how many of its
/// reads of a 64-column chunk it converted exactly because they may clip
/// (docs/FunctionalEngine.md, "Residue kernel").
struct KernelCounts {
  uint64_t mvmBatches = 0;
  uint64_t residueBatches = 0;
  uint64_t exactReads = 0;
};
llvm::json::Value toJSON(const KernelCounts &counts);

class FunctionalEngine {
public:
  /// Verifies the image, builds the machine and applies the DRAM
  /// initialisation records.
  static llvm::Expected<std::unique_ptr<FunctionalEngine>>
  create(isa::ProgramImage image, const FunctionalOptions &options);
  ~FunctionalEngine();

  const isa::ProgramImage &getImage() const;
  const MvmArithmetic &getArithmetic() const;
  const FunctionalOptions &getOptions() const;

  /// Symbols of each kind, in symbol-table order.
  std::vector<const isa::Symbol *> getSymbols(isa::SymbolKind kind) const;
  const isa::Symbol *findSymbol(llvm::StringRef name) const;

  /// Writes an input (or constant) symbol's tensor into memory. The tensor's
  /// element type and shape must equal the symbol's.
  llvm::Error setInput(llvm::StringRef name, const HostTensor &tensor);
  /// Reads any symbol's tensor from memory.
  llvm::Expected<HostTensor> getTensor(llvm::StringRef name) const;

  /// Executes every stream to its halt. Runs once.
  llvm::Error run();

  /// Events so far (all zero before run()).
  const EventCounts &getEvents() const;
  /// Which kernels computed the MVMs so far.
  const KernelCounts &getKernelCounts() const;

  /// Raw memory access for tests and tools: a core's scratchpad (by stream
  /// index), a tile's buffer (by the tile of that stream's core), or DRAM.
  llvm::Error writeMemory(isa::MemorySpace space, unsigned stream,
                          uint64_t address, llvm::ArrayRef<uint8_t> bytes);
  llvm::Error readMemory(isa::MemorySpace space, unsigned stream,
                         uint64_t address,
                         llvm::MutableArrayRef<uint8_t> bytes) const;

  /// The MVM unit `unit` of stream `stream`'s core.
  const MvmUnit &getUnit(unsigned stream, unsigned unit) const;

  class Impl;

private:
  explicit FunctionalEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl;
};

} // namespace mho::sim::functional

#endif // MHO_SIM_FUNCTIONAL_FUNCTIONALENGINE_H
