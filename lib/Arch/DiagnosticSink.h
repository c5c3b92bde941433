//===- DiagnosticSink.h - Collects located errors and warnings ------------===//
//
// Private to the Arch library. The parser records where every key and value
// sits; later checks report against a key path ("mvm_unit.adc.bits") and get
// that location back, so a cross-field error still points into the file.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_LIB_ARCH_DIAGNOSTICSINK_H
#define MHO_LIB_ARCH_DIAGNOSTICSINK_H

#include "mho/Arch/Diagnostics.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/SMLoc.h"

namespace llvm {
class SMDiagnostic;
class SourceMgr;
class raw_ostream;
} // namespace llvm

namespace mho::arch {

class DiagnosticSink {
public:
  /// Diagnostics without locations, naming `name` (an architecture built in
  /// code).
  explicit DiagnosticSink(llvm::StringRef name);
  /// Diagnostics located in `sm`'s buffers; also receives the YAML parser's
  /// own syntax errors through `sm`'s handler.
  explicit DiagnosticSink(llvm::SourceMgr &sm);
  ~DiagnosticSink();

  /// Remembers where `path`'s key and value are written.
  void recordLocation(llvm::StringRef path, llvm::SMLoc key, llvm::SMLoc value);

  /// Reports at `path`'s value (or key) location, falling back to the nearest
  /// recorded parent path when `path` itself was not written (a default).
  void error(llvm::StringRef path, const llvm::Twine &message);
  void warning(llvm::StringRef path, const llvm::Twine &message);
  /// Reports at the key of `path` rather than its value.
  void errorAtKey(llvm::StringRef path, const llvm::Twine &message);
  /// Reports at an explicit location.
  void report(Severity severity, llvm::SMLoc loc, llvm::StringRef path,
              const llvm::Twine &message);

  bool hasErrors() const { return !errors.empty(); }

  /// Prints the warnings, in file order, to `os` (when non-null) and forgets
  /// them.
  void flushWarnings(llvm::raw_ostream *os);
  /// A DiagnosticsError with every error in file order, or success.
  llvm::Error takeErrors();

private:
  struct Location {
    llvm::SMLoc key, value;
  };
  llvm::SMLoc find(llvm::StringRef path, bool preferKey) const;
  void add(Severity severity, llvm::SMLoc loc, std::string message);
  static void handleSourceMgrDiagnostic(const llvm::SMDiagnostic &diag,
                                        void *context);

  llvm::SourceMgr *sm = nullptr;
  std::string name;
  llvm::StringMap<Location> locations;
  std::vector<Diagnostic> errors, warnings;
};

} // namespace mho::arch

#endif // MHO_LIB_ARCH_DIAGNOSTICSINK_H
