#include "signal_canceller.hpp"

#include <pthread.h>

#include <cstdlib>
#include <thread>
#include <utility>

namespace rhc::probe {

SignalCanceller::SignalCanceller(std::function<void()> on_signal) {
  ::signal(SIGINT, SIG_DFL);  // a shell starts background jobs with SIGINT ignored
  ::signal(SIGTERM, SIG_DFL);
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  std::thread([this, on_signal = std::move(on_signal)] {
    for (;;) {
      int signal = 0;
      if (sigwait(&set_, &signal) != 0) continue;
      if (done_.load() || signalled_.exchange(true)) std::_Exit(128 + signal);
      on_signal();
    }
  }).detach();
}

}  // namespace rhc::probe
