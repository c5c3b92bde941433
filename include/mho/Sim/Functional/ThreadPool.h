//===- ThreadPool.h - Workers for the functional engine's kernels --------===//
//
// A fixed set of std::threads that run the independent tasks of one kernel
// call (column chunks of an MVM, cell rows of a programming) and return when
// all are done. Tasks write disjoint outputs and every random number is
// counter-based, so results never depend on the number of threads.
//
//===----------------------------------------------------------------------===//

#ifndef MHO_SIM_FUNCTIONAL_THREADPOOL_H
#define MHO_SIM_FUNCTIONAL_THREADPOOL_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>
#include <vector>

namespace mho::sim::functional {

class ThreadPool {
public:
  /// `threads` workers in all, the calling thread included (0 or 1: none
  /// extra, everything runs on the caller).
  explicit ThreadPool(unsigned threads = 1);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  unsigned getThreads() const { return unsigned(workers.size()) + 1; }

  /// Runs task(i) for i in [0, count), spread over the workers and the
  /// caller; returns when all have finished.
  void run(size_t count, llvm::function_ref<void(size_t)> task);

  /// Runs on `pool` when it is non-null, else on the caller.
  static void run(ThreadPool *pool, size_t count,
                  llvm::function_ref<void(size_t)> task);

private:
  void workerLoop();
  void takeTasks(std::unique_lock<std::mutex> &lock);

  std::vector<std::thread> workers;
  std::mutex mutex;
  std::condition_variable wake, done;
  // Guarded by `mutex`; `generation` and `finished` are also read while
  // spinning.
  llvm::function_ref<void(size_t)> current;
  size_t next = 0, total = 0;
  std::atomic<size_t> finished{0};
  std::atomic<unsigned> generation{0};
  bool stopping = false;
};

} // namespace mho::sim::functional

#endif // MHO_SIM_FUNCTIONAL_THREADPOOL_H
