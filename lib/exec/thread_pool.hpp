// Where user callbacks run: a fixed set of threads taking tasks from one FIFO queue, so slow
// user code never stalls the event loop.
//
//   rhc::detail::ThreadPool pool(4, logger);
//   pool.post([] { ... });   // false once shutdown() has begun
//   pool.shutdown();         // runs what is queued, then joins
//
// Thread-safe: every member may be called from any thread, with the exceptions written on
// shutdown(). Tasks run in FIFO order of posting, each exactly once, on some pool thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "logging/logger.hpp"

namespace rhc::detail {

class ThreadPool {
 public:
  // Starts `threads` (>= 1, else std::invalid_argument) workers. A task that throws is
  // caught and logged at ERROR through `logger`; the worker goes on with the next task.
  explicit ThreadPool(int threads, Logger logger = Logger(LoggingConfig{}));
  ~ThreadPool();  // shutdown()

  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Queues `task`. Returns false, and drops the task unrun, once shutdown() has begun.
  bool post(std::function<void()> task);

  // Queues every task of `tasks` (moved out; the vector keeps its capacity) under one lock
  // and wakes no more workers than there are tasks or idle workers: a batch costs one
  // hand-over, not one per task. Returns false, with `tasks` untouched, once shutdown() has
  // begun.
  bool post_all(std::vector<std::function<void()>>& tasks);

  // Stops taking tasks, runs every task already queued, and joins the workers. Idempotent;
  // concurrent callers all return once the workers are joined.
  //
  // From a pool thread (a task that closes the client, or drops its last reference) a
  // thread cannot join itself: shutdown() joins the other workers, which drain the queue,
  // runs whatever they left (only when the caller is the pool's sole thread) on the calling
  // thread, detaches that thread and returns. Either way every queued task has run when it
  // returns; the calling task then finishes, and its worker exits without touching the
  // ThreadPool object, so the pool may be destroyed from inside one of its own tasks.
  // A concurrent second caller on a pool thread returns at once instead of waiting, since
  // the first may be joining it.
  void shutdown();

  // Whether the calling thread is one of this pool's workers.
  bool on_pool_thread() const;

  // The number of workers started.
  int size() const { return size_; }

  // How many workers are waiting for a task right now (a snapshot: for tests and metrics).
  int idle_workers() const;

  // min(4, hardware threads), at least 1: the executor_threads = 0 default.
  static int default_threads();

 private:
  struct State;
  static void work(std::shared_ptr<State> state);  // a worker's whole life

  std::shared_ptr<State> state_;  // shared with the workers, so a detached one outlives us
  int size_;

  std::mutex join_mutex_;
  std::condition_variable joined_cv_;
  std::vector<std::thread> threads_;  // moved out by the one shutdown() that joins them
  bool joined_ = false;
};

}  // namespace rhc::detail
