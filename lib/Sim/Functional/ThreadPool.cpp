//===- ThreadPool.cpp - Workers for the functional engine's kernels ------===//

#include "mho/Sim/Functional/ThreadPool.h"

using namespace mho::sim::functional;

ThreadPool::ThreadPool(unsigned threads) {
  for (unsigned i = 1; i < threads; ++i)
    workers.emplace_back([this] { workerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
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
    if (++finished == total)
      done.notify_all();
  }
}

void ThreadPool::workerLoop() {
  unsigned seen = 0;
  std::unique_lock<std::mutex> lock(mutex);
  while (true) {
    wake.wait(lock, [&] { return stopping || generation != seen; });
    if (stopping)
      return;
    seen = generation;
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
  finished = 0;
  ++generation;
  wake.notify_all();
  takeTasks(lock);
  done.wait(lock, [&] { return finished == total; });
  next = total = finished = 0;
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
