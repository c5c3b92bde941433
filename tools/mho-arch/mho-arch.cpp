//===- mho-arch.cpp - Check an architecture file and summarize it ---------===//
//
// mho-arch <file.yaml>         validate, print warnings and a summary
// mho-arch --json <file.yaml>  print the resolved architecture as JSON
//
// Errors and warnings go to stderr as file:line:col diagnostics; the exit
// status is 1 when the file has errors, 0 otherwise (warnings included).
//
//===----------------------------------------------------------------------===//

#include "mho/Arch/ArchitectureJSON.h"
#include "mho/Arch/ArchitectureParser.h"
#include "mho/Arch/ArchitectureSummary.h"
#include "mho/Arch/Diagnostics.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

static cl::OptionCategory mhoArchCategory("mho-arch options");
static cl::opt<std::string> inputPath(cl::Positional, cl::Required,
                                      cl::desc("<architecture.yaml>"),
                                      cl::cat(mhoArchCategory));
static cl::opt<bool>
    printJSON("json",
              cl::desc("Print the resolved architecture (defaults applied, "
                       "derived fields, SI units) as JSON"),
              cl::cat(mhoArchCategory));

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  // libLLVM.so registers hundreds of codegen options; show only ours.
  cl::HideUnrelatedOptions(mhoArchCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "mho-arch: check a CIM architecture file (docs/Architecture.md)\n");

  Expected<mho::arch::Architecture> arch =
      mho::arch::loadArchitecture(inputPath, &errs());
  if (!arch) {
    unsigned errors = 0;
    handleAllErrors(
        arch.takeError(),
        [&](const mho::arch::DiagnosticsError &diags) {
          errors = diags.getDiagnostics().size();
          diags.log(errs());
        },
        [&](const ErrorInfoBase &other) {
          ++errors;
          WithColor::error(errs(), "mho-arch") << other.message() << '\n';
        });
    errs() << inputPath << ": " << errors << " error(s)\n";
    return 1;
  }
  if (printJSON)
    outs() << formatv("{0:2}", mho::arch::toJSON(*arch)) << '\n';
  else
    mho::arch::printSummary(*arch, outs());
  return 0;
}
