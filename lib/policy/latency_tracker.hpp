// The recent latencies of one authority's successful attempts, kept as a log-bucket
// histogram, for the adaptive hedging delay (HedgingConfig::delay_percentile): "hedge when
// an attempt is slower than p95 of recent ones".
//
//   tracker.record(transfer_time);
//   if (tracker.samples() >= min_samples) delay = std::max(floor, *tracker.quantile(0.95));
//
// "Recent" is two generations of kGeneration samples: when the newer one fills, the older is
// dropped, so the estimate follows a change within 2 * kGeneration attempts and never rests
// on fewer than kGeneration (once that many were made). Buckets grow by ~10 % from 10 µs to
// ~2 minutes, so a quantile is exact to within one bucket (it returns the bucket's upper
// bound: a hedge a little late rather than early). Pure: handed the durations, no clock.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/clock.hpp"

namespace rhc::detail {

class LatencyTracker {
 public:
  static constexpr std::uint32_t kGeneration = 1000;
  static constexpr std::size_t kBuckets = 176;  // 10 µs * 1.1^175 ~ 18 min: past any timeout

  void record(Duration latency);
  std::uint32_t samples() const { return current_count_ + previous_count_; }
  // The q-quantile (0 < q <= 1) of the samples kept, as its bucket's upper bound; nullopt
  // when there are none.
  std::optional<Duration> quantile(double q) const;

  static std::size_t bucket_of(Duration latency);
  static Duration upper_bound(std::size_t bucket);

 private:
  std::array<std::uint32_t, kBuckets> current_{};
  std::array<std::uint32_t, kBuckets> previous_{};
  std::uint32_t current_count_ = 0;
  std::uint32_t previous_count_ = 0;
};

}  // namespace rhc::detail
