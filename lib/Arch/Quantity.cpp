//===- Quantity.cpp - Physical quantities with units, parsed to SI --------===//

#include "mho/Arch/Quantity.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdlib>

using namespace llvm;
using namespace mho::arch;

namespace {

struct UnitEntry {
  StringRef name;
  double scale; ///< SI value of one of this unit
};

constexpr Dimension kAllDimensions[] = {
    Dimension::Energy,      Dimension::Time,       Dimension::Frequency,
    Dimension::Area,        Dimension::Size,       Dimension::Bandwidth,
    Dimension::Conductance, Dimension::Resistance, Dimension::Voltage,
    Dimension::Power};

// Micro is accepted as ASCII "u", the micro sign U+00B5 and Greek mu U+03BC,
// since papers copied into a file use any of the three.
#define MICRO(unit)                                                            \
  {"u" unit, 1e-6}, {"\xC2\xB5" unit, 1e-6}, { "\xCE\xBC" unit, 1e-6 }

const UnitEntry kEnergyUnits[] = {
    {"aJ", 1e-18}, {"fJ", 1e-15}, {"pJ", 1e-12}, {"nJ", 1e-9}, MICRO("J"),
    {"mJ", 1e-3},  {"J", 1},      {"kJ", 1e3}};
const UnitEntry kTimeUnits[] = {{"fs", 1e-15}, {"ps", 1e-12}, {"ns", 1e-9},
                                MICRO("s"),    {"ms", 1e-3},  {"s", 1}};
const UnitEntry kFrequencyUnits[] = {
    {"Hz", 1}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}, {"THz", 1e12}};
// A prefix on a square unit is squared too: 1 um2 = 1e-12 m2.
const UnitEntry kAreaUnits[] = {
    {"nm2", 1e-18},          {"nm^2", 1e-18},
    {"um2", 1e-12},          {"um^2", 1e-12},
    {"\xC2\xB5m2", 1e-12},   {"\xC2\xB5m^2", 1e-12},
    {"\xCE\xBCm2", 1e-12},   {"\xCE\xBCm^2", 1e-12},
    {"mm2", 1e-6},           {"mm^2", 1e-6},
    {"cm2", 1e-4},           {"cm^2", 1e-4},
    {"m2", 1},               {"m^2", 1},
    {"um\xC2\xB2", 1e-12},   {"\xC2\xB5m\xC2\xB2", 1e-12},
    {"mm\xC2\xB2", 1e-6},    {"m\xC2\xB2", 1}};
const UnitEntry kSizeUnits[] = {
    {"B", 1},           {"kB", 1e3},           {"MB", 1e6},
    {"GB", 1e9},        {"TB", 1e12},          {"KiB", 1024.0},
    {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0}};
const UnitEntry kBandwidthUnits[] = {
    {"B/s", 1},           {"kB/s", 1e3},           {"MB/s", 1e6},
    {"GB/s", 1e9},        {"TB/s", 1e12},          {"KiB/s", 1024.0},
    {"MiB/s", 1048576.0}, {"GiB/s", 1073741824.0}, {"TiB/s", 1099511627776.0},
    {"bit/s", 1.0 / 8},   {"kbit/s", 1e3 / 8},     {"Mbit/s", 1e6 / 8},
    {"Gbit/s", 1e9 / 8},  {"Tbit/s", 1e12 / 8}};
const UnitEntry kConductanceUnits[] = {
    {"nS", 1e-9}, MICRO("S"), {"mS", 1e-3}, {"S", 1}};
const UnitEntry kResistanceUnits[] = {
    {"mohm", 1e-3},         {"ohm", 1},           {"kohm", 1e3},
    {"Mohm", 1e6},          {"Gohm", 1e9},        {"m\xCE\xA9", 1e-3},
    {"\xCE\xA9", 1},        {"k\xCE\xA9", 1e3},   {"M\xCE\xA9", 1e6},
    {"G\xCE\xA9", 1e9}};
const UnitEntry kVoltageUnits[] = {MICRO("V"), {"mV", 1e-3}, {"V", 1},
                                   {"kV", 1e3}};
const UnitEntry kPowerUnits[] = {{"pW", 1e-12}, {"nW", 1e-9}, MICRO("W"),
                                 {"mW", 1e-3},  {"W", 1},     {"kW", 1e3}};
#undef MICRO

ArrayRef<UnitEntry> unitsOf(Dimension dim) {
  switch (dim) {
  case Dimension::Energy:
    return kEnergyUnits;
  case Dimension::Time:
    return kTimeUnits;
  case Dimension::Frequency:
    return kFrequencyUnits;
  case Dimension::Area:
    return kAreaUnits;
  case Dimension::Size:
    return kSizeUnits;
  case Dimension::Bandwidth:
    return kBandwidthUnits;
  case Dimension::Conductance:
    return kConductanceUnits;
  case Dimension::Resistance:
    return kResistanceUnits;
  case Dimension::Voltage:
    return kVoltageUnits;
  case Dimension::Power:
    return kPowerUnits;
  }
  llvm_unreachable("unknown dimension");
}

const UnitEntry *findUnit(Dimension dim, StringRef unit) {
  for (const UnitEntry &entry : unitsOf(dim))
    if (entry.name == unit)
      return &entry;
  return nullptr;
}

/// "an energy", "a time": the article makes messages read as English.
std::string withArticle(Dimension dim) {
  StringRef name = dimensionName(dim);
  bool vowel = StringRef("aeiou").contains(name.front());
  return (Twine(vowel ? "an " : "a ") + name).str();
}

/// Splits "1.5e-3 pJ" into "1.5e-3" and "pJ". The number is an optional sign,
/// digits with an optional fraction, and an exponent only when digits follow
/// the 'e' (so "2 eV" would not lose its 'e').
std::pair<StringRef, StringRef> splitNumber(StringRef text) {
  size_t i = 0, n = text.size();
  auto isDigit = [&](size_t at) { return at < n && llvm::isDigit(text[at]); };
  if (i < n && (text[i] == '+' || text[i] == '-'))
    ++i;
  while (isDigit(i))
    ++i;
  if (i < n && text[i] == '.') {
    ++i;
    while (isDigit(i))
      ++i;
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    size_t j = i + 1;
    if (j < n && (text[j] == '+' || text[j] == '-'))
      ++j;
    if (isDigit(j)) {
      i = j;
      while (isDigit(i))
        ++i;
    }
  }
  return {text.take_front(i), text.drop_front(i).trim()};
}

std::optional<double> parseNumber(StringRef number) {
  if (number.empty() || number == "+" || number == "-" || number == ".")
    return std::nullopt;
  SmallString<32> buffer(number);
  char *end = nullptr;
  double value = std::strtod(buffer.c_str(), &end);
  if (end != buffer.c_str() + buffer.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

} // namespace

StringRef mho::arch::dimensionName(Dimension dim) {
  switch (dim) {
  case Dimension::Energy:
    return "energy";
  case Dimension::Time:
    return "time";
  case Dimension::Frequency:
    return "frequency";
  case Dimension::Area:
    return "area";
  case Dimension::Size:
    return "size";
  case Dimension::Bandwidth:
    return "bandwidth";
  case Dimension::Conductance:
    return "conductance";
  case Dimension::Resistance:
    return "resistance";
  case Dimension::Voltage:
    return "voltage";
  case Dimension::Power:
    return "power";
  }
  llvm_unreachable("unknown dimension");
}

StringRef mho::arch::siUnitName(Dimension dim) {
  switch (dim) {
  case Dimension::Energy:
    return "J";
  case Dimension::Time:
    return "s";
  case Dimension::Frequency:
    return "Hz";
  case Dimension::Area:
    return "m2";
  case Dimension::Size:
    return "B";
  case Dimension::Bandwidth:
    return "B/s";
  case Dimension::Conductance:
    return "S";
  case Dimension::Resistance:
    return "ohm";
  case Dimension::Voltage:
    return "V";
  case Dimension::Power:
    return "W";
  }
  llvm_unreachable("unknown dimension");
}

StringRef mho::arch::exampleQuantity(Dimension dim) {
  switch (dim) {
  case Dimension::Energy:
    return "1.56 pJ";
  case Dimension::Time:
    return "100 ns";
  case Dimension::Frequency:
    return "1.2 GHz";
  case Dimension::Area:
    return "0.0012 mm2";
  case Dimension::Size:
    return "64 KiB";
  case Dimension::Bandwidth:
    return "6.4 GB/s";
  case Dimension::Conductance:
    return "25 uS";
  case Dimension::Resistance:
    return "100 kohm";
  case Dimension::Voltage:
    return "0.4 V";
  case Dimension::Power:
    return "2 mW";
  }
  llvm_unreachable("unknown dimension");
}

Expected<double> mho::arch::parseQuantity(StringRef text, Dimension dim) {
  text = text.trim();
  auto [numberText, unit] = splitNumber(text);
  std::optional<double> number = parseNumber(numberText);
  if (!number)
    return makeError("expected " + withArticle(dim) + " such as '" +
                     exampleQuantity(dim) + "', got '" + text + "'");
  if (unit.empty())
    return makeError("expected " + withArticle(dim) + " with a unit (e.g. '" +
                     exampleQuantity(dim) + "'), got a plain number '" + text +
                     "'");
  if (const UnitEntry *entry = findUnit(dim, unit))
    return *number * entry->scale;

  // The unit belongs to another dimension: say which, since the usual mistake
  // is a power where an energy per event belongs.
  for (Dimension other : kAllDimensions) {
    if (other == dim || !findUnit(other, unit))
      continue;
    std::string message = "expected " + withArticle(dim) + " (e.g. '" +
                          exampleQuantity(dim).str() + "'), got " +
                          withArticle(other) + " '" + text.str() + "'";
    if (dim == Dimension::Energy && other == Dimension::Power)
      message += "; energies are per event: multiply the power by the event's "
                 "time (docs/Architecture.md, \"Energy convention\")";
    return makeError(message);
  }

  if (unit == "KB" || unit == "KB/s")
    return makeError("ambiguous unit '" + unit + "' in '" + text +
                     "': write 'KiB' (1024 bytes) or 'kB' (1000 bytes)" +
                     (unit.ends_with("/s") ? " per second" : ""));
  if (unit.ends_with("b/s"))
    return makeError("ambiguous unit '" + unit + "' in '" + text +
                     "': write bits as 'bit/s' (e.g. 'Gbit/s') or bytes as "
                     "'B/s' (e.g. 'GB/s')");

  // Suggest the closest unit of the expected dimension.
  StringRef best;
  unsigned bestDistance = 3;
  for (const UnitEntry &entry : unitsOf(dim)) {
    unsigned distance = unit.edit_distance(entry.name);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = entry.name;
    }
  }
  std::string message = "unknown unit '" + unit.str() + "' in '" + text.str() +
                        "' for " + withArticle(dim);
  if (!best.empty())
    message += "; did you mean '" + best.str() + "'?";
  return makeError(message);
}

std::string mho::arch::formatQuantity(double si, Dimension dim,
                                      unsigned digits) {
  struct Display {
    const char *name;
    double scale;
  };
  static const Display energy[] = {
      {"aJ", 1e-18}, {"fJ", 1e-15}, {"pJ", 1e-12}, {"nJ", 1e-9},
      {"uJ", 1e-6},  {"mJ", 1e-3},  {"J", 1}};
  static const Display time[] = {{"fs", 1e-15}, {"ps", 1e-12}, {"ns", 1e-9},
                                 {"us", 1e-6},  {"ms", 1e-3},  {"s", 1}};
  static const Display frequency[] = {
      {"Hz", 1}, {"kHz", 1e3}, {"MHz", 1e6}, {"GHz", 1e9}, {"THz", 1e12}};
  // Chip areas read best in mm2; only parts below 0.001 mm2 go to um2.
  static const Display area[] = {{"um2", 1e-12}, {"mm2", 1e-9}};
  static const Display size[] = {{"B", 1},
                                 {"KiB", 1024.0},
                                 {"MiB", 1048576.0},
                                 {"GiB", 1073741824.0},
                                 {"TiB", 1099511627776.0}};
  static const Display bandwidth[] = {
      {"B/s", 1}, {"kB/s", 1e3}, {"MB/s", 1e6}, {"GB/s", 1e9}, {"TB/s", 1e12}};
  static const Display conductance[] = {
      {"nS", 1e-9}, {"uS", 1e-6}, {"mS", 1e-3}, {"S", 1}};
  static const Display resistance[] = {
      {"mohm", 1e-3}, {"ohm", 1}, {"kohm", 1e3}, {"Mohm", 1e6}, {"Gohm", 1e9}};
  static const Display voltage[] = {{"uV", 1e-6}, {"mV", 1e-3}, {"V", 1}};
  static const Display power[] = {{"pW", 1e-12}, {"nW", 1e-9}, {"uW", 1e-6},
                                  {"mW", 1e-3},  {"W", 1},     {"kW", 1e3}};
  ArrayRef<Display> table;
  switch (dim) {
  case Dimension::Energy:
    table = energy;
    break;
  case Dimension::Time:
    table = time;
    break;
  case Dimension::Frequency:
    table = frequency;
    break;
  case Dimension::Area:
    table = area;
    break;
  case Dimension::Size:
    table = size;
    break;
  case Dimension::Bandwidth:
    table = bandwidth;
    break;
  case Dimension::Conductance:
    table = conductance;
    break;
  case Dimension::Resistance:
    table = resistance;
    break;
  case Dimension::Voltage:
    table = voltage;
    break;
  case Dimension::Power:
    table = power;
    break;
  }
  // The mm2 entry's threshold is 0.001 mm2 but its unit is 1 mm2.
  auto unitScale = [&](const Display &d) {
    return dim == Dimension::Area && StringRef(d.name) == "mm2" ? 1e-6
                                                                : d.scale;
  };
  if (si == 0)
    return dim == Dimension::Area ? "0 mm2" : "0 " + siUnitName(dim).str();
  const Display *chosen = &table.front();
  for (const Display &d : table)
    if (std::fabs(si) >= d.scale)
      chosen = &d;
  std::string out;
  raw_string_ostream os(out);
  os << format("%.*g", static_cast<int>(digits), si / unitScale(*chosen)) << ' '
     << chosen->name;
  return out;
}
