//===- Quantity.h - Physical quantities with units, parsed to SI ----------===//
//
// Architecture files write every physical figure with its unit ("2 mW",
// "100 ns", "64 KiB"), so a figure copied from a paper cannot silently be off by
// a factor of a thousand. This file turns such strings into SI doubles and back.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ARCH_QUANTITY_H
#define MHO_ARCH_QUANTITY_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mho::arch {

/// What a quantity measures. Each has one SI unit that values are stored in.
enum class Dimension {
  Energy,      ///< joules (J)
  Time,        ///< seconds (s)
  Frequency,   ///< hertz (Hz)
  Area,        ///< square metres (m2)
  Size,        ///< bytes (B)
  Bandwidth,   ///< bytes per second (B/s)
  Conductance, ///< siemens (S)
  Resistance,  ///< ohms (ohm)
  Voltage,     ///< volts (V)
  Power,       ///< watts (W)
};

/// The dimension's name as used in messages: "energy", "time", ...
llvm::StringRef dimensionName(Dimension dim);

/// The SI unit values of `dim` are stored in: "J", "s", "Hz", "m2", ...
llvm::StringRef siUnitName(Dimension dim);

/// A typical quantity of `dim` as a file would write it, for messages.
llvm::StringRef exampleQuantity(Dimension dim);

/// Parses "<number> <unit>" (the space is optional) into SI units of `dim`.
/// Units are case-sensitive (mW is not MW). Sizes accept binary (KiB, MiB,
/// GiB) and decimal (kB, MB, GB) prefixes; the ambiguous "KB" is rejected.
/// The error message says what was expected and what was found, without the
/// key path (the caller adds it).
llvm::Expected<double> parseQuantity(llvm::StringRef text, Dimension dim);

/// Formats an SI value with the prefix that keeps the mantissa in [1, 1000),
/// e.g. 1.5625e-12 J -> "1.5625 pJ"; areas print in mm2 and sizes in binary
/// prefixes (KiB, MiB). `digits` significant digits, trailing zeros dropped.
std::string formatQuantity(double si, Dimension dim, unsigned digits = 4);

} // namespace mho::arch

#endif // MHO_ARCH_QUANTITY_H
