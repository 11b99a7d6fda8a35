// Fuzz target: Retry-After parsing, parse_retry_after (lib/http/retry_after.cpp).
//
// Input: the header value, optionally after a first line giving "now" in whole seconds since
// 1970 (a leading '-' allowed; clamped to +-9e9, within system_clock's range):
//   1445412480
//   Wed, 21 Oct 2015 07:28:00 GMT
// Without such a line the whole input is the value and now is 1445412480 (2015-10-21 07:28:00).
//
// Asserts, for any input:
//  - no crash, no sanitizer report (signed overflow included: UBSan);
//  - a result is in [0, kMaxPolicyWait];
//  - delta-seconds (digits only, after trimming spaces and tabs) give exactly that many
//    seconds, saturated at kMaxPolicyWait;
//  - an accepted IMF-fixdate gives exactly max(0, date - now), saturated, as timegm() counts.
#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include "fuzz_support.hpp"
#include "http/retry_after.hpp"
#include "policy/backoff.hpp"

namespace {

constexpr const char* kTarget = "retry_after";
constexpr std::int64_t kDefaultNow = 1445412480;
constexpr std::int64_t kMaxNow = 9'000'000'000;

using rhc::detail::Duration;
using rhc::detail::kMaxPolicyWait;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "now" from a first line of digits (optionally signed), else the default; the rest is the value.
std::int64_t split_now(std::string_view& input) {
  const auto nl = input.find('\n');
  if (nl == std::string_view::npos || nl == 0 || nl > 20) return kDefaultNow;
  std::string_view line = input.substr(0, nl);
  const bool negative = line.front() == '-';
  if (negative) line.remove_prefix(1);
  if (line.empty() || line.find_first_not_of("0123456789") != std::string_view::npos) {
    return kDefaultNow;
  }
  std::int64_t now = 0;
  for (const char c : line) now = std::min<std::int64_t>(kMaxNow, now * 10 + (c - '0'));
  input.remove_prefix(nl + 1);
  return negative ? -now : now;
}

Duration saturated_seconds(std::int64_t s) {
  const auto max_s = std::chrono::duration_cast<std::chrono::seconds>(kMaxPolicyWait).count();
  if (s <= 0) return Duration::zero();
  if (s > max_s) return kMaxPolicyWait;
  return std::chrono::seconds(s);
}

// Seconds since 1970 of an IMF-fixdate the parser accepted (so its shape is known), by timegm.
std::optional<std::int64_t> imf_fixdate_epoch(std::string_view value) {
  if (value.size() != 29 || value[3] != ',') return std::nullopt;
  const std::string text(value);
  char month[4] = {0};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(text.c_str() + 5, "%2d %3c %4d %2d:%2d:%2d", &day, month, &year, &hour, &minute,
                  &second) != 6) {
    return std::nullopt;
  }
  static constexpr const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                            "jul", "aug", "sep", "oct", "nov", "dec"};
  int mon = -1;
  for (int i = 0; i < 12; ++i) {
    if (strncasecmp(month, kMonths[i], 3) == 0) mon = i;
  }
  if (mon < 0) return std::nullopt;
  tm t{};
  t.tm_year = year - 1900;
  t.tm_mon = mon;
  t.tm_mday = day;
  t.tm_hour = hour;
  t.tm_min = minute;
  t.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&t));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view value = rhc_fuzz::as_text(data, size);
  const std::int64_t now_s = split_now(value);
  const std::chrono::system_clock::time_point now{std::chrono::seconds(now_s)};

  const std::optional<Duration> wait = rhc::detail::parse_retry_after(value, now);
  if (!wait) return 0;
  if (*wait < Duration::zero() || *wait > kMaxPolicyWait) {
    rhc_fuzz::fail(kTarget, "wait of " + std::to_string(wait->count()) + " ns for " +
                                rhc_fuzz::printable(value));
  }

  const std::string_view trimmed = trim(value);
  if (!trimmed.empty() && trimmed.find_first_not_of("0123456789") == std::string_view::npos) {
    std::int64_t s = 0;
    for (const char c : trimmed) s = std::min<std::int64_t>(kMaxNow * 10, s * 10 + (c - '0'));
    if (*wait != saturated_seconds(s)) {
      rhc_fuzz::fail(kTarget, "delta-seconds " + rhc_fuzz::printable(trimmed) + " gave " +
                                  std::to_string(wait->count()) + " ns");
    }
    return 0;
  }
  if (const auto at = imf_fixdate_epoch(trimmed)) {
    if (*wait != saturated_seconds(*at - now_s)) {
      rhc_fuzz::fail(kTarget, "date " + rhc_fuzz::printable(trimmed) + " at now=" +
                                  std::to_string(now_s) + " gave " + std::to_string(wait->count()) +
                                  " ns, timegm says " + std::to_string(*at - now_s) + " s");
    }
  }
  return 0;
}
