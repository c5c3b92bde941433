//===- ThreadPool.cpp - Workers for the functional engine's kernels ------===//
//
// Tasks are handed out under one mutex. An MVM instruction's tasks take tens
// of microseconds, about what waking a sleeping thread costs, so idle workers
// and a waiting caller spin on atomics for a while (SpinIterations pauses,
// some tens of microseconds) before they block on a condition variable.
//
//===----------------------------------------------------------------------===//

#include "mho/Sim/Functional/ThreadPool.h"

using namespace mho::sim::functional;

namespace {
constexpr unsigned SpinIterations = 4000;

inline void pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}
} // namespace

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 1; i < threads; ++i)
    workers.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
    generation.fetch_add(1);
  }
  wake.notify_all();
  for (std::thread &t : workers)
    t.join();
}

void ThreadPool::takeTasks(std::unique_lock<std::mutex> &lock) {
  while (next < total) {
    size_t task = next++;
    llvm::function_ref<void(size_t)> fn = current;
    lock.unlock();
    fn(task);
    lock.lock();
    if (finished.fetch_add(1) + 1 == total)
      done.notify_all();
  }
}

void ThreadPool::workerLoop() {
  unsigned seen = 0;
  while (true) {
    for (unsigned i = 0; i < SpinIterations && generation.load() == seen; ++i)
      pause();
    std::unique_lock<std::mutex> lock(mutex);
    wake.wait(lock, [&] { return generation.load() != seen; });
    if (stopping)
      return;
    seen = generation.load();
    takeTasks(lock);
  }
}

void ThreadPool::run(size_t count, llvm::function_ref<void(size_t)> task) {
  if (count == 0)
    return;
  if (workers.empty() || count == 1) {
    for (size_t i = 0; i < count; ++i)
      task(i);
    return;
  }
  std::unique_lock<std::mutex> lock(mutex);
  current = task;
  next = 0;
  total = count;
  finished.store(0);
  generation.fetch_add(1);
  wake.notify_all();
  takeTasks(lock);
  lock.unlock();
  for (unsigned i = 0; i < SpinIterations && finished.load() < count; ++i)
    pause();
  lock.lock();
  done.wait(lock, [&] { return finished.load() == total; });
  next = total = 0;
  finished.store(0);
}

void ThreadPool::run(ThreadPool *pool, size_t count,
                     llvm::function_ref<void(size_t)> task) {
  if (pool) {
    pool->run(count, task);
    return;
  }
  for (size_t i = 0; i < count; ++i)
    task(i);
}
