//===- Architecture.h - A CIM chip described as data ----------------------===//
//
// The architecture that the compiler's passes and all three engines read: a
// mesh of tiles, each with a buffer and cores; each core with a scratchpad, a
// vector unit, optionally a digital matrix unit and reprogrammable SRAM-CIM
// arrays, and MVM units; each MVM unit one logical weight block held on
// several physical crossbars with DACs, sample-and-holds, ADCs and
// shift-and-add. docs/Architecture.md documents every field.
//
// Units. Every physical field is an SI double: joules, seconds, hertz, square
// metres, bytes, bytes per second, siemens, ohms, volts, watts. Fields whose
// name ends in `Cycles` count clock cycles of `ChipSpec::clock`. Counts and bit
// widths are integers.
//
// Energy convention (stated once, here and in docs/Architecture.md). Every
// `energy` is per event, the event named at the field:
//   - ADC: one conversion of one column value;
//   - crossbar: one read of one physical array for one input plane;
//   - DAC: one activation of one row driver for one input plane;
//   - sample-and-hold: one sample of one column for one input plane;
//   - shift-and-add: one accumulation of one ADC result;
//   - buffer, scratchpad: one read or write beat of the bus width;
//   - instruction memory: one instruction fetch;
//   - NoC: one byte moved one hop; chip link and off-chip memory: one bit;
//   - vector unit: one element operation in one lane;
//   - digital matrix unit: one multiply-accumulate;
//   - reprogrammable array: one cell written; one full-array read (all rows,
//     all columns, one input vector at full input precision);
//   - programming: one crossbar cell programmed (with verify).
// Where a source gives power, the preset converts it to energy per event
// (power x event time) and writes the arithmetic beside it. Static power is
// the separate `leakage` field (W per instance), charged per unit time. Area
// is per instance, in m2 (files write mm2).
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ARCH_ARCHITECTURE_H
#define MHO_ARCH_ARCHITECTURE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mho::arch {

//===----------------------------------------------------------------------===//
// Building blocks
//===----------------------------------------------------------------------===//

/// Area and static power of a block that has no per-event energy in the
/// schema (control logic, buses, I/O pads): charged by time and by area only.
struct StaticCost {
  double leakage = 0; ///< W
  double area = 0;    ///< m2
};

/// An analog or mixed-signal part of an MVM unit: energy and latency of one
/// event (the event depends on the part, see the file header), static power
/// and area of one instance, and how many instances one MVM unit has.
struct PeripheralSpec {
  double energy = 0;  ///< J per event
  double latency = 0; ///< s per event
  double leakage = 0; ///< W per instance
  double area = 0;    ///< m2 per instance
  /// Instances per MVM unit as written in the file; 0 = the part's default.
  unsigned count = 0;
  /// Instances per MVM unit: `count`, or the default resolved by
  /// finalizeArchitecture(). Engines read this one.
  unsigned instances = 0;
};

/// A banked SRAM/eDRAM memory accessed in beats of `widthBits`.
struct BufferSpec {
  uint64_t size = 0;          ///< bytes
  unsigned banks = 1;         ///< independently accessible banks
  unsigned widthBits = 0;     ///< bits per beat (bus width)
  unsigned latencyCycles = 0; ///< cycles from request to data
  double readEnergy = 0;      ///< J per beat read
  double writeEnergy = 0;     ///< J per beat written
  double leakage = 0;         ///< W
  double area = 0;            ///< m2

  unsigned bytesPerBeat() const { return widthBits / 8; }
};

//===----------------------------------------------------------------------===//
// Chip and network
//===----------------------------------------------------------------------===//

struct NocSpec {
  unsigned flitBits = 0;          ///< width of one flit
  unsigned hopLatencyCycles = 0;  ///< router + link, per hop
  double energyPerByteHop = 0;    ///< J per byte per hop
  unsigned tilesPerRouter = 1;    ///< concentration (ISAAC: 4 tiles share one)
  double routerLeakage = 0;       ///< W per router
  double routerArea = 0;          ///< m2 per router
};

/// Links between chips of a multi-chip system (and to the host).
struct ChipLinkSpec {
  bool present = false; ///< false: the `chip_link` section was absent
  unsigned links = 0;   ///< links per chip
  double bandwidth = 0; ///< B/s per link, per direction
  double latency = 0;   ///< s per transfer
  double energyPerBit = 0; ///< J per bit moved
  double leakage = 0;   ///< W, all links of one chip together
  double area = 0;      ///< m2, all links of one chip together
};

struct ChipSpec {
  unsigned tiles = 0;  ///< tiles per chip; equals meshX * meshY
  unsigned meshX = 0;  ///< mesh columns
  unsigned meshY = 0;  ///< mesh rows
  double clock = 0;    ///< Hz; all `...Cycles` fields count this clock
  unsigned chips = 1;  ///< chips per system, for models that do not fit one
  NocSpec noc;
  ChipLinkSpec chipLink;
  StaticCost other; ///< chip-level blocks without events (I/O, control)

  double cycleTime() const { return 1.0 / clock; }
};

//===----------------------------------------------------------------------===//
// Tile and core
//===----------------------------------------------------------------------===//

struct TileSpec {
  unsigned cores = 0;
  BufferSpec buffer; ///< the tile's shared buffer (eDRAM/SRAM)
  StaticCost other;  ///< tile-level blocks without events (control, bus)
};

struct InstructionMemorySpec {
  uint64_t size = 0;     ///< bytes
  double readEnergy = 0; ///< J per instruction fetched
  double leakage = 0;    ///< W
  double area = 0;       ///< m2
};

/// The vector unit's operation classes; each has its own latency and energy.
enum class VectorOp {
  Add,     ///< add, sub, max, min, compare, select, copy
  Mul,     ///< multiply (and multiply-add)
  Div,     ///< divide, reciprocal
  Exp,     ///< exp (softmax)
  Rsqrt,   ///< reciprocal square root (LayerNorm, RMSNorm)
  Special, ///< erf, tanh, sigmoid (GELU, SiLU) by LUT or piecewise polynomial
  Reduce,  ///< one element folded into a running sum or max
};
constexpr unsigned kNumVectorOps = 7;

/// The YAML key of a vector op: "add", "mul", ...
llvm::StringRef vectorOpName(VectorOp op);

struct VectorOpSpec {
  unsigned latencyCycles = 0; ///< cycles for one lane-wide operation
  double energy = 0;          ///< J per element operation (one lane)
};

struct VectorUnitSpec {
  unsigned lanes = 0; ///< elements processed per operation
  std::array<VectorOpSpec, kNumVectorOps> ops{};
  double leakage = 0; ///< W
  double area = 0;    ///< m2

  const VectorOpSpec &op(VectorOp kind) const {
    return ops[static_cast<unsigned>(kind)];
  }
};

/// A small digital multiply-accumulate array for activation x activation
/// products (Q.K^T, P.V) that crossbars cannot hold.
struct DigitalMatrixUnitSpec {
  bool present = false;
  unsigned macsPerCycle = 0;
  unsigned inputBits = 0;       ///< operand width (both operands)
  unsigned accumulatorBits = 0; ///< default 32
  double energyPerMac = 0;      ///< J per multiply-accumulate
  double leakage = 0;           ///< W
  double area = 0;              ///< m2
};

/// SRAM compute-in-memory arrays that are rewritten at run time, so one
/// activation operand can be written in and the other streamed through.
struct ReprogrammableArraySpec {
  bool present = false;
  unsigned count = 0;       ///< arrays per core
  unsigned rows = 0;
  unsigned cols = 0;
  unsigned weightBits = 0;  ///< bits of the stored operand per element
  unsigned inputBits = 0;   ///< bits of the streamed operand
  double writeEnergyPerCell = 0; ///< J per cell written
  double writeLatency = 0;  ///< s per row written (rows are written in turn)
  double readEnergy = 0;    ///< J per full-array read of one input vector
  double readLatency = 0;   ///< s per full-array read
  double leakage = 0;       ///< W per array
  double area = 0;          ///< m2 per array
};

struct CoreSpec {
  unsigned mvmUnits = 0;
  BufferSpec scratchpad; ///< the core's local data memory / register file
  InstructionMemorySpec instructionMemory;
  VectorUnitSpec vectorUnit;
  DigitalMatrixUnitSpec digitalMatrixUnit;
  ReprogrammableArraySpec reprogrammableArrays;
  StaticCost other; ///< core-level blocks without events (control pipeline)

  /// Whether the core can multiply two activations (attention).
  bool canMultiplyActivations() const {
    return digitalMatrixUnit.present || reprogrammableArrays.present;
  }
};

//===----------------------------------------------------------------------===//
// MVM unit
//===----------------------------------------------------------------------===//

/// How signed weights are held in unsigned conductances.
enum class SignedEncoding {
  Offset,       ///< w + 2^(weightBits-1) stored; the offset removed digitally
  Differential, ///< |w| on a positive or a negative array; columns subtracted
};

llvm::StringRef signedEncodingName(SignedEncoding encoding);

struct AdcSpec {
  unsigned bits = 0;
  unsigned count = 0;         ///< ADCs per MVM unit
  unsigned columnsPerAdc = 0; ///< columns sharing one ADC through a mux
  /// Fraction of the worst-case column sum (`MvmUnitSpec::fullScale`) that
  /// maps to the ADC's top code; 1 is `range: full`. Larger sums clip.
  double range = 1;
  double offsetError = 0; ///< LSB added to every conversion
  double gainError = 0;   ///< relative: code = (1 + gainError) * ideal
  double energy = 0;      ///< J per conversion
  double latency = 0;     ///< s per conversion
  double leakage = 0;     ///< W per ADC
  double area = 0;        ///< m2 per ADC
};

/// Writing weights into the crossbar cells.
struct ProgrammingSpec {
  double energyPerCell = 0;  ///< J per cell, including verify iterations
  double latencyPerCell = 0; ///< s per cell
  unsigned parallelCells = 1; ///< cells programmed at the same time
};

struct MvmUnitSpec {
  // Given.
  unsigned rows = 0;       ///< rows of one physical crossbar
  unsigned cols = 0;       ///< columns of one physical crossbar
  unsigned weightBits = 0; ///< signed weight width, sign included
  unsigned cellBits = 0;   ///< bits one cell stores
  /// Crossbars per weight sign, ceil(storedWeightBits / cellBits). A file may
  /// state it (it must agree); finalizeArchitecture() always recomputes it.
  unsigned slices = 0;
  SignedEncoding signedEncoding = SignedEncoding::Offset;
  unsigned inputBits = 0;  ///< signed input width, sign included
  unsigned dacBits = 0;    ///< bits applied per input plane
  unsigned accumulatorBits = 32;
  AdcSpec adc;
  /// Events: crossbar = one array read per plane (count: derived crossbars);
  /// dac = one row driven per plane (count: default rows * slices);
  /// sampleHold = one column sampled per plane (count: default cols * slices);
  /// shiftAdd = one ADC result accumulated (count: default adc.count).
  PeripheralSpec crossbar, dac, sampleHold, shiftAdd;
  ProgrammingSpec programming;

  // Derived once by finalizeArchitecture().
  /// Magnitude bits held in cells: weightBits (offset) or weightBits - 1
  /// (differential, the sign selects the array).
  unsigned storedWeightBits = 0;
  /// Physical crossbars: slices, or 2 * slices with differential encoding.
  unsigned crossbars = 0;
  /// Input planes per MVM: ceil(inputBits / dacBits).
  unsigned planes = 0;
  /// Largest column sum of one array for one plane:
  /// rows * (2^dacBits - 1) * (2^cellBits - 1).
  uint64_t fullScale = 0;
  /// ADC bits that resolve every sum up to fullScale * range exactly:
  /// ceil(log2(fullScale * range + 1)).
  unsigned exactAdcBits = 0;
  /// Low-order bits the ADC cannot resolve: max(0, exactAdcBits - adc.bits).
  unsigned adcDropBits = 0;
  /// Column values converted per plane: cols * slices (a differential pair
  /// is subtracted before conversion).
  unsigned conversionsPerPlane = 0;
  /// Instances of a part per logical event, to price counted events as
  /// mvmEnergy prices a full MVM: row drivers per logical row driven
  /// (dac instances / rows), sample-and-holds per column value converted
  /// (sample-hold instances / conversionsPerPlane).
  double dacsPerRow = 0;
  double sampleHoldsPerConversion = 0;
  /// Time between input planes: max(crossbar read, conversions of one ADC),
  /// the sample-and-hold letting a read overlap the previous conversions.
  double planeInterval = 0;
  /// One full MVM (all rows active, all planes): latency and energy.
  double mvmLatency = 0;
  double mvmEnergy = 0;
  /// Sum of area and leakage of all parts of one MVM unit.
  double area = 0;
  double leakage = 0;

  /// Logical weights one MVM unit holds.
  uint64_t weights() const { return uint64_t(rows) * cols; }
};

//===----------------------------------------------------------------------===//
// Device
//===----------------------------------------------------------------------===//

enum class Technology { RRAM, PCM, SRAM, FeFET, MRAM };

llvm::StringRef technologyName(Technology tech);

/// Whether cells are analog conductances (g_max, read voltage, IR drop apply).
inline bool isResistive(Technology tech) { return tech != Technology::SRAM; }

enum class NoiseModelKind {
  None,
  Gaussian, ///< relative: sigma is a fraction of g_max
  PCM,      ///< aihwkit's PCM model fitted to IBM devices
};

llvm::StringRef noiseModelName(NoiseModelKind kind);

/// Noise added once when a cell is programmed.
struct ProgrammingNoiseSpec {
  NoiseModelKind model = NoiseModelKind::None;
  double sigma = 0; ///< Gaussian: std. dev. as a fraction of g_max
  /// PCM: sigma(g) = c0 + c1 * (g/g_max) + c2 * (g/g_max)^2, in siemens.
  double c0 = 0, c1 = 0, c2 = 0;
};

/// Noise added at every read.
struct ReadNoiseSpec {
  NoiseModelKind model = NoiseModelKind::None;
  double sigma = 0; ///< Gaussian: std. dev. as a fraction of g_max
  /// PCM 1/f: Q_s = min(qsScale / (g/g_max)^qsExponent, qsMax); relative
  /// sigma = Q_s * sqrt(ln((t + tRead) / (2 * tRead))).
  double qsScale = 0, qsExponent = 0, qsMax = 0;
  double tRead = 0; ///< s
};

/// Conductance drift g(t) = g(t0) * (t / t0)^-nu.
struct DriftSpec {
  bool enabled = false;
  double nu = 0;      ///< mean drift exponent
  double nuSigma = 0; ///< device-to-device std. dev. of nu
  double t0 = 0;      ///< s, reference time after programming
};

struct DeviceSpec {
  Technology technology = Technology::RRAM;
  double gMax = 0;       ///< S (0 for SRAM)
  double gMin = 0;       ///< S (a file may give on_off_ratio instead)
  double onOffRatio = 0; ///< gMax / gMin, derived
  unsigned levels = 0;   ///< distinguishable levels per cell, >= 2^cellBits
  ProgrammingNoiseSpec programmingNoise;
  ReadNoiseSpec readNoise;
  DriftSpec drift;
  double stuckAtOn = 0;  ///< fraction of cells stuck at gMax
  double stuckAtOff = 0; ///< fraction of cells stuck at gMin
  double wireResistance = 0; ///< ohm per cell segment of a row/column wire
  double readVoltage = 0;    ///< V applied for a full-scale input
};

//===----------------------------------------------------------------------===//
// Off-chip memory and the whole architecture
//===----------------------------------------------------------------------===//

struct MemorySpec {
  std::string kind;     ///< free text: "DDR4-3200", "HBM2", ...
  uint64_t size = 0;    ///< bytes
  double bandwidth = 0; ///< B/s
  double latency = 0;   ///< s, access latency
  double energyPerBit = 0; ///< J per bit transferred
};

/// Whole-chip figures derived once from the sections.
struct ArchitectureTotals {
  uint64_t cores = 0;      ///< per chip
  uint64_t mvmUnits = 0;   ///< per chip
  uint64_t crossbars = 0;  ///< physical arrays per chip
  uint64_t weights = 0;    ///< logical weights per chip
  uint64_t routers = 0;    ///< per chip: ceil(tiles / tilesPerRouter)
  double coreArea = 0, tileArea = 0, chipArea = 0; ///< m2
  double chipLeakage = 0;  ///< W
  /// Peak analog MVM throughput per chip in operations per second, counting
  /// a multiply-accumulate as 2 operations: 2 * weights / mvmLatency.
  double peakOpsPerSecond = 0;
};

struct Architecture {
  std::string name;
  std::string description;
  std::vector<std::string> sources;
  /// The file it was loaded from (empty when built in code).
  std::string path;

  ChipSpec chip;
  TileSpec tile;
  CoreSpec core;
  MvmUnitSpec mvmUnit;
  DeviceSpec device;
  MemorySpec memory;

  ArchitectureTotals totals; ///< derived by finalizeArchitecture()
};

/// Computes every derived field (MvmUnitSpec's derived block, onOffRatio or
/// gMin, totals) and checks the invariants that span fields. Errors come back
/// as a DiagnosticsError; warnings are printed to `warnings` when non-null.
/// loadArchitecture() calls this; code that builds or edits an Architecture
/// (a design-space sweep) calls it again after editing.
llvm::Error finalizeArchitecture(Architecture &arch,
                                 llvm::raw_ostream *warnings = nullptr);

} // namespace mho::arch

#endif // MHO_ARCH_ARCHITECTURE_H
