// Parsing a Retry-After header value (RFC 9110 section 10.2.3) into a wait.
//
//   parse_retry_after("120", now)                            -> 120 s
//   parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now)  -> that instant - now, or 0
//   parse_retry_after("soon", now)                           -> nullopt
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "base/clock.hpp"

namespace rhc::detail {

// Accepts, with optional surrounding spaces/tabs:
//  - delta-seconds: one or more ASCII digits (no sign, no fraction);
//  - an HTTP-date: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", or the obsolete RFC 850
//    "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit years resolved as RFC 9110 says: a year
//    more than 50 years ahead of now_wall means the previous century) and asctime
//    "Sun Nov  6 08:49:37 1994". Month and day names are matched case-insensitively.
// Returns the wait relative to now_wall: 0 for a date in the past (or now). Returns nullopt
// for anything else: garbage, a sign, a fraction, an impossible date or time (Feb 30, 25:00).
// Huge values are not errors: they saturate at kMaxDuration (base/clock.hpp), which the retry
// policy then treats as "longer than max_wait" and gives up, as the server asked.
// Pure; thread-safe.
std::optional<Duration> parse_retry_after(std::string_view value,
                                          std::chrono::system_clock::time_point now_wall);

}  // namespace rhc::detail
