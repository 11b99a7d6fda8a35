// Request durations counted into fixed buckets on the loop thread (an increment per request,
// no allocation), read out as the public LatencyHistogram.
//
// The bounds are Prometheus's default ones, widened down to 1 ms (a call to a service next
// door often takes less than 5 ms) and up to a minute (a logical request includes its
// retries and backoff): 1 ms .. 60 s.
#pragma once

#include <array>
#include <cstdint>

#include <rhc/stats.hpp>

#include "base/clock.hpp"

namespace rhc::detail {

class DurationHistogram {
 public:
  // clang-format off
  static constexpr std::array<double, 15> kUpperBounds = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  // clang-format on

  void record(Duration d);
  void fill(LatencyHistogram& out) const;

 private:
  std::array<std::uint64_t, kUpperBounds.size() + 1> counts_{};
  std::uint64_t count_ = 0;
  Duration sum_{};
};

}  // namespace rhc::detail
