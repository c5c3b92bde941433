//===- ArchitectureSummary.h - A human-readable architecture summary ------===//

#ifndef MHO_ARCH_ARCHITECTURESUMMARY_H
#define MHO_ARCH_ARCHITECTURESUMMARY_H

#include "mho/Arch/Architecture.h"

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mho::arch {

/// Prints a few lines per level (chip, tile, core, MVM unit, device, memory,
/// totals) with units, as `mho-arch` shows it.
void printSummary(const Architecture &arch, llvm::raw_ostream &os);

} // namespace mho::arch

#endif // MHO_ARCH_ARCHITECTURESUMMARY_H
