//===- Diagnostics.h - Errors and warnings about an architecture ----------===//
//
// Loading reports every problem it can find at once, each at its file, line
// and column with the key path: "x.yaml:12:5: error: mvm_unit.adc.bits: ...".
// The diagnostics travel in one llvm::Error so callers without exceptions can
// pass them on, and tests can read them one by one.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_ARCH_DIAGNOSTICS_H
#define MHO_ARCH_DIAGNOSTICS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mho::arch {

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;     ///< empty when the architecture was built in code
  unsigned line = 0;    ///< 1-based; 0 when no location is known
  unsigned column = 0;  ///< 1-based; 0 when no location is known
  std::string message;  ///< "key.path: what is wrong"
  /// As printed: "file:line:col: error: message", then the source line and a
  /// caret under the column when the location is known.
  std::string rendered;
};

/// The errors found while loading or checking an architecture.
class DiagnosticsError : public llvm::ErrorInfo<DiagnosticsError> {
public:
  static char ID;

  explicit DiagnosticsError(std::vector<Diagnostic> diagnostics)
      : diagnostics(std::move(diagnostics)) {}

  llvm::ArrayRef<Diagnostic> getDiagnostics() const { return diagnostics; }

  /// Prints every diagnostic's rendered text, one after another.
  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override;

private:
  std::vector<Diagnostic> diagnostics;
};

} // namespace mho::arch

#endif // MHO_ARCH_DIAGNOSTICS_H
