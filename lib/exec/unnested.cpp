#include "exec/unnested.hpp"

#include <deque>
#include <utility>

namespace rhc::detail {
namespace {

thread_local bool tls_in_task = false;
// Tasks waiting for the current one to return. A deque, not a vector: draining pops from the
// front while the task being run may push to the back.
thread_local std::deque<std::function<void()>> tls_waiting;

}  // namespace

UnnestedFrame::UnnestedFrame() : outermost_(!tls_in_task) { tls_in_task = true; }

UnnestedFrame::~UnnestedFrame() {
  if (!outermost_) return;
  // Still "in a task" while draining, so what these queue lands here too, not on the stack.
  while (!tls_waiting.empty()) {
    std::function<void()> task = std::move(tls_waiting.front());
    tls_waiting.pop_front();
    task();
  }
  tls_in_task = false;
}

void run_unnested(std::function<void()> task) {
  if (tls_in_task) {
    tls_waiting.push_back(std::move(task));
    return;
  }
  UnnestedFrame frame;
  task();
}

}  // namespace rhc::detail
