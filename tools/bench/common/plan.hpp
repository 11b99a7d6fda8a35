// What one benchmark run asks of a client, and what the client hands back.
//
// A Plan is shared by the driver (main thread) and the client's own threads. Clients ask
// may_issue() before each request and call completed() after each one; everything else
// (windows, CPU samples, percentiles) belongs to the driver.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace rhc::bench {

using Clock = std::chrono::steady_clock;

// Latencies of requests that finished inside the measured window, in microseconds.
// Lock-free append (one fetch_add) so that it costs every client the same and no client
// serialises on it; samples past the capacity are counted but not stored.
class LatencySink {
 public:
  explicit LatencySink(std::size_t capacity);
  void add(double micros) {
    const std::size_t i = size_.fetch_add(1, std::memory_order_relaxed);
    if (i < capacity_) samples_[i] = static_cast<float>(micros);
  }
  std::size_t count() const { return size_.load(std::memory_order_relaxed); }
  // p in [0, 1] over the stored samples; sorts them (call once the run is over).
  double percentile(double p);

 private:
  std::size_t capacity_;
  std::unique_ptr<float[]> samples_;
  std::atomic<std::size_t> size_{0};
  bool sorted_ = false;
};

// Thread-safe. Two shapes of run:
//  - timed: requests run until stop(); those that finish inside [window_start, window_end)
//    are measured (the time before window_start is the warm-up);
//  - counted: exactly `budget` requests are issued in total, then the client drains.
class Plan {
 public:
  Plan(std::string url, int concurrency, std::size_t latency_capacity)
      : url(std::move(url)), concurrency(concurrency), latencies(latency_capacity) {}

  const std::string url;
  const int concurrency;
  Clock::time_point window_start = Clock::time_point::max();
  Clock::time_point window_end = Clock::time_point::max();

  void set_budget(long requests) {
    counted_ = true;
    budget_.store(requests);
  }
  void stop() { stopped_.store(true, std::memory_order_relaxed); }

  // Whether the client may start one more request; false once stopped or out of budget.
  bool may_issue() {
    if (stopped_.load(std::memory_order_relaxed)) return false;
    return !counted_ || budget_.fetch_sub(1, std::memory_order_relaxed) > 0;
  }

  // One request is over: ok = a 200 with its body read.
  void completed(Clock::time_point started, Clock::time_point finished, bool ok) {
    finished_total_.fetch_add(1, std::memory_order_relaxed);
    if (!ok) errors_total_.fetch_add(1, std::memory_order_relaxed);
    if (finished >= window_start && finished < window_end) {
      latencies.add(std::chrono::duration<double, std::micro>(finished - started).count());
      if (!ok) errors_in_window_.fetch_add(1, std::memory_order_relaxed);
    }
  }

  long finished_total() const { return finished_total_.load(std::memory_order_relaxed); }
  long errors_total() const { return errors_total_.load(std::memory_order_relaxed); }
  long errors_in_window() const { return errors_in_window_.load(std::memory_order_relaxed); }

  LatencySink latencies;

 private:
  bool counted_ = false;
  std::atomic<long> budget_{0};
  std::atomic<bool> stopped_{false};
  std::atomic<long> finished_total_{0};
  std::atomic<long> errors_total_{0};
  std::atomic<long> errors_in_window_{0};
};

// One client under test. prepare() sets up what does not depend on the number of requests
// in flight (global init, the multi handle, the rhc client); run() drives requests per the
// plan on threads of its own making and returns once none is left in flight.
class Workload {
 public:
  virtual ~Workload() = default;
  virtual void prepare(const Plan& plan) = 0;
  virtual void run(Plan& plan) = 0;
  // Releases what prepare() made (closes the client); called after run().
  virtual void finish() {}
};

}  // namespace rhc::bench
