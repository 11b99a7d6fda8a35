// Calls `tick(now)` every `period` on a thread of its own, from construction until stop() or
// destruction, on a fixed schedule (a late tick does not shift the later ones).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace rhc::bench::storm {

class Sampler {
 public:
  using Clock = std::chrono::steady_clock;

  Sampler(Clock::duration period, std::function<void(Clock::time_point)> tick)
      : period_(period), tick_(std::move(tick)), thread_([this] { run(); }) {}
  ~Sampler() { stop(); }
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    Clock::time_point next = Clock::now() + period_;
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_until(lock, next, [this] { return stopping_; })) {
      lock.unlock();
      tick_(Clock::now());
      lock.lock();
      next += period_;
    }
  }

  const Clock::duration period_;
  const std::function<void(Clock::time_point)> tick_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is built
};

}  // namespace rhc::bench::storm
