//===- ArchitectureChecks.h - Derived fields and cross-field checks -------===//
//
// Private to the Arch library: the parser and the public
// finalizeArchitecture() share one implementation, reporting to a sink that
// knows (parser) or does not know (code-built) where each key is written.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_LIB_ARCH_ARCHITECTURECHECKS_H
#define MHO_LIB_ARCH_ARCHITECTURECHECKS_H

namespace mho::arch {

struct Architecture;
class DiagnosticSink;

/// Derives every derived field of `arch` and reports invariant violations
/// (errors) and suspicious settings (warnings) by key path.
void finalizeArchitecture(Architecture &arch, DiagnosticSink &sink);

} // namespace mho::arch

#endif // MHO_LIB_ARCH_ARCHITECTURECHECKS_H
