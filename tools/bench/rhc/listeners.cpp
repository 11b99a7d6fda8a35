#include "listeners.hpp"

#include <cstdio>
#include <thread>

namespace rhc::bench {

void CountingListener::on_event(const Event&) {
  if (sleep_per_event_.count() > 0 && sleeping_.load(std::memory_order_relaxed)) {
    std::this_thread::sleep_for(sleep_per_event_);
    slept_on_.fetch_add(1, std::memory_order_relaxed);
  }
  delivered_.fetch_add(1, std::memory_order_relaxed);
}

void print_event_counts(const CountingListener& listener, const ClientStats& stats) {
  std::fprintf(stderr, "events: delivered %llu, dropped %llu (stats().events_dropped)",
               static_cast<unsigned long long>(listener.delivered()),
               static_cast<unsigned long long>(stats.events_dropped));
  if (listener.sleep_per_event().count() > 0) {
    std::fprintf(stderr, "; slept %lld ms on %llu of them, close() delivered the rest",
                 static_cast<long long>(listener.sleep_per_event().count()),
                 static_cast<unsigned long long>(listener.slept_on()));
  }
  std::fprintf(stderr, "\n");
}

}  // namespace rhc::bench
