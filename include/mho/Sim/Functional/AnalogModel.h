//===- AnalogModel.h - Analog non-idealities of the MVM units ------------===//
//
// The device and converter effects the functional engine applies to every
// crossbar read (docs/FunctionalEngine.md, "Analog model", gives each formula
// and its source). Parameters come from the architecture file's `device`
// section and `mvm_unit.adc` (offset and gain error); the time since
// programming and the seed are run options. Each effect can be switched off
// on its own.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SIM_FUNCTIONAL_ANALOGMODEL_H
#define MHO_SIM_FUNCTIONAL_ANALOGMODEL_H

#include "mho/Arch/Architecture.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>

namespace mho::sim::functional {

/// One analog non-ideality. Values are bits of an EffectMask.
enum class Effect : unsigned {
  ProgrammingNoise = 1u << 0, ///< once per cell at wprog
  ReadNoise = 1u << 1,        ///< per column per read
  Drift = 1u << 2,            ///< g(t) = g(t0) (t/t0)^-nu
  StuckAt = 1u << 3,          ///< cells stuck at g_max / g_min
  IrDrop = 1u << 4,           ///< wire resistance, first-order attenuation
  AdcError = 1u << 5,         ///< ADC offset and gain error
};
using EffectMask = unsigned;
constexpr EffectMask NoEffects = 0;
constexpr EffectMask AllEffects = 0x3F;
constexpr Effect AllEffectList[] = {Effect::ProgrammingNoise, Effect::ReadNoise,
                                    Effect::Drift,            Effect::StuckAt,
                                    Effect::IrDrop,           Effect::AdcError};

/// "programming", "read", "drift", "stuck-at", "ir-drop", "adc".
llvm::StringRef getName(Effect effect);
/// "off" -> none, "on" -> all, or a comma-separated list of effect names.
llvm::Expected<EffectMask> parseEffects(llvm::StringRef text);
/// The names of the effects in a mask, comma-separated ("none" when empty).
std::string printEffects(EffectMask mask);

struct AnalogModel {
  // Device (mho::arch::DeviceSpec).
  arch::Technology technology = arch::Technology::RRAM;
  double gMax = 0; ///< S
  double gMin = 0; ///< S
  arch::ProgrammingNoiseSpec programmingNoise;
  arch::ReadNoiseSpec readNoise;
  arch::DriftSpec drift;
  double stuckAtOn = 0;      ///< fraction of cells stuck at g_max
  double stuckAtOff = 0;     ///< fraction of cells stuck at g_min
  double wireResistance = 0; ///< ohm per cell segment of a row/column wire
  // ADC (mho::arch::AdcSpec).
  double adcOffsetLsb = 0; ///< added to every conversion, in ADC LSBs
  double adcGainError = 0; ///< code = (1 + gain error) * ideal
  // Run options.
  double time = 0;   ///< s since programming (drift, PCM read noise)
  uint64_t seed = 0; ///< root of every random stream
  /// Mean drive of a row as a fraction of full scale, for the first-order
  /// IR-drop model (0.5: the bit planes of offset-encoded inputs).
  double irDropActivity = 0.5;
  /// Programmed conductances are clipped to [0, gCeiling * gMax].
  double gCeiling = 1.25;

  /// The device and ADC parameters of an architecture (time 0, seed 0). For
  /// SRAM (or a device without g_max) conductances are normalised: g_max = 1,
  /// g_min = 0, no IR drop.
  static AnalogModel fromArchitecture(const arch::Architecture &arch);

  /// Effects whose parameters are not the ideal value (sigma 0, no model,
  /// zero fractions, zero resistance, zero ADC error), whatever the time.
  EffectMask getConfiguredEffects() const;
  /// The configured effects that change a result at `time`: drift only
  /// after t0, PCM read noise only once ln((t + t_read) / (2 t_read)) > 0.
  EffectMask getActiveEffects() const;
  /// A copy with every effect outside `mask` set to its ideal value.
  AnalogModel restrictedTo(EffectMask mask) const;

  /// Checks the parameters the active effects use (g_max > 0, g_min in
  /// [0, g_max), fractions in [0, 1], ...); the message names the field.
  llvm::Error verify() const;

  /// Level width: (g_max - g_min) / (2^cellBits - 1).
  double getLevelConductance(unsigned cellBits) const {
    return (gMax - gMin) / double((1u << cellBits) - 1);
  }
};

/// The settings as JSON (for --stats-out): active effects and parameters.
llvm::json::Value toJSON(const AnalogModel &model);

} // namespace mho::sim::functional

#endif // MHO_SIM_FUNCTIONAL_ANALOGMODEL_H
