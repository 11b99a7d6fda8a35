#include "latency_recorder.hpp"

#include <algorithm>
#include <cmath>

namespace rhc::probe {
namespace {

// Microsecond values below 2^kExactBits have a bucket each; above, a power of two is split
// into 2^(kExactBits - 1) buckets. Values are capped at 2^kMaxBits µs (about 12 days).
constexpr int kExactBits = 8;
constexpr std::uint64_t kExact = 1ULL << kExactBits;
constexpr std::uint64_t kSubBuckets = kExact / 2;
constexpr int kMaxBits = 40;
constexpr std::uint64_t kMaxMicros = (1ULL << kMaxBits) - 1;
constexpr std::size_t kBuckets = kExact + (kMaxBits - kExactBits) * kSubBuckets;

std::size_t bucket_of(std::uint64_t us) {
  if (us < kExact) return static_cast<std::size_t>(us);
  const int top_bit = 63 - __builtin_clzll(us);
  const int shift = top_bit - (kExactBits - 1);  // >= 1: keeps kExactBits significant bits
  const std::uint64_t sub = (us >> shift) - kSubBuckets;
  return static_cast<std::size_t>(kExact + static_cast<std::uint64_t>(shift - 1) * kSubBuckets +
                                  sub);
}

// The largest value bucket_of() puts into `bucket`.
std::uint64_t bucket_top(std::size_t bucket) {
  if (bucket < kExact) return bucket;
  const std::uint64_t above = bucket - kExact;
  const int shift = static_cast<int>(above / kSubBuckets) + 1;
  const std::uint64_t sub = above % kSubBuckets + kSubBuckets;
  return ((sub + 1) << shift) - 1;
}

}  // namespace

LatencyRecorder::LatencyRecorder()
    : buckets_(kBuckets, 0), display_counts_(display_bounds_ms().size() + 1, 0) {}

const std::vector<double>& LatencyRecorder::display_bounds_ms() {
  static const std::vector<double> bounds{0.1, 0.25, 0.5, 1,   2.5,  5,    10,   25,
                                          50,  100,  250, 500, 1000, 2500, 5000, 10000};
  return bounds;
}

void LatencyRecorder::record(std::chrono::nanoseconds latency) {
  const double ms = std::max(0.0, std::chrono::duration<double, std::milli>(latency).count());
  // Rounded up: a 0.3 µs latency is 1 µs, never 0.
  const auto us = std::min(kMaxMicros, static_cast<std::uint64_t>(std::ceil(ms * 1000)));
  ++buckets_[bucket_of(us)];
  const auto& bounds = display_bounds_ms();
  ++display_counts_[static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), ms) -
                                             bounds.begin())];
  min_us_ = count_ == 0 ? us : std::min(min_us_, us);
  max_us_ = std::max(max_us_, us);
  sum_ms_ += ms;
  ++count_;
}

double LatencyRecorder::percentile_ms(double p) const {
  if (count_ == 0) return 0;
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= rank) return static_cast<double>(std::clamp(bucket_top(b), min_us_, max_us_)) / 1e3;
  }
  return max_ms();
}

double LatencyRecorder::max_ms() const { return static_cast<double>(max_us_) / 1e3; }

double LatencyRecorder::min_ms() const { return static_cast<double>(min_us_) / 1e3; }

double LatencyRecorder::mean_ms() const {
  return count_ > 0 ? sum_ms_ / static_cast<double>(count_) : 0;
}

}  // namespace rhc::probe
