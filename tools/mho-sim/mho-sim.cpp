//===- mho-sim.cpp - Run a model or a program image on an mho engine ------===//
//
//   mho-sim --engine=reference [--precision=fp32|bf16|fp16] model.mlir
//           (--input x.npy ... | --inputs in.safetensors |
//           --random-inputs=SEED)
//           [--output-dir DIR] [--stats-out stats.json] [--compare]
//
//   mho-sim --engine=functional --arch chip.yaml program.mhoimg
//           (--input x.npy ... | --inputs in.safetensors |
//           --random-inputs=SEED)
//           [--noise=off|on|EFFECTS] [--seed N] [--time SECONDS]
//           [--threads N] [--kernel=auto|portable|reference]
//           [--output-dir DIR] [--stats-out stats.json]
//           [--compare-ref model.mlir] [--labels labels.npy]
//
// Reference: inputs bind to the entry's arguments in order (.npy files) or by
// the names arg0, arg1, ... (safetensors). Functional: inputs bind to the
// image's input symbols in order (.npy) or by symbol name (safetensors;
// input<i> may also be given as arg<i>, the model's argument).
// Outputs are written as DIR/output<N>.npy, statistics as JSON. --compare
// also runs the FP32 reference and reports the accuracy of every output
// against it; --compare-ref does the same for a program image, running the
// FP32 reference of the model it was compiled from on the same inputs.
// A program may also be given as an assembly listing (.mhoasm).
//
//===----------------------------------------------------------------------===//

#include "mho/Arch/ArchitectureParser.h"
#include "mho/Arch/Diagnostics.h"
#include "mho/ISA/Assembly.h"
#include "mho/ISA/ProgramImage.h"
#include "mho/InitAll.h"
#include "mho/Reference/ReferenceExecutor.h"
#include "mho/Sim/AccuracyMetrics.h"
#include "mho/Sim/Energy/EnergyModel.h"
#include "mho/Sim/Functional/FunctionalEngine.h"
#include "mho/Sim/Functional/Random.h"
#include "mho/Support/TensorFiles.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <chrono>
#include <random>

using namespace mho;
namespace cl = llvm::cl;

static cl::opt<std::string>
    inputFile(cl::Positional, cl::Required,
              cl::desc("<model.mlir | program.mhoimg | program.mhoasm>"));
static cl::opt<std::string> engineName(
    "engine",
    cl::desc("Engine: reference (host execution of the input model) or "
             "functional (a program image with values and analog noise)"),
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
    inputSafetensors("inputs",
                     cl::desc("Inputs from a safetensors file, "
                              "named arg0, arg1, ... (an image's input<i> "
                              "may be named either way)"));
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

// Functional engine options.
static cl::opt<std::string> archFile("arch",
                                     cl::desc("Architecture file (functional)"));
static cl::opt<std::string>
    noiseSetting("noise",
                 cl::desc("Analog non-idealities: off, on, or a list of "
                          "programming,read,drift,stuck-at,ir-drop,adc "
                          "(default: what the architecture file configures)"));
static cl::opt<uint64_t> seedOption("seed", cl::desc("Seed of every random "
                                                     "stream (functional)"),
                                    cl::init(0));
static cl::opt<double>
    timeOption("time",
               cl::desc("Seconds since programming: drift, PCM read noise"),
               cl::init(0.0));
// libLLVM already registers a hidden `--threads`, so mho-sim takes its own
// from argv before LLVM's parser sees it.
static unsigned threadsOption = 1;
static cl::extrahelp threadsHelp(
    "\n  --threads=N  threads for the functional engine's MVM kernels "
    "(default 1; results do not depend on it)\n");
static cl::opt<std::string>
    kernelName("kernel",
               cl::desc("MVM kernels: auto, portable or reference "
                        "(functional; all give the same results)"),
               cl::init("auto"));
static cl::opt<std::string> compareRef(
    "compare-ref",
    cl::desc("Run this model's FP32 reference on the same inputs and report "
             "the accuracy of every output (functional)"));

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

//===----------------------------------------------------------------------===//
// --engine=functional
//===----------------------------------------------------------------------===//

namespace func = mho::sim::functional;

/// One line for an architecture that does not load.
static std::string describeArchError(llvm::Error err) {
  std::string text;
  llvm::handleAllErrors(
      std::move(err),
      [&](const mho::arch::DiagnosticsError &diags) {
        auto list = diags.getDiagnostics();
        unsigned errors = 0;
        for (const auto &d : list)
          if (d.severity == mho::arch::Severity::Error) {
            if (errors++ == 0)
              text = llvm::StringRef(d.rendered).split('\n').first.str();
          }
        if (errors > 1)
          text += " (and " + std::to_string(errors - 1) +
                  " more; mho-arch lists them)";
      },
      [&](const llvm::ErrorInfoBase &e) { text = e.message(); });
  return text;
}

static llvm::Expected<isa::ProgramImage> loadProgram(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "'" + path + "': " +
                                       buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (!bytes.starts_with("MHOIMG") && path.ends_with(".mhoasm"))
    return isa::parseProgram(bytes, path);
  auto image = isa::readImage((*buffer)->getMemBufferRef());
  if (!image)
    return llvm::createStringError(path + ": " +
                                   llvm::toString(image.takeError()));
  return image;
}

/// Inputs for the image's input symbols, in symbol order.
static llvm::Expected<std::vector<HostTensor>>
loadFunctionalInputs(const std::vector<const isa::Symbol *> &symbols) {
  std::vector<HostTensor> inputs;
  auto shapeOf = [](const isa::Symbol &s) {
    llvm::SmallVector<int64_t, 6> shape;
    for (unsigned i = 0; i < s.rank; ++i)
      shape.push_back(s.dims[i]);
    return shape;
  };
  if (randomSeed >= 0) {
    // The reference engine's draws for f32 (same generator, same order);
    // integers uniform over the type (i32: [-2^15, 2^15)).
    std::mt19937_64 rng(randomSeed);
    std::normal_distribution<float> normal;
    for (const isa::Symbol *s : symbols) {
      HostTensor t(func::getElementType(s->type), shapeOf(*s));
      int64_t n = t.numElements();
      switch (s->type) {
      case isa::DataType::F32:
        for (int64_t i = 0; i < n; ++i)
          t.data<float>()[i] = normal(rng);
        break;
      case isa::DataType::I8:
        for (int64_t i = 0; i < n; ++i)
          t.data<int8_t>()[i] = int8_t(rng());
        break;
      case isa::DataType::I16:
        for (int64_t i = 0; i < n; ++i)
          t.data<int16_t>()[i] = int16_t(rng());
        break;
      case isa::DataType::I32:
        for (int64_t i = 0; i < n; ++i)
          t.data<int32_t>()[i] = int32_t(rng() % 65536) - 32768;
        break;
      default:
        return llvm::createStringError(
            "--random-inputs cannot draw input '" + s->name + "' of type " +
            isa::getName(s->type) + "; give it as a file");
      }
      inputs.push_back(std::move(t));
    }
    return inputs;
  }
  if (!inputSafetensors.empty()) {
    auto set = readSafetensorsFile(inputSafetensors);
    if (!set)
      return set.takeError();
    for (const isa::Symbol *s : symbols) {
      // Image input i is the model's argument i: one file serves both
      // engines.
      std::string alias;
      llvm::StringRef index = s->name;
      if (index.consume_front("input"))
        alias = ("arg" + index).str();
      auto it = set->tensors.find(s->name);
      if (it == set->tensors.end() && !alias.empty())
        it = set->tensors.find(alias);
      if (it == set->tensors.end())
        return llvm::createStringError(
            inputSafetensors + ": no tensor named '" + s->name + "'" +
            (alias.empty() ? "" : " or '" + alias + "'") +
            " (the program's input)");
      inputs.push_back(it->second);
    }
    return inputs;
  }
  if (inputNpy.size() != symbols.size()) {
    std::string names;
    for (const isa::Symbol *s : symbols)
      names += (names.empty() ? "" : ", ") + s->name;
    return llvm::createStringError(
        "the program has " + std::to_string(symbols.size()) + " input(s) (" +
        names + "), got " + std::to_string(inputNpy.size()) + " --input file(s)");
  }
  for (const std::string &path : inputNpy) {
    auto t = readNpyFile(path);
    if (!t)
      return t.takeError();
    inputs.push_back(std::move(*t));
  }
  return inputs;
}

/// The --labels file, one label per row of the first output (`rows`).
static llvm::Expected<std::vector<int64_t>> readLabels(int64_t rows) {
  auto l = readNpyFile(labelsFile);
  if (!l)
    return l.takeError();
  std::vector<int64_t> labels;
  for (float v : l->toFloats())
    labels.push_back(static_cast<int64_t>(v));
  if (static_cast<int64_t>(labels.size()) != rows)
    return llvm::createStringError(
        llvm::formatv("{0}: {1} labels for {2} rows of output0", labelsFile,
                      labels.size(), rows));
  return labels;
}

/// At most one way of giving inputs (exactly one when `required`).
static bool checkInputSources(bool required) {
  int sources =
      !inputNpy.empty() + !inputSafetensors.empty() + (randomSeed >= 0);
  if (sources > 1 || (required && sources == 0)) {
    fail("give the inputs one way: --input files, --inputs or "
         "--random-inputs");
    return false;
  }
  return true;
}

/// A symbol's values as floats: integers dequantized with its scale and
/// zero point.
static std::vector<float> dequantized(const HostTensor &t,
                                      const isa::Symbol &symbol) {
  std::vector<float> values = t.toFloats();
  if (symbol.type != isa::DataType::F32) {
    float scale = symbol.getScale();
    for (float &v : values)
      v = (v - float(symbol.zeroPoint)) * scale;
  }
  return values;
}

/// Writes output `index` as <--output-dir>/output<index>.npy (main created
/// the directory before the run).
static llvm::Error writeOutputFile(unsigned index, const HostTensor &tensor) {
  llvm::SmallString<256> path(outputDir);
  llvm::sys::path::append(path, "output" + std::to_string(index) + ".npy");
  return writeNpyFile(path, tensor);
}

/// The rows of a rows x last-dimension reading of `dims` (a classifier's
/// samples, a sequence model's tokens).
template <typename T> static int64_t leadingRows(llvm::ArrayRef<T> dims) {
  int64_t rows = 1;
  for (size_t d = 0; d + 1 < dims.size(); ++d)
    rows *= int64_t(dims[d]);
  return rows;
}
static int64_t leadingRows(const isa::Symbol &symbol) {
  return leadingRows(llvm::ArrayRef(symbol.dims.data(), symbol.rank));
}

static int runFunctional(const mlir::DialectRegistry &registry) {
  if (archFile.empty())
    return fail("--engine=functional needs --arch <architecture.yaml>");
  std::optional<func::KernelChoice> kernel;
  for (auto k : {func::KernelChoice::Auto, func::KernelChoice::Portable,
                 func::KernelChoice::Reference})
    if (kernelName == func::getName(k))
      kernel = k;
  if (!kernel)
    return fail("unknown --kernel '" + kernelName +
                "' (expected auto, portable or reference)");
  if (threadsOption < 1 || threadsOption > 1024)
    return fail("--threads must be in [1, 1024]");
  if (!(timeOption >= 0))
    return fail("--time must be a non-negative number of seconds");

  auto arch = mho::arch::loadArchitecture(archFile, nullptr);
  if (!arch)
    return fail(describeArchError(arch.takeError()));
  auto image = loadProgram(inputFile);
  if (!image)
    return fail(llvm::toString(image.takeError()));
  if (llvm::Error err =
          func::checkImageAgainstArchitecture(image->config, *arch))
    return fail(inputFile + ": " + llvm::toString(std::move(err)));

  func::FunctionalOptions options = func::FunctionalOptions::fromArchitecture(*arch);
  if (!noiseSetting.empty()) {
    auto effects = func::parseEffects(noiseSetting);
    if (!effects)
      return fail("--noise: " + llvm::toString(effects.takeError()));
    options.effects = *effects;
  }
  options.analog.seed = seedOption;
  options.analog.time = timeOption;
  options.threads = threadsOption;
  options.kernel = *kernel;
  auto engine = func::FunctionalEngine::create(std::move(*image), options);
  if (!engine)
    return fail(inputFile + ": " + llvm::toString(engine.takeError()));

  auto inputSymbols = (*engine)->getSymbols(isa::SymbolKind::Input);
  if (!checkInputSources(/*required=*/!inputSymbols.empty()))
    return 1;
  auto inputs = loadFunctionalInputs(inputSymbols);
  if (!inputs)
    return fail(llvm::toString(inputs.takeError()));
  for (size_t i = 0; i < inputSymbols.size(); ++i)
    if (llvm::Error err =
            (*engine)->setInput(inputSymbols[i]->name, (*inputs)[i]))
      return fail(llvm::toString(std::move(err)));

  auto start = std::chrono::steady_clock::now();
  if (llvm::Error err = (*engine)->run())
    return fail(llvm::toString(std::move(err)));
  double seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - start)
                       .count();

  std::optional<std::vector<HostTensor>> reference;
  if (!compareRef.empty()) {
    mlir::MLIRContext refContext(registry);
    llvm::SourceMgr sourceMgr;
    std::string error;
    auto file = mlir::openInputFile(compareRef, &error);
    if (!file)
      return fail(error);
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &refContext);
    auto module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &refContext);
    if (!module)
      return fail(compareRef + ": could not parse the model");
    auto ref = reference::ReferenceExecutor::create(std::move(module), {});
    if (!ref)
      return fail(llvm::toString(ref.takeError()));
    auto out = (*ref)->run(*inputs);
    if (!out)
      return fail(compareRef + ": " + llvm::toString(out.takeError()));
    reference = std::move(*out);
  }

  auto outputSymbols = (*engine)->getSymbols(isa::SymbolKind::Output);
  std::vector<int64_t> labels;
  if (!labelsFile.empty() && !outputSymbols.empty()) {
    auto l = readLabels(leadingRows(*outputSymbols[0]));
    if (!l)
      return fail(llvm::toString(l.takeError()));
    labels = std::move(*l);
  }
  if (reference && reference->size() != outputSymbols.size())
    return fail(compareRef + " has " + std::to_string(reference->size()) +
                " result(s), the program " +
                std::to_string(outputSymbols.size()) + " output(s)");
  llvm::json::Array outputStats;
  for (auto [i, symbol] : llvm::enumerate(outputSymbols)) {
    auto out = (*engine)->getTensor(symbol->name);
    if (!out)
      return fail(llvm::toString(out.takeError()));
    llvm::json::Object o{{"name", "output" + std::to_string(i)},
                         {"symbol", symbol->name},
                         {"type", out->describe()}};
    int64_t classes = out->shape.empty() ? 0 : out->shape.back();
    llvm::ArrayRef<int64_t> outLabels =
        i == 0 ? llvm::ArrayRef<int64_t>(labels) : llvm::ArrayRef<int64_t>();
    if (!reference && !outLabels.empty()) {
      std::vector<float> got = dequantized(*out, *symbol);
      sim::AccuracyMetrics m = sim::compare(got, got, classes, outLabels);
      llvm::outs() << llvm::formatv("output{0} '{1}' task accuracy {2:p}\n", i,
                                    symbol->name, *m.taskAccuracy);
      o["task_accuracy"] = *m.taskAccuracy;
    }
    if (reference) {
      const HostTensor &ref = (*reference)[i];
      std::vector<float> got = dequantized(*out, *symbol);
      if (ref.numElements() != int64_t(got.size()))
        return fail("output " + symbol->name + " has " +
                    std::to_string(got.size()) + " elements, the reference's "
                    "result #" + std::to_string(i) + " " + ref.describe());
      sim::AccuracyMetrics m =
          sim::compare(ref.toFloats(), got, classes, outLabels);
      llvm::outs() << llvm::formatv(
          "output{0} '{1}' {2} vs fp32 reference: SNR {3:f1} dB, cosine "
          "{4:f6}, max |err| {5:e2}, mean |err| {6:e2}, top-1 agreement "
          "{7:p}\n",
          i, symbol->name, out->describe(), m.snrDb, m.cosine, m.maxAbsError,
          m.meanAbsError, m.top1Agreement);
      if (m.taskAccuracy)
        llvm::outs() << llvm::formatv(
            "output{0} '{1}' task accuracy {2:p} (fp32 reference {3:p})\n", i,
            symbol->name, *m.taskAccuracy, *m.referenceTaskAccuracy);
      o["vs_reference"] = sim::toJSON(m);
    }
    outputStats.push_back(std::move(o));
    if (!outputDir.empty())
      if (llvm::Error e = writeOutputFile(i, *out))
        return fail(llvm::toString(std::move(e)));
  }

  // Dynamic energy of the run: event counts x the architecture's energy per
  // event (docs/EnergyModel.md).
  sim::energy::EnergyReport energy =
      sim::energy::computeEnergy(*arch, (*engine)->getEvents());
  sim::energy::printSummary(
      llvm::outs(), energy,
      outputSymbols.empty() ? 0 : leadingRows(*outputSymbols[0]));

  if (!statsFile.empty()) {
    const func::MvmArithmetic &arith = (*engine)->getArithmetic();
    llvm::json::Object noise{
        {"requested", func::printEffects(options.effects)},
        {"active", func::printEffects(arith.getEffects())},
        {"model", func::toJSON(arith.getModel())}};
    llvm::json::Object stats{
        {"engine", "functional"},
        {"program", inputFile.getValue()},
        {"architecture", arch->name},
        {"noise", std::move(noise)},
        {"seed", int64_t(seedOption)},
        {"time_s", timeOption.getValue()},
        {"threads", int64_t(threadsOption)},
        {"kernel", kernelName.getValue()},
        {"arithmetic", arith.describe()},
        {"kernels", func::toJSON((*engine)->getKernelCounts())},
        {"run_seconds", seconds},
        {"outputs", std::move(outputStats)},
        {"events", func::toJSON((*engine)->getEvents())},
        {"energy", sim::energy::toJSON(energy)}};
    std::string text;
    llvm::raw_string_ostream os(text);
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(stats))) << "\n";
    if (llvm::Error e = writeFileAtomically(statsFile, os.str()))
      return fail(llvm::toString(std::move(e)));
  }
  return 0;
}

/// Removes --threads=N / --threads N from the arguments into threadsOption.
static bool takeThreads(std::vector<char *> &args) {
  std::vector<char *> kept;
  for (size_t i = 0; i < args.size(); ++i) {
    llvm::StringRef arg = args[i];
    llvm::StringRef value;
    if (arg == "--threads" || arg == "-threads") {
      if (i + 1 >= args.size()) {
        fail("--threads needs a value");
        return false;
      }
      value = args[++i];
    } else if (arg.consume_front("--threads=") ||
               arg.consume_front("-threads=")) {
      value = arg;
    } else {
      kept.push_back(args[i]);
      continue;
    }
    if (value.getAsInteger(10, threadsOption)) {
      fail("--threads expects a number, got '" + value + "'");
      return false;
    }
  }
  args = std::move(kept);
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  std::vector<char *> args(argv, argv + argc);
  if (!takeThreads(args))
    return 1;
  cl::ParseCommandLineOptions(int(args.size()), args.data(),
                              "mho simulator\n");
  // The output directory first, so that a run does not end in an error it
  // could have reported at the start.
  if (!outputDir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail("--output-dir '" + outputDir + "': " + ec.message());

  if (engineName == "functional") {
    mlir::DialectRegistry registry;
    mho::registerAllDialects(registry);
    return runFunctional(registry);
  }
  if (engineName != "reference")
    return fail("unknown --engine '" + engineName +
                "' (expected reference or functional)");
  std::optional<reference::Precision> precision;
  for (auto p : {reference::Precision::F32, reference::Precision::BF16,
                 reference::Precision::F16})
    if (precisionName == reference::precisionName(p))
      precision = p;
  if (!precision)
    return fail("unknown --precision '" + precisionName +
                "' (expected fp32, bf16 or fp16)");
  if (!checkInputSources(/*required=*/true))
    return 1;

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
    auto l = readLabels(leadingRows(llvm::ArrayRef((*outputs)[0].shape)));
    if (!l)
      return fail(llvm::toString(l.takeError()));
    labels = std::move(*l);
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
    if (!outputDir.empty())
      if (llvm::Error e = writeOutputFile(i, out))
        return fail(llvm::toString(std::move(e)));
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
