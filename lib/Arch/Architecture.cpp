//===- Architecture.cpp - Names of the schema's enums; finalization -------===//

#include "mho/Arch/Architecture.h"

#include "ArchitectureChecks.h"
#include "DiagnosticSink.h"

#include "llvm/Support/ErrorHandling.h"

using namespace llvm;
using namespace mho::arch;

StringRef mho::arch::vectorOpName(VectorOp op) {
  switch (op) {
  case VectorOp::Add:
    return "add";
  case VectorOp::Mul:
    return "mul";
  case VectorOp::Div:
    return "div";
  case VectorOp::Exp:
    return "exp";
  case VectorOp::Rsqrt:
    return "rsqrt";
  case VectorOp::Special:
    return "special";
  case VectorOp::Reduce:
    return "reduce";
  }
  llvm_unreachable("unknown vector op");
}

StringRef mho::arch::signedEncodingName(SignedEncoding encoding) {
  switch (encoding) {
  case SignedEncoding::Offset:
    return "offset";
  case SignedEncoding::Differential:
    return "differential";
  }
  llvm_unreachable("unknown signed encoding");
}

StringRef mho::arch::technologyName(Technology tech) {
  switch (tech) {
  case Technology::RRAM:
    return "rram";
  case Technology::PCM:
    return "pcm";
  case Technology::SRAM:
    return "sram";
  case Technology::FeFET:
    return "fefet";
  case Technology::MRAM:
    return "mram";
  }
  llvm_unreachable("unknown technology");
}

StringRef mho::arch::noiseModelName(NoiseModelKind kind) {
  switch (kind) {
  case NoiseModelKind::None:
    return "none";
  case NoiseModelKind::Gaussian:
    return "gaussian";
  case NoiseModelKind::PCM:
    return "pcm";
  }
  llvm_unreachable("unknown noise model");
}

Error mho::arch::finalizeArchitecture(Architecture &arch,
                                      raw_ostream *warnings) {
  DiagnosticSink sink(arch.path.empty()
                          ? (arch.name.empty() ? "<architecture>" : arch.name)
                          : arch.path);
  finalizeArchitecture(arch, sink);
  sink.flushWarnings(warnings);
  return sink.takeErrors();
}
