//===- mho-sim.cpp - Run a model or a program image on an mho engine ------===//
//
//   mho-sim --engine=reference [--precision=fp32|bf16|fp16] model.mlir
//           (--input x.npy ... | --inputs in.safetensors | --random-inputs=SEED)
//           [--output-dir DIR] [--stats-out stats.json] [--compare]
//
// Inputs bind to the entry's arguments in order (.npy files) or by the names
// arg0, arg1, ... (safetensors). Outputs are written as DIR/output<N>.npy,
// statistics as JSON. --compare also runs the FP32 reference and reports the
// accuracy of every output against it.
//
//===----------------------------------------------------------------------===//

#include "mho/InitAll.h"
#include "mho/Reference/ReferenceExecutor.h"
#include "mho/Sim/AccuracyMetrics.h"
#include "mho/Support/TensorFiles.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <chrono>
#include <random>

using namespace mho;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"));
static cl::opt<std::string> engineName(
    "engine", cl::desc("Engine: reference (host execution of the input model)"),
    cl::init("reference"));
static cl::opt<std::string>
    precisionName("precision",
                  cl::desc("Reference number format: fp32, bf16 or fp16"),
                  cl::init("fp32"));
static cl::opt<std::string> entryName("entry",
                                      cl::desc("Function to run (default: "
                                               "the only public one)"));
static cl::list<std::string> inputNpy("input",
                                      cl::desc("An input .npy, in order"));
static cl::opt<std::string>
    inputSafetensors("inputs", cl::desc("Inputs from a safetensors file, "
                                        "named arg0, arg1, ..."));
static cl::opt<int> randomSeed(
    "random-inputs",
    cl::desc("Draw every input from N(0, 1) with this seed instead"),
    cl::init(-1));
static cl::opt<std::string> outputDir("output-dir",
                                      cl::desc("Write outputs here as .npy"));
static cl::opt<std::string> statsFile("stats-out",
                                      cl::desc("Write statistics as JSON"));
static cl::opt<bool>
    compareToFp32("compare",
                  cl::desc("Report accuracy against the FP32 reference"));
static cl::opt<std::string> labelsFile(
    "labels", cl::desc("Integer class labels (.npy), one per row of the "
                       "first output, for task accuracy"));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "mho-sim") << message << "\n";
  return 1;
}

static llvm::Expected<std::unique_ptr<reference::ReferenceExecutor>>
compileReference(mlir::MLIRContext &context, reference::Precision precision) {
  llvm::SourceMgr sourceMgr;
  std::string error;
  auto file = mlir::openInputFile(inputFile, &error);
  if (!file)
    return llvm::createStringError(llvm::inconvertibleErrorCode(), error);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  auto module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   inputFile + ": could not parse the model");
  return reference::ReferenceExecutor::create(std::move(module),
                                              {precision, entryName});
}

static llvm::Expected<std::vector<HostTensor>>
loadInputs(const std::vector<reference::TensorSignature> &signature) {
  std::vector<HostTensor> inputs;
  if (randomSeed >= 0) {
    std::mt19937_64 rng(randomSeed);
    std::normal_distribution<float> normal;
    for (const auto &sig : signature) {
      HostTensor t(sig.type, sig.shape);
      if (sig.type != ElementType::F32)
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       "--random-inputs draws f32 inputs only; "
                                       "give the others as files");
      for (int64_t i = 0; i < t.numElements(); ++i)
        t.data<float>()[i] = normal(rng);
      inputs.push_back(std::move(t));
    }
    return inputs;
  }
  if (!inputSafetensors.empty()) {
    auto set = readSafetensorsFile(inputSafetensors);
    if (!set)
      return set.takeError();
    for (size_t i = 0; i < signature.size(); ++i) {
      std::string name = "arg" + std::to_string(i);
      auto it = set->tensors.find(name);
      if (it == set->tensors.end())
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            inputSafetensors + ": no tensor named '" + name + "'");
      inputs.push_back(it->second);
    }
    return inputs;
  }
  for (const std::string &path : inputNpy) {
    auto t = readNpyFile(path);
    if (!t)
      return t.takeError();
    inputs.push_back(std::move(*t));
  }
  return inputs;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "mho simulator\n");

  if (engineName != "reference")
    return fail("unknown --engine '" + engineName + "' (expected reference)");
  std::optional<reference::Precision> precision;
  for (auto p : {reference::Precision::F32, reference::Precision::BF16,
                 reference::Precision::F16})
    if (precisionName == reference::precisionName(p))
      precision = p;
  if (!precision)
    return fail("unknown --precision '" + precisionName +
                "' (expected fp32, bf16 or fp16)");
  int sources = !inputNpy.empty() + !inputSafetensors.empty() + (randomSeed >= 0);
  if (sources != 1)
    return fail("give the inputs one way: --input files, --inputs or "
                "--random-inputs");

  mlir::DialectRegistry registry;
  mho::registerAllDialects(registry);
  mlir::MLIRContext context(registry);

  auto executor = compileReference(context, *precision);
  if (!executor)
    return fail(llvm::toString(executor.takeError()));
  auto inputs = loadInputs((*executor)->inputs());
  if (!inputs)
    return fail(llvm::toString(inputs.takeError()));

  auto start = std::chrono::steady_clock::now();
  auto outputs = (*executor)->run(*inputs);
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();
  if (!outputs)
    return fail(llvm::toString(outputs.takeError()));

  std::vector<int64_t> labels;
  if (!labelsFile.empty()) {
    auto l = readNpyFile(labelsFile);
    if (!l)
      return fail(llvm::toString(l.takeError()));
    for (float v : l->toFloats())
      labels.push_back(static_cast<int64_t>(v));
    const HostTensor &first = (*outputs)[0];
    int64_t rows = first.shape.empty() ? 1
                                       : first.numElements() / first.shape.back();
    if (static_cast<int64_t>(labels.size()) != rows)
      return fail(llvm::formatv("{0}: {1} labels for {2} rows of output0",
                                labelsFile, labels.size(), rows));
  }

  llvm::json::Array outputStats;
  std::optional<std::vector<HostTensor>> fp32;
  if (compareToFp32) {
    mlir::MLIRContext refContext(registry);
    auto ref = compileReference(refContext, reference::Precision::F32);
    if (!ref)
      return fail(llvm::toString(ref.takeError()));
    auto refOut = (*ref)->run(*inputs);
    if (!refOut)
      return fail(llvm::toString(refOut.takeError()));
    fp32 = std::move(*refOut);
  }
  for (auto [i, out] : llvm::enumerate(*outputs)) {
    llvm::json::Object o{{"name", "output" + std::to_string(i)},
                         {"type", out.describe()}};
    int64_t classes = out.shape.empty() ? 0 : out.shape.back();
    llvm::ArrayRef<int64_t> outLabels =
        i == 0 ? llvm::ArrayRef<int64_t>(labels) : llvm::ArrayRef<int64_t>();
    if (!fp32 && !outLabels.empty()) {
      sim::AccuracyMetrics m =
          sim::compare(out.toFloats(), out.toFloats(), classes, outLabels);
      llvm::outs() << llvm::formatv("output{0} task accuracy {1:p}\n", i,
                                    *m.taskAccuracy);
      o["task_accuracy"] = *m.taskAccuracy;
    }
    if (fp32) {
      sim::AccuracyMetrics m = sim::compare((*fp32)[i].toFloats(),
                                            out.toFloats(), classes, outLabels);
      llvm::outs() << llvm::formatv(
          "output{0} {1} vs fp32: SNR {2:f1} dB, cosine {3:f6}, max |err| "
          "{4:e2}, mean |err| {5:e2}, top-1 agreement {6:p}\n",
          i, out.describe(), m.snrDb, m.cosine, m.maxAbsError, m.meanAbsError,
          m.top1Agreement);
      if (m.taskAccuracy)
        llvm::outs() << llvm::formatv(
            "output{0} task accuracy {1:p} ({2} {3:p})\n", i, *m.taskAccuracy,
            "fp32", *m.referenceTaskAccuracy);
      o["vs_fp32"] = sim::toJSON(m);
    }
    outputStats.push_back(std::move(o));
    if (!outputDir.empty()) {
      llvm::SmallString<256> path(outputDir);
      llvm::sys::path::append(path, "output" + std::to_string(i) + ".npy");
      if (llvm::Error e = writeNpyFile(path, out))
        return fail(llvm::toString(std::move(e)));
    }
  }

  llvm::json::Object stats{{"engine", engineName.getValue()},
                           {"precision", precisionName.getValue()},
                           {"model", inputFile.getValue()},
                           {"run_seconds", seconds},
                           {"outputs", std::move(outputStats)}};
  if (!statsFile.empty()) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(stats))) << "\n";
    if (llvm::Error e = writeFileAtomically(statsFile, os.str()))
      return fail(llvm::toString(std::move(e)));
  }
  return 0;
}
