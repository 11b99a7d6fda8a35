#include "policy/retry_budget.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace rhc::detail {

RetryBudget::RetryBudget(const RetryBudgetConfig& config)
    : enabled_(config.enabled),
      ratio_(config.ratio),
      reserve_(config.min_retries_per_second * config.window.count()) {
  // ceil: a 2.5 s window keeps 3 buckets, so nothing counted leaves before `window` has
  // passed. Clamped for a config that skipped validation.
  const double seconds = std::ceil(std::clamp(config.window.count(), 1.0, 60.0));
  if (enabled_) buckets_.resize(static_cast<std::size_t>(seconds));
}

std::int64_t RetryBudget::second_of(TimePoint now) {
  return std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
}

RetryBudget::Bucket& RetryBudget::bucket_for(TimePoint now) {
  const std::int64_t second = second_of(now);
  const auto n = static_cast<std::int64_t>(buckets_.size());
  // Non-negative modulo: a steady clock's epoch is arbitrary, and tests invent instants.
  Bucket& b = buckets_[static_cast<std::size_t>(((second % n) + n) % n)];
  if (b.second != second) b = Bucket{second, 0, 0};  // a second that left the window
  return b;
}

void RetryBudget::record_first_attempt(TimePoint now) {
  if (!enabled_) return;
  ++bucket_for(now).first_attempts;
}

bool RetryBudget::try_charge_retry(TimePoint now) {
  if (!enabled_) return true;
  const Totals totals = in_window(now);
  if (!(static_cast<double>(totals.retries) <
        reserve_ + ratio_ * static_cast<double>(totals.first_attempts))) {
    return false;
  }
  ++bucket_for(now).retries;
  return true;
}

RetryBudget::Totals RetryBudget::in_window(TimePoint now) const {
  Totals totals;
  const std::int64_t second = second_of(now);
  const auto n = static_cast<std::int64_t>(buckets_.size());
  for (const Bucket& b : buckets_) {
    if (b.second > second - n && b.second <= second) {
      totals.first_attempts += b.first_attempts;
      totals.retries += b.retries;
    }
  }
  return totals;
}

double RetryBudget::allowance(TimePoint now) const {
  return reserve_ + ratio_ * static_cast<double>(in_window(now).first_attempts);
}

}  // namespace rhc::detail
