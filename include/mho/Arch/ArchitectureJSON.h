//===- ArchitectureJSON.h - The resolved architecture as JSON -------------===//
//
// The architecture after defaults and derivation, for tools and scripts that
// do not link the C++ library. Keys mirror the YAML schema; every quantity is
// a number in SI units (J, s, Hz, m2, B, B/s, S, ohm, V, W), and each section
// that has derived fields carries them under "derived".
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ARCH_ARCHITECTUREJSON_H
#define MHO_ARCH_ARCHITECTUREJSON_H

#include "mho/Arch/Architecture.h"

#include "llvm/Support/JSON.h"

namespace mho::arch {

llvm::json::Value toJSON(const Architecture &arch);

} // namespace mho::arch

#endif // MHO_ARCH_ARCHITECTUREJSON_H
