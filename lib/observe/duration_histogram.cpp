#include "observe/duration_histogram.hpp"

#include <chrono>

namespace rhc::detail {
namespace {

// The bounds as loop-clock ticks, so record() compares integers.
struct Ticks {
  std::array<Duration::rep, DurationHistogram::kUpperBounds.size()> bound{};
  Ticks() {
    for (std::size_t i = 0; i < bound.size(); ++i) {
      bound[i] =
          std::chrono::duration_cast<Duration>(Seconds(DurationHistogram::kUpperBounds[i])).count();
    }
  }
};
const Ticks kTicks;

}  // namespace

void DurationHistogram::record(Duration d) {
  std::size_t i = 0;
  const Duration::rep t = d.count();
  while (i < kTicks.bound.size() && t > kTicks.bound[i]) ++i;  // "le": at most the bound
  ++counts_[i];
  ++count_;
  sum_ += d;
}

void DurationHistogram::fill(LatencyHistogram& out) const {
  out.upper_bounds.assign(kUpperBounds.begin(), kUpperBounds.end());
  out.counts.assign(counts_.begin(), counts_.end());
  out.count = count_;
  out.sum = std::chrono::duration_cast<Seconds>(sum_).count();
}

}  // namespace rhc::detail
