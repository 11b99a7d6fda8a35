// Ctrl-C and SIGTERM for the probe's runs: the first one calls `on_signal` (cancel the request,
// stop the load run) so rhc's report still comes out; a second one, or one after done(), exits
// 128 + signal at once. The signals are blocked in every thread (threads started later, the
// client's included, inherit the mask) and taken by sigwait on a thread of their own.
//
// Construct it before the client, so the client's threads inherit the blocked mask. It is
// meant to live until the process exits (the sigwait thread is detached and uses it).
#pragma once

#include <signal.h>

#include <atomic>
#include <functional>

namespace rhc::probe {

class SignalCanceller {
 public:
  explicit SignalCanceller(std::function<void()> on_signal);
  SignalCanceller(const SignalCanceller&) = delete;
  SignalCanceller& operator=(const SignalCanceller&) = delete;

  // The run is over: a signal from now on exits at once.
  void done() { done_.store(true); }

 private:
  sigset_t set_{};
  std::atomic<bool> done_{false};
  std::atomic<bool> signalled_{false};
};

}  // namespace rhc::probe
