#include "policy/call_window.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace rhc::detail {

CallWindow::CallWindow(Seconds window) {
  // ceil: a 2.5 s window keeps 3 buckets, so nothing counted leaves before `window` has
  // passed. Clamped (NaN included) for a config that skipped validation.
  double seconds = window.count();
  if (!(seconds >= 1.0)) seconds = 1.0;
  seconds = std::ceil(std::min(seconds, 600.0));
  buckets_.resize(static_cast<std::size_t>(seconds));
}

std::int64_t CallWindow::second_of(TimePoint now) {
  return std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
}

CallWindow::Bucket& CallWindow::bucket_for(TimePoint now) {
  const std::int64_t second = second_of(now);
  const auto n = static_cast<std::int64_t>(buckets_.size());
  // Non-negative modulo: a steady clock's epoch is arbitrary, and tests invent instants.
  Bucket& b = buckets_[static_cast<std::size_t>(((second % n) + n) % n)];
  if (b.second != second) b = Bucket{second, 0, 0, 0};  // a second that left the window
  return b;
}

void CallWindow::record(TimePoint now, bool failure, bool slow) {
  Bucket& b = bucket_for(now);
  ++b.calls;
  if (failure) ++b.failures;
  if (slow) ++b.slow;
}

CallWindow::Totals CallWindow::in_window(TimePoint now) const {
  Totals totals;
  const std::int64_t second = second_of(now);
  const auto n = static_cast<std::int64_t>(buckets_.size());
  for (const Bucket& b : buckets_) {
    if (b.second != kUnused && b.second > second - n && b.second <= second) {
      totals.calls += b.calls;
      totals.failures += b.failures;
      totals.slow += b.slow;
    }
  }
  return totals;
}

void CallWindow::clear() { std::fill(buckets_.begin(), buckets_.end(), Bucket{}); }

}  // namespace rhc::detail
