// The one "server is stopping" flag, and waits that it cuts short.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace rhc::test_server::detail {

// Delayed, hung and slow handlers sleep here instead of in std::this_thread::sleep_for, so
// that stop() can wake them all at once: cpp-httplib's stop() joins every worker thread, and a
// handler asleep for 30 s would make stop() take 30 s. Thread-safe.
class StopSignal {
 public:
  void request_stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_.store(true);
    }
    woken_.notify_all();
  }

  bool stop_requested() const { return stopping_.load(); }

  // Sleeps for `duration` or until stop is requested; true if stop was requested.
  bool wait_for(std::chrono::milliseconds duration) const {
    std::unique_lock lock(mutex_);
    return woken_.wait_for(lock, duration, [this] { return stopping_.load(); });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable woken_;
  std::atomic<bool> stopping_{false};
};

}  // namespace rhc::test_server::detail
