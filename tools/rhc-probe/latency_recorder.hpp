// A latency distribution in fixed memory, however long the run: counts in logarithmic buckets
// 1/128 wide (under 0.8 % of the value), exact below 256 µs, plus the exact minimum, maximum
// and sum. Percentiles are read at the top of their bucket, so they never understate a
// latency, and never exceed the maximum seen.
//
// Beside it, a coarse histogram for people to read: counts at or below fixed bounds from
// 0.1 ms to 10 s and one count above the last, counted exactly as values arrive.
//
// Not thread-safe: its owner (LoadTally) serialises the calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace rhc::probe {

class LatencyRecorder {
 public:
  LatencyRecorder();

  void record(std::chrono::nanoseconds latency);

  std::uint64_t count() const { return count_; }
  // Nearest rank: the smallest recorded latency (at its bucket's top) that at least `p` of
  // the samples do not exceed; p in (0, 1]. 0 with no samples.
  double percentile_ms(double p) const;
  double max_ms() const;
  double min_ms() const;
  double mean_ms() const;

  // The coarse histogram's upper bounds, ascending; display_counts() has one count per bound
  // (latencies above the previous bound and at most this one) and a last one above them all.
  static const std::vector<double>& display_bounds_ms();
  const std::vector<std::uint64_t>& display_counts() const { return display_counts_; }

 private:
  std::vector<std::uint64_t> buckets_;
  std::vector<std::uint64_t> display_counts_;
  std::uint64_t count_ = 0;
  std::uint64_t min_us_ = 0;
  std::uint64_t max_us_ = 0;
  double sum_ms_ = 0;
};

}  // namespace rhc::probe
