#include "policy/latency_tracker.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <random>

using rhc::detail::Duration;
using rhc::detail::LatencyTracker;
using namespace std::chrono_literals;

namespace {

double ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

TEST_CASE("a bucket's upper bound covers its latencies, within 10 %", "[policy][hedging]") {
  for (Duration d : {Duration(1us), Duration(10us), Duration(11us), Duration(999us), Duration(1ms),
                     Duration(37ms), Duration(200ms), Duration(2s), Duration(60s)}) {
    const Duration bound = LatencyTracker::upper_bound(LatencyTracker::bucket_of(d));
    INFO(ms(d) << " ms -> bound " << ms(bound) << " ms");
    CHECK(bound >= d);
    if (d > 10us) CHECK(ms(bound) <= ms(d) * 1.1 + 1e-6);
  }
  CHECK(LatencyTracker::bucket_of(24h) == LatencyTracker::kBuckets - 1);
}

TEST_CASE("quantiles of a seeded distribution", "[policy][hedging]") {
  LatencyTracker t;
  CHECK_FALSE(t.quantile(0.95).has_value());
  // 95 % of attempts around 10 ms, 5 % around 200 ms (the slow tail a hedge is for).
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> jitter(0.9, 1.1);
  for (int i = 0; i < 1000; ++i) {
    const double base = (i % 20 == 0) ? 200.0 : 10.0;
    t.record(std::chrono::duration_cast<Duration>(
        std::chrono::duration<double, std::milli>(base * jitter(rng))));
  }
  CHECK(t.samples() == 1000);
  CHECK(ms(*t.quantile(0.5)) == Approx(10.0).epsilon(0.2));
  CHECK(ms(*t.quantile(0.9)) == Approx(11.0).epsilon(0.15));
  CHECK(ms(*t.quantile(0.99)) == Approx(200.0).epsilon(0.2));
}

TEST_CASE("the estimate follows a change: old generations are forgotten", "[policy][hedging]") {
  LatencyTracker t;
  for (std::uint32_t i = 0; i < LatencyTracker::kGeneration; ++i) t.record(100ms);
  CHECK(ms(*t.quantile(0.5)) == Approx(100.0).epsilon(0.1));
  for (std::uint32_t i = 0; i < 2 * LatencyTracker::kGeneration; ++i) t.record(5ms);
  CHECK(t.samples() == 2 * LatencyTracker::kGeneration);
  CHECK(ms(*t.quantile(0.99)) == Approx(5.0).epsilon(0.1));
}
