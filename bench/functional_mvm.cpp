//===- functional_mvm.cpp - Throughput of the functional engine's MVMs ---===//
//
// Logical multiply-accumulates per second of bit-sliced 8-bit MVMs on the
// BERT-base feed-forward shapes, batch 64:
//
//   X (64 x 768)  . W (768 x 3072)      X (64 x 3072) . W (3072 x 768)
//
// on an ISAAC-like configuration (the default preset's MVM unit: 128 x 128
// arrays, 8-bit weights as 4 x 2-bit slices, offset encoding, 8-bit inputs
// through 1-bit DACs, 8-bit ADCs whose range of half the worst-case column
// sum clips at 255), measured in three cases:
//
//   noise on   every analog effect of the model: programming noise, read
//              noise per column per read, drift, stuck-at cells, IR drop,
//              ADC offset and gain error
//              (and the same on the portable C++ kernel, which runs what
//              the vector kernels do not: DACs wider than one bit, PCM read
//              noise, CPUs without AVX-512)
//   noise off  the same lossy 8-bit ADC, exact integer arithmetic
//   exact ADC  noise off with a 9-bit ADC that never clips (the integer-
//              product fast path)
//
// next to OpenBLAS cblas_sgemm on the same logical shapes in the same
// process, single-threaded, and then with N threads. W is split into 128 x
// 128 blocks, one programmed MVM unit each; one `mvm` of 64 vectors per
// block, partial products accumulated with i32 saturation as the engine's
// `mvm ... acc` does. Programming is not timed (weights are stationary).
//
//   functional_mvm [--threads N] [--reps N] [--batch N] [--smoke]
//
// --batch sets the vectors per `mvm` (default 64; 1 is a decoding step).
//
// OpenBLAS reads OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE at load; some machines
// set them to force an older kernel. The benchmark re-executes itself once
// without both (its own run only) and prints the kernel OpenBLAS chose.
//
//===----------------------------------------------------------------------===//

#include "mho/ISA/Arithmetic.h"
#include "mho/ISA/Mvm.h"
#include "mho/Sim/Functional/MvmUnit.h"
#include "mho/Sim/Functional/ThreadPool.h"

#include <cblas.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace mho;
using namespace mho::sim::functional;

namespace {

struct Shape {
  unsigned m, k, n;
};

isa::UnitConfig isaacConfig(unsigned adcBits) {
  isa::UnitConfig c;
  c.rows = 128;
  c.cols = 128;
  c.weightBits = 8;
  c.cellBits = 2;
  c.slices = 4;
  c.encoding = isa::WeightEncoding::Offset;
  c.inputBits = 8;
  c.dacBits = 1;
  c.planes = 8;
  c.adcBits = uint8_t(adcBits);
  c.adcShift = 0;
  c.accBits = 32;
  c.mvmUnits = 255;
  c.spadBytes = 1 << 20;
  c.tbufBytes = 1 << 20;
  c.dramBytes = uint64_t{1} << 33;
  return c;
}

/// hw/arch/default.yaml's device, plus drift and ADC errors so that every
/// effect runs.
AnalogModel allEffects() {
  AnalogModel m;
  m.gMax = 500e-6;
  m.gMin = 0.5e-6;
  m.programmingNoise.model = arch::NoiseModelKind::Gaussian;
  m.programmingNoise.sigma = 0.01;
  m.readNoise.model = arch::NoiseModelKind::Gaussian;
  m.readNoise.sigma = 0.005;
  m.stuckAtOn = m.stuckAtOff = 0.0005;
  m.wireResistance = 0.15;
  m.drift.enabled = true;
  m.drift.nu = 0.005;
  m.drift.nuSigma = 0.002;
  m.drift.t0 = 20;
  m.adcOffsetLsb = 0.2;
  m.adcGainError = -0.01;
  m.time = 86400;
  m.seed = 1;
  return m;
}

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// W (k x n) on (k/128) x (n/128) units; runs X (m x k) through them.
class Layer {
public:
  Layer(const MvmArithmetic &arith, const Shape &shape, std::mt19937_64 &rng,
        ThreadPool *pool, bool dense)
      : arith(arith), shape(shape) {
    rowBlocks = shape.k / 128;
    colBlocks = shape.n / 128;
    units.resize(size_t(rowBlocks) * colBlocks);
    std::normal_distribution<double> normal(dense ? -3 : 0, dense ? 2 : 40);
    for (size_t u = 0; u < units.size(); ++u) {
      isa::WeightBlock block;
      block.rows = block.cols = 128;
      block.bits = 8;
      block.values.resize(128 * 128);
      for (int16_t &w : block.values)
        w = int16_t(std::clamp(std::lround(normal(rng)), -128l, 127l));
      if (llvm::Error err = units[u].program(arith, block, u, pool)) {
        std::fprintf(stderr, "%s\n", llvm::toString(std::move(err)).c_str());
        std::exit(1);
      }
    }
    partial.resize(size_t(shape.m) * 128);
  }

  void run(const std::vector<int8_t> &x, std::vector<int32_t> &y,
           ThreadPool *pool) {
    std::fill(y.begin(), y.end(), 0);
    for (unsigned rb = 0; rb < rowBlocks; ++rb)
      for (unsigned cb = 0; cb < colBlocks; ++cb) {
        const MvmUnit &unit = units[size_t(rb) * colBlocks + cb];
        unit.multiply(arith, x.data() + rb * 128, shape.k, shape.m,
                      partial.data(), invocation++, 0, pool);
        // mvm ... acc: the engine's isa::addSaturate32 on every column (on
        // the pool, as the engine's threads would).
        const unsigned parts = pool ? pool->getThreads() : 1;
        const unsigned step = (shape.m + parts - 1) / parts;
        ThreadPool::run(pool, parts, [&](size_t t) {
          unsigned end = std::min(shape.m, unsigned(t + 1) * step);
          for (unsigned v = unsigned(t) * step; v < end; ++v)
            isa::addSaturate32(y.data() + size_t(v) * shape.n + cb * 128,
                               partial.data() + size_t(v) * 128, 128);
        });
      }
  }

private:
  const MvmArithmetic &arith;
  Shape shape;
  unsigned rowBlocks = 0, colBlocks = 0;
  std::vector<MvmUnit> units;
  std::vector<int32_t> partial;
  uint64_t invocation = 0;
};

template <typename Fn> double bestSeconds(unsigned reps, Fn &&fn) {
  fn(); // warm up
  double best = 1e30;
  for (unsigned r = 0; r < reps; ++r) {
    double start = now();
    fn();
    best = std::min(best, now() - start);
  }
  return best;
}

double sgemmRate(const Shape &s, unsigned reps, unsigned threads) {
  openblas_set_num_threads(int(threads));
  std::mt19937_64 rng(3);
  std::normal_distribution<float> normal;
  std::vector<float> a(size_t(s.m) * s.k), b(size_t(s.k) * s.n),
      c(size_t(s.m) * s.n);
  for (float &v : a)
    v = normal(rng);
  for (float &v : b)
    v = normal(rng);
  double seconds = bestSeconds(reps, [&] {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(s.m), int(s.n),
                int(s.k), 1.0f, a.data(), int(s.k), b.data(), int(s.n), 0.0f,
                c.data(), int(s.n));
  });
  return double(s.m) * s.k * s.n / seconds;
}

struct Case {
  const char *name;
  isa::UnitConfig config;
  AnalogModel model;
  /// Small negative weights and inputs: every column sum of the 7 low
  /// input planes reaches 384 > 255, so every read clips (the worst case
  /// of the noise-off path).
  bool dense = false;
  KernelChoice kernel = KernelChoice::Auto;
};

void reexecWithoutOpenBlasOverrides(char **argv) {
  if (std::getenv("MHO_BENCH_REEXEC"))
    return;
  if (!std::getenv("OPENBLAS_CORETYPE") && !std::getenv("OPENBLAS_L2_SIZE"))
    return;
  std::printf("note: unsetting OPENBLAS_CORETYPE=%s OPENBLAS_L2_SIZE=%s for "
              "this run (they force an older OpenBLAS kernel)\n",
              std::getenv("OPENBLAS_CORETYPE") ? std::getenv("OPENBLAS_CORETYPE")
                                               : "(unset)",
              std::getenv("OPENBLAS_L2_SIZE") ? std::getenv("OPENBLAS_L2_SIZE")
                                              : "(unset)");
  std::fflush(stdout);
  unsetenv("OPENBLAS_CORETYPE");
  unsetenv("OPENBLAS_L2_SIZE");
  setenv("MHO_BENCH_REEXEC", "1", 1);
  execv("/proc/self/exe", argv);
  std::perror("re-exec failed; continuing with the environment as it was");
}

} // namespace

int main(int argc, char **argv) {
  reexecWithoutOpenBlasOverrides(argv);
  unsigned threads = std::max(2u, std::thread::hardware_concurrency());
  unsigned reps = 5;
  bool smoke = false;
  unsigned batch = 64;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc)
      threads = unsigned(std::atoi(argv[++i]));
    else if (arg == "--reps" && i + 1 < argc)
      reps = unsigned(std::atoi(argv[++i]));
    else if (arg == "--smoke")
      smoke = true;
    else if (arg == "--batch" && i + 1 < argc && std::atoi(argv[i + 1]) > 0)
      batch = unsigned(std::atoi(argv[++i]));
    else {
      std::fprintf(stderr,
                   "usage: functional_mvm [--threads N] [--reps N] [--batch N] "
                   "[--smoke]\n");
      return 2;
    }
  }
  std::vector<Shape> shapes = {{batch, 768, 3072}, {batch, 3072, 768}};
  if (smoke) {
    shapes = {{4, 256, 256}};
    reps = 1;
    threads = 2;
  }

  std::printf("mho functional engine: bit-sliced MVM throughput\n");
  std::printf("configuration: 128x128 arrays, 8-bit weights as 4 x 2-bit "
              "slices (offset), 8-bit inputs via 1-bit DACs (8 planes), "
              "8-bit ADC (k = 0, clips at 255): 32 reads per vector\n");
  std::printf("OpenBLAS: %s, kernel %s; OPENBLAS_CORETYPE=%s "
              "OPENBLAS_L2_SIZE=%s\n",
              openblas_get_config(), openblas_get_corename(),
              std::getenv("OPENBLAS_CORETYPE") ? std::getenv("OPENBLAS_CORETYPE")
                                               : "(unset)",
              std::getenv("OPENBLAS_L2_SIZE") ? std::getenv("OPENBLAS_L2_SIZE")
                                              : "(unset)");
  std::printf("CPU: AVX-512 %s, AVX-512 VNNI %s; %u hardware threads\n",
              cpuHasAvx512() ? "yes" : "no",
              cpuHasAvx512Vnni() ? "yes" : "no",
              std::thread::hardware_concurrency());

  const Case cases[] = {
      {"noise on (all effects)", isaacConfig(8), allEffects()},
      {"  (portable kernel)", isaacConfig(8), allEffects(), false,
       KernelChoice::Portable},
      {"noise off, 8-bit ADC", isaacConfig(8), AnalogModel()},
      {"  (every read clips)", isaacConfig(8), AnalogModel(), true},
      {"noise off, exact ADC", isaacConfig(9), AnalogModel()},
  };
  for (const Case &c : cases) {
    if (c.dense)
      continue;
    MvmArithmetic arith =
        llvm::cantFail(MvmArithmetic::create(c.config, c.model, c.kernel));
    std::printf("  %-24s %s\n", c.name, arith.describe().c_str());
  }
  std::printf("inputs N(0, 30) and weights N(0, 40) as int8; \"every read "
              "clips\": inputs and weights near -2 so that column sums reach "
              "384\n");

  std::vector<unsigned> threadCounts = {1};
  if (threads > 1)
    threadCounts.push_back(threads);
  for (unsigned t : threadCounts) {
    if (t == 1)
      std::printf("\n1 thread\n");
    else
      std::printf("\n%u threads (an MVM's column chunks and vector ranges on a "
                  "thread pool; OpenBLAS with %u threads)\n",
                  t, t);
    std::printf("%-22s %-26s %12s %10s\n", "shape", "case", "GMAC/s",
                "vs sgemm");
    std::unique_ptr<ThreadPool> pool =
        t > 1 ? std::make_unique<ThreadPool>(t) : nullptr;
    for (const Shape &shape : shapes) {
      char label[64];
      std::snprintf(label, sizeof label, "%ux%u . %ux%u", shape.m, shape.k,
                    shape.k, shape.n);
      double sgemm = sgemmRate(shape, reps * 4, t);
      std::printf("%-22s %-26s %12.2f %10.3f\n", label, "sgemm (OpenBLAS fp32)",
                  sgemm / 1e9, 1.0);
      for (const Case &c : cases) {
        MvmArithmetic arith =
            llvm::cantFail(MvmArithmetic::create(c.config, c.model, c.kernel));
        std::mt19937_64 rng(11);
        Layer layer(arith, shape, rng, pool.get(), c.dense);
        std::vector<int8_t> x(size_t(shape.m) * shape.k);
        std::normal_distribution<double> normal(c.dense ? -2 : 0,
                                                c.dense ? 1 : 30);
        for (int8_t &v : x)
          v = int8_t(std::clamp(std::lround(normal(rng)), -128l, 127l));
        std::vector<int32_t> y(size_t(shape.m) * shape.n);
        double seconds =
            bestSeconds(reps, [&] { layer.run(x, y, pool.get()); });
        double rate = double(shape.m) * shape.k * shape.n / seconds;
        std::printf("%-22s %-26s %12.2f %10.3f\n", "", c.name, rate / 1e9,
                    rate / sgemm);
      }
    }
  }
  return 0;
}
