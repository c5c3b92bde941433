//===- AnalogModel.cpp - Analog non-idealities of the MVM units ----------===//

#include "mho/Sim/Functional/AnalogModel.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

#include <cmath>

using namespace mho;
using namespace mho::sim::functional;
using llvm::Twine;

llvm::StringRef mho::sim::functional::getName(Effect effect) {
  switch (effect) {
  case Effect::ProgrammingNoise:
    return "programming";
  case Effect::ReadNoise:
    return "read";
  case Effect::Drift:
    return "drift";
  case Effect::StuckAt:
    return "stuck-at";
  case Effect::IrDrop:
    return "ir-drop";
  case Effect::AdcError:
    return "adc";
  }
  return "?";
}

llvm::Expected<EffectMask>
mho::sim::functional::parseEffects(llvm::StringRef text) {
  text = text.trim();
  if (text == "off" || text == "none")
    return NoEffects;
  if (text == "on" || text == "all")
    return AllEffects;
  llvm::SmallVector<llvm::StringRef> names;
  text.split(names, ',');
  EffectMask mask = NoEffects;
  for (llvm::StringRef name : names) {
    name = name.trim();
    bool found = false;
    for (Effect effect : AllEffectList)
      if (name == getName(effect)) {
        mask |= unsigned(effect);
        found = true;
      }
    if (!found)
      return llvm::createStringError(
          "unknown noise effect '" + name +
          "' (expected off, on, or a list of programming, read, drift, "
          "stuck-at, ir-drop, adc)");
  }
  return mask;
}

std::string mho::sim::functional::printEffects(EffectMask mask) {
  std::string text;
  for (Effect effect : AllEffectList)
    if (mask & unsigned(effect)) {
      if (!text.empty())
        text += ",";
      text += getName(effect).str();
    }
  return text.empty() ? "none" : text;
}

AnalogModel AnalogModel::fromArchitecture(const arch::Architecture &arch) {
  AnalogModel model;
  const arch::DeviceSpec &device = arch.device;
  model.technology = device.technology;
  model.gMax = device.gMax;
  model.gMin = device.gMin;
  model.programmingNoise = device.programmingNoise;
  model.readNoise = device.readNoise;
  model.drift = device.drift;
  model.stuckAtOn = device.stuckAtOn;
  model.stuckAtOff = device.stuckAtOff;
  model.wireResistance = device.wireResistance;
  model.adcOffsetLsb = arch.mvmUnit.adc.offsetError;
  model.adcGainError = arch.mvmUnit.adc.gainError;
  if (!arch::isResistive(device.technology) || !(device.gMax > 0)) {
    // SRAM cells hold exact charges, not conductances: the noise models act
    // on a normalised scale (g_max = 1, g_min = 0, so a Gaussian sigma is a
    // fraction of one cell's full-scale contribution) and there is no
    // resistive wire to drop voltage on.
    model.gMax = 1;
    model.gMin = 0;
    model.wireResistance = 0;
  }
  return model;
}

EffectMask AnalogModel::getConfiguredEffects() const {
  EffectMask mask = NoEffects;
  using arch::NoiseModelKind;
  if ((programmingNoise.model == NoiseModelKind::Gaussian &&
       programmingNoise.sigma > 0) ||
      (programmingNoise.model == NoiseModelKind::PCM &&
       (programmingNoise.c0 != 0 || programmingNoise.c1 != 0 ||
        programmingNoise.c2 != 0)))
    mask |= unsigned(Effect::ProgrammingNoise);
  if ((readNoise.model == NoiseModelKind::Gaussian && readNoise.sigma > 0) ||
      (readNoise.model == NoiseModelKind::PCM && readNoise.qsScale > 0))
    mask |= unsigned(Effect::ReadNoise);
  if (drift.enabled && (drift.nu != 0 || drift.nuSigma != 0))
    mask |= unsigned(Effect::Drift);
  if (stuckAtOn > 0 || stuckAtOff > 0)
    mask |= unsigned(Effect::StuckAt);
  if (wireResistance > 0)
    mask |= unsigned(Effect::IrDrop);
  if (adcOffsetLsb != 0 || adcGainError != 0)
    mask |= unsigned(Effect::AdcError);
  return mask;
}

EffectMask AnalogModel::getActiveEffects() const {
  EffectMask mask = getConfiguredEffects();
  if ((mask & unsigned(Effect::Drift)) && !(time > drift.t0))
    mask &= ~unsigned(Effect::Drift);
  if ((mask & unsigned(Effect::ReadNoise)) &&
      readNoise.model == arch::NoiseModelKind::PCM &&
      !(time + readNoise.tRead > 2 * readNoise.tRead))
    mask &= ~unsigned(Effect::ReadNoise);
  return mask;
}

AnalogModel AnalogModel::restrictedTo(EffectMask mask) const {
  AnalogModel model = *this;
  if (!(mask & unsigned(Effect::ProgrammingNoise)))
    model.programmingNoise = arch::ProgrammingNoiseSpec();
  if (!(mask & unsigned(Effect::ReadNoise)))
    model.readNoise = arch::ReadNoiseSpec();
  if (!(mask & unsigned(Effect::Drift)))
    model.drift = arch::DriftSpec();
  if (!(mask & unsigned(Effect::StuckAt)))
    model.stuckAtOn = model.stuckAtOff = 0;
  if (!(mask & unsigned(Effect::IrDrop)))
    model.wireResistance = 0;
  if (!(mask & unsigned(Effect::AdcError)))
    model.adcOffsetLsb = model.adcGainError = 0;
  return model;
}

llvm::Error AnalogModel::verify() const {
  auto fail = [](const Twine &message) {
    return llvm::createStringError("analog model: " + message);
  };
  EffectMask mask = getConfiguredEffects();
  bool conductances = mask & ~unsigned(Effect::AdcError);
  if (conductances) {
    if (!(gMax > 0) || !std::isfinite(gMax))
      return fail("g_max must be a positive conductance, got " + llvm::Twine(std::to_string(gMax)));
    if (!(gMin >= 0) || !(gMin < gMax))
      return fail("g_min must be in [0, g_max), got " + llvm::Twine(std::to_string(gMin)));
  }
  if (!(gCeiling >= 1))
    return fail("the conductance ceiling must be at least g_max");
  if (stuckAtOn < 0 || stuckAtOff < 0 || stuckAtOn + stuckAtOff > 1)
    return fail("stuck-at fractions must be in [0, 1] and add up to at most 1");
  if (wireResistance < 0)
    return fail("wire resistance must not be negative");
  if (!(irDropActivity >= 0 && irDropActivity <= 1))
    return fail("IR-drop activity must be in [0, 1]");
  if (programmingNoise.sigma < 0 || readNoise.sigma < 0)
    return fail("noise sigma must not be negative");
  if ((mask & unsigned(Effect::Drift)) && !(drift.t0 > 0))
    return fail("drift t0 must be positive");
  if ((mask & unsigned(Effect::ReadNoise)) &&
      readNoise.model == arch::NoiseModelKind::PCM && !(readNoise.tRead > 0))
    return fail("PCM read noise needs t_read > 0");
  if (!(time >= 0) || !std::isfinite(time))
    return fail("time since programming must be a non-negative number of "
                "seconds, got " +
                Twine(std::to_string(time)));
  if (!(std::abs(adcGainError) <= 1))
    return fail("ADC gain error must be in [-1, 1]");
  if (!std::isfinite(adcOffsetLsb) || std::abs(adcOffsetLsb) > 1024)
    return fail("ADC offset must be in [-1024, 1024] LSB");
  return llvm::Error::success();
}

llvm::json::Value mho::sim::functional::toJSON(const AnalogModel &m) {
  llvm::json::Object o;
  o["configured_effects"] = printEffects(m.getConfiguredEffects());
  o["active_effects"] = printEffects(m.getActiveEffects());
  o["technology"] = arch::technologyName(m.technology);
  o["g_max_S"] = m.gMax;
  o["g_min_S"] = m.gMin;
  o["programming_noise"] = llvm::json::Object{
      {"model", arch::noiseModelName(m.programmingNoise.model)},
      {"sigma", m.programmingNoise.sigma},
      {"c0_S", m.programmingNoise.c0},
      {"c1_S", m.programmingNoise.c1},
      {"c2_S", m.programmingNoise.c2}};
  o["read_noise"] =
      llvm::json::Object{{"model", arch::noiseModelName(m.readNoise.model)},
                         {"sigma", m.readNoise.sigma},
                         {"q_s_scale", m.readNoise.qsScale},
                         {"q_s_exponent", m.readNoise.qsExponent},
                         {"q_s_max", m.readNoise.qsMax},
                         {"t_read_s", m.readNoise.tRead}};
  o["drift"] = llvm::json::Object{{"enabled", m.drift.enabled},
                                  {"nu", m.drift.nu},
                                  {"nu_sigma", m.drift.nuSigma},
                                  {"t0_s", m.drift.t0}};
  o["stuck_at_on"] = m.stuckAtOn;
  o["stuck_at_off"] = m.stuckAtOff;
  o["wire_resistance_ohm"] = m.wireResistance;
  o["ir_drop_activity"] = m.irDropActivity;
  o["adc_offset_lsb"] = m.adcOffsetLsb;
  o["adc_gain_error"] = m.adcGainError;
  o["time_s"] = m.time;
  o["seed"] = int64_t(m.seed);
  return o;
}
