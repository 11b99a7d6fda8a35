// The time types every policy and the event loop share. Policies never read a clock: they
// are handed `now`, so unit tests drive them with exact, invented instants.
#pragma once

#include <chrono>

#include <rhc/duration.hpp>

namespace rhc::detail {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

inline Duration to_duration(Seconds s) { return std::chrono::duration_cast<Duration>(s); }

}  // namespace rhc::detail
