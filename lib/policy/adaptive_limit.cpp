#include "policy/adaptive_limit.hpp"

#include <algorithm>
#include <cmath>

namespace rhc::detail {

namespace {

// A NaN compares false everywhere: it takes the strongest allowed backoff, not UB in floor.
double clamp_ratio(double r) { return r >= 0.5 ? std::min(r, 1.0) : 0.5; }

}  // namespace

AdaptiveLimit::AdaptiveLimit(const AdaptiveLimitConfig& config, int ceiling)
    : ceiling_(std::max(1, ceiling)),
      min_limit_(std::clamp(config.min_limit, 1, ceiling_)),
      backoff_ratio_(clamp_ratio(config.backoff_ratio)),
      latency_threshold_(to_duration(config.latency_threshold)),
      limit_(std::clamp(config.initial_limit, min_limit_, ceiling_)) {}

bool AdaptiveLimit::on_drop(Generation started) {
  // A generation newer than the current one cannot exist; treating anything but the
  // current one as stale keeps a caller's mistake from cutting twice.
  if (started != generation_) {
    ++counters_.stale_drops;
    return false;
  }
  // 0.57 is stored as 0.569999999999999951..., so 100 * 0.57 computes to 56.99999999999999:
  // a product that is an integer in decimals may land a hair below it. The tolerance is far
  // above that error (~2e-16 relative) and far below the smallest fraction a ratio with a
  // few decimals can produce at any sane limit.
  const double scaled = static_cast<double>(limit_) * backoff_ratio_ * (1.0 + 1e-12);
  const int floored = std::min(static_cast<int>(std::floor(scaled)), limit_ - 1);
  limit_ = std::max(min_limit_, floored);
  growth_ = 0.0;
  ++generation_;
  ++counters_.cuts;
  return true;
}

bool AdaptiveLimit::on_success(int in_flight) {
  // 2 * in_flight in 64 bits: in_flight near INT_MAX must not overflow.
  if (limit_ >= ceiling_ || 2 * static_cast<std::int64_t>(in_flight) < limit_) return false;
  growth_ += 1.0 / limit_;
  // The tolerance absorbs the rounding of limit additions of 1/limit (20 * (1/20) may sum
  // to 0.9999999999999999).
  if (growth_ < 1.0 - 1e-9) return false;
  growth_ = 0.0;
  ++limit_;
  ++counters_.increases;
  return true;
}

void AdaptiveLimit::hold_until(TimePoint end) {
  if (!hold_end_ || end > *hold_end_) hold_end_ = end;
}

}  // namespace rhc::detail
