//===- DiagnosticSink.cpp - Collects located errors and warnings ----------===//

#include "DiagnosticSink.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace llvm;
using namespace mho::arch;

char DiagnosticsError::ID = 0;

void DiagnosticsError::log(raw_ostream &os) const {
  for (const Diagnostic &diag : diagnostics)
    os << diag.rendered;
}

std::error_code DiagnosticsError::convertToErrorCode() const {
  return std::make_error_code(std::errc::invalid_argument);
}

DiagnosticSink::DiagnosticSink(StringRef name) : name(name.str()) {}

DiagnosticSink::DiagnosticSink(SourceMgr &sm) : sm(&sm) {
  sm.setDiagHandler(&DiagnosticSink::handleSourceMgrDiagnostic, this);
}

DiagnosticSink::~DiagnosticSink() {
  if (sm)
    sm->setDiagHandler(nullptr, nullptr);
}

void DiagnosticSink::recordLocation(StringRef path, SMLoc key, SMLoc value) {
  locations[path] = Location{key, value};
}

SMLoc DiagnosticSink::find(StringRef path, bool preferKey) const {
  while (true) {
    auto it = locations.find(path);
    if (it != locations.end()) {
      const Location &loc = it->second;
      if (preferKey && loc.key.isValid())
        return loc.key;
      return loc.value.isValid() ? loc.value : loc.key;
    }
    if (path.empty())
      return SMLoc();
    size_t dot = path.rfind('.');
    path = dot == StringRef::npos ? StringRef() : path.take_front(dot);
    // A parent section's own location is its key: "mvm_unit.adc:".
    preferKey = true;
  }
}

void DiagnosticSink::error(StringRef path, const Twine &message) {
  report(Severity::Error, find(path, /*preferKey=*/false), path, message);
}

void DiagnosticSink::warning(StringRef path, const Twine &message) {
  report(Severity::Warning, find(path, /*preferKey=*/false), path, message);
}

void DiagnosticSink::errorAtKey(StringRef path, const Twine &message) {
  report(Severity::Error, find(path, /*preferKey=*/true), path, message);
}

void DiagnosticSink::report(Severity severity, SMLoc loc, StringRef path,
                            const Twine &message) {
  std::string text =
      path.empty() ? message.str() : (path + ": " + message).str();
  add(severity, loc, std::move(text));
}

void DiagnosticSink::add(Severity severity, SMLoc loc, std::string message) {
  Diagnostic diag;
  diag.severity = severity;
  diag.message = std::move(message);
  raw_string_ostream os(diag.rendered);
  if (sm && loc.isValid()) {
    SMDiagnostic smDiag = sm->GetMessage(
        loc, severity == Severity::Error ? SourceMgr::DK_Error
                                         : SourceMgr::DK_Warning,
        diag.message);
    diag.file = smDiag.getFilename().str();
    diag.line = smDiag.getLineNo();
    diag.column = smDiag.getColumnNo() + 1;
    smDiag.print(/*ProgName=*/nullptr, os, /*ShowColors=*/false);
  } else {
    if (sm && sm->getNumBuffers() > 0)
      diag.file =
          sm->getMemoryBuffer(sm->getMainFileID())->getBufferIdentifier().str();
    else
      diag.file = name;
    os << diag.file << ": "
       << (severity == Severity::Error ? "error" : "warning") << ": "
       << diag.message << '\n';
  }
  (severity == Severity::Error ? errors : warnings).push_back(std::move(diag));
}

void DiagnosticSink::handleSourceMgrDiagnostic(const SMDiagnostic &smDiag,
                                               void *context) {
  auto *sink = static_cast<DiagnosticSink *>(context);
  Diagnostic diag;
  diag.severity = smDiag.getKind() == SourceMgr::DK_Error ? Severity::Error
                                                           : Severity::Warning;
  diag.file = smDiag.getFilename().str();
  diag.line = smDiag.getLineNo();
  diag.column = smDiag.getColumnNo() + 1;
  diag.message = smDiag.getMessage().str();
  raw_string_ostream os(diag.rendered);
  smDiag.print(/*ProgName=*/nullptr, os, /*ShowColors=*/false);
  (diag.severity == Severity::Error ? sink->errors : sink->warnings)
      .push_back(std::move(diag));
}

/// File order; diagnostics without a line go last, in the order reported.
static void sortByLocation(std::vector<Diagnostic> &diags) {
  std::stable_sort(diags.begin(), diags.end(),
                   [](const Diagnostic &a, const Diagnostic &b) {
                     unsigned la = a.line ? a.line : ~0u;
                     unsigned lb = b.line ? b.line : ~0u;
                     return la != lb ? la < lb : a.column < b.column;
                   });
}

void DiagnosticSink::flushWarnings(raw_ostream *os) {
  sortByLocation(warnings);
  if (os)
    for (const Diagnostic &diag : warnings)
      *os << diag.rendered;
  warnings.clear();
}

Error DiagnosticSink::takeErrors() {
  if (errors.empty())
    return Error::success();
  std::vector<Diagnostic> taken;
  taken.swap(errors);
  sortByLocation(taken);
  return make_error<DiagnosticsError>(std::move(taken));
}
