// The time types every policy and the event loop share. Policies never read a clock: they
// are handed `now`, so unit tests drive them with exact, invented instants.
#pragma once

#include <chrono>

#include <rhc/duration.hpp>

namespace rhc::detail {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

// The longest Duration rhc ever computes: 100 years, beyond any valid setting (validate()
// caps durations at 10^9 s, ~31.7 years) and far enough from Duration::max() (~292 years of
// nanoseconds) that `now + d` cannot overflow a TimePoint.
inline constexpr Duration kMaxDuration = std::chrono::hours(24 * 365 * 100);

// Seconds to Duration, saturated to [0, kMaxDuration]. A plain duration_cast of a double
// whose nanosecond count is outside int64's range (+inf, or anything over ~9.2e9 s, such as
// 1e10 s) is undefined behaviour, and on x86 yields INT64_MIN: a deadline far in the past
// that a stall timer re-armed forever. Validation refuses such values first; this is the
// second line of defence.
inline Duration to_duration(Seconds s) {
  const double v = s.count();
  if (!(v > 0.0)) return Duration::zero();  // also NaN
  if (!(v < std::chrono::duration<double>(kMaxDuration).count())) return kMaxDuration;
  return std::chrono::duration_cast<Duration>(s);
}

}  // namespace rhc::detail
