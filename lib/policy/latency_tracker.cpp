#include "policy/latency_tracker.hpp"

#include <chrono>
#include <cmath>

namespace rhc::detail {
namespace {

constexpr double kFirstBoundMicros = 10.0;  // bucket 0: up to 10 µs
constexpr double kGrowth = 1.1;

}  // namespace

std::size_t LatencyTracker::bucket_of(Duration latency) {
  const double micros = std::chrono::duration<double, std::micro>(latency).count();
  if (!(micros > kFirstBoundMicros)) return 0;
  // The first bucket whose bound, 10 µs * 1.1^i, is at least the latency.
  const auto i = static_cast<std::size_t>(
      std::ceil(std::log(micros / kFirstBoundMicros) / std::log(kGrowth) - 1e-9));
  return i < kBuckets ? i : kBuckets - 1;
}

Duration LatencyTracker::upper_bound(std::size_t bucket) {
  const double micros = kFirstBoundMicros * std::pow(kGrowth, static_cast<double>(bucket));
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double, std::micro>(micros));
}

void LatencyTracker::record(Duration latency) {
  if (current_count_ == kGeneration) {
    previous_ = current_;
    previous_count_ = current_count_;
    current_.fill(0);
    current_count_ = 0;
  }
  ++current_[bucket_of(latency)];
  ++current_count_;
}

std::optional<Duration> LatencyTracker::quantile(double q) const {
  const std::uint32_t total = samples();
  if (total == 0) return std::nullopt;
  if (!(q > 0.0)) q = 0.0;
  if (q > 1.0) q = 1.0;
  // The smallest bucket with at least ceil(q * total) samples at or below it.
  const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += current_[i] + previous_[i];
    if (seen >= rank && seen > 0) return upper_bound(i);
  }
  return upper_bound(kBuckets - 1);
}

}  // namespace rhc::detail
