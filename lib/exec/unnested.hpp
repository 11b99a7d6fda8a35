// Runs a task on the calling thread without ever nesting one such task inside another.
//
//   run_unnested([] { ... });   // runs now, or, if the calling thread is already inside a
//                               // task (a callback), right after that task returns
//
// Why: once the executor has stopped, the callback of a refused call has nowhere to go but
// the calling thread. A callback that issues its next request from inside itself (a polling
// loop) while another thread closes the client would otherwise run the refusal's callback
// inside itself, which issues the next, and so on until the stack overflows. Here the inner
// callback waits in a per-thread queue and runs once the outer one has returned: the stack
// stays one task deep however long the chain.
//
// ThreadPool workers run every task inside such a frame, so a refusal made by a callback on
// an executor thread runs on that thread, after the callback. Thread-safe: all state is
// per thread.
#pragma once

#include <functional>

namespace rhc::detail {

// `task` must not throw (wrap it; ThreadPool's tasks and Delivery's callback jobs catch).
void run_unnested(std::function<void()> task);

// Marks the calling thread as running a task for its lifetime; on destruction runs, one
// after the other, every task run_unnested() queued meanwhile (and those they queue).
class UnnestedFrame {
 public:
  UnnestedFrame();
  ~UnnestedFrame();
  UnnestedFrame(const UnnestedFrame&) = delete;
  UnnestedFrame& operator=(const UnnestedFrame&) = delete;

 private:
  bool outermost_;  // only the outermost frame of a thread drains the queue
};

}  // namespace rhc::detail
