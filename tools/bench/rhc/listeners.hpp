// The listener of the events-overhead runs (docs/benchmarks.md "Events and stats overhead"):
// it counts the events it receives and may sleep on each, as a slow exporter would.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

#include <rhc/rhc.hpp>

namespace rhc::bench {

// Counts every event in an atomic; with a non-zero `sleep_per_event` it sleeps that long on
// each first, so the client's bounded event queue fills and drops (ClientStats::events_dropped).
class CountingListener final : public Listener {
 public:
  explicit CountingListener(std::chrono::milliseconds sleep_per_event = {})
      : sleep_per_event_(sleep_per_event) {}

  // The dispatcher's thread.
  void on_event(const Event& event) override;

  // Any thread: from now on, no more sleeping, so that close(), which delivers every event
  // still queued (up to 65,536 of them, 11 minutes at 10 ms each), returns at once.
  void stop_sleeping() { sleeping_.store(false, std::memory_order_relaxed); }

  std::chrono::milliseconds sleep_per_event() const { return sleep_per_event_; }
  std::uint64_t delivered() const { return delivered_.load(std::memory_order_relaxed); }
  std::uint64_t slept_on() const { return slept_on_.load(std::memory_order_relaxed); }

 private:
  const std::chrono::milliseconds sleep_per_event_;
  std::atomic<bool> sleeping_{true};
  std::atomic<std::uint64_t> delivered_{0};
  std::atomic<std::uint64_t> slept_on_{0};  // events it slept on: those before stop_sleeping()
};

// Prints to stderr "events: delivered N, dropped M (stats().events_dropped)", and for a
// sleeping listener how many of the N it slept on (the rest close() delivered); call it after
// close(), when every event the client made was either delivered or dropped.
void print_event_counts(const CountingListener& listener, const ClientStats& stats);

}  // namespace rhc::bench
