#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "http/retry_after.hpp"
#include "policy/backoff.hpp"

using namespace std::chrono;
using namespace std::chrono_literals;
using rhc::detail::Duration;
using rhc::detail::kMaxPolicyWait;
using rhc::detail::parse_retry_after;

namespace {

// 2015-10-21 07:28:00 UTC, the instant of RFC 9110's example date.
const system_clock::time_point kExample = sys_days{2015y / October / 21} + 7h + 28min;

}  // namespace

TEST_CASE("Retry-After delta-seconds parse to that many seconds", "[retry-after]") {
  CHECK(parse_retry_after("120", kExample) == Duration(120s));
  CHECK(parse_retry_after("0", kExample) == Duration(0s));
  CHECK(parse_retry_after("007", kExample) == Duration(7s));
  CHECK(parse_retry_after(" \t3 ", kExample) == Duration(3s));
}

TEST_CASE("Retry-After rejects signs, fractions and garbage", "[retry-after]") {
  for (const char* bad :
       {"", "   ", "-5", "+5", "1.5", "12abc", "abc", "1 2", "0x10", "5s", "\xff\xfe"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_retry_after(bad, kExample).has_value());
  }
}

TEST_CASE("Retry-After delta-seconds too large to represent saturate", "[retry-after]") {
  CHECK(parse_retry_after("99999999999999999999999999999", kExample) == kMaxPolicyWait);
  CHECK(parse_retry_after("4000000000", kExample) == kMaxPolicyWait);  // > 100 years
  CHECK(parse_retry_after("86400", kExample) == Duration(24h));
}

TEST_CASE("Retry-After IMF-fixdate gives the time until that instant", "[retry-after]") {
  const char* date = "Wed, 21 Oct 2015 07:28:00 GMT";
  CHECK(parse_retry_after(date, kExample - 90s) == Duration(90s));
  CHECK(parse_retry_after(date, kExample - 1500ms) == Duration(1500ms));
  CHECK(parse_retry_after(date, kExample) == Duration(0s));
  CHECK(parse_retry_after(date, kExample + 1h) == Duration(0s));  // in the past: no wait
  CHECK(parse_retry_after(date, kExample - 10 * 365 * 24h) > Duration(87'000h));
  CHECK(parse_retry_after("wed, 21 oct 2015 07:28:00 gmt", kExample - 1s) == Duration(1s));
}

TEST_CASE("Retry-After accepts the obsolete RFC 850 and asctime forms", "[retry-after]") {
  const auto now = kExample - 30s;
  CHECK(parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", now) == Duration(30s));
  CHECK(parse_retry_after("Wed Oct 21 07:28:00 2015", now) == Duration(30s));
  const auto october_first = sys_days{2015y / October / 1} + 7h + 28min;
  CHECK(parse_retry_after("Thu Oct  1 07:28:30 2015", october_first) == Duration(30s));
}

TEST_CASE("RFC 850 two-digit years more than 50 years ahead mean the last century",
          "[retry-after]") {
  // Now is 2015: "64" is 2064 (49 years ahead), "66" would be 2066 (51 ahead) so is 1966.
  CHECK(parse_retry_after("Thursday, 21-Oct-64 07:28:00 GMT", kExample) > Duration(24h));
  CHECK(parse_retry_after("Thursday, 21-Oct-66 07:28:00 GMT", kExample) == Duration(0s));
  CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", kExample) == Duration(0s));
}

TEST_CASE("Retry-After rejects impossible or malformed dates", "[retry-after]") {
  for (const char* bad : {
           "Wed, 32 Oct 2015 07:28:00 GMT",    // day 32
           "Sun, 29 Feb 2015 07:28:00 GMT",    // 2015 is not a leap year
           "Wed, 21 Foo 2015 07:28:00 GMT",    // month
           "Wed, 21 Oct 2015 24:00:00 GMT",    // hour
           "Wed, 21 Oct 2015 07:60:00 GMT",    // minute
           "Wed, 21 Oct 2015 07:28:61 GMT",    // second
           "Wed, 21 Oct 2015 07:28:00 UTC",    // zone must be GMT
           "Wed, 21 Oct 2015 07:28:00",        // zone missing
           "Wed, 21 Oct 2015 07:28:00 GMT x",  // trailing junk
           "Wed, 21 Oct 15 07:28:00 GMT",      // two-digit year in IMF-fixdate
           "Wed, 1 Oct 2015 07:28:00 GMT",     // one-digit day in IMF-fixdate
           "Xyz, 21 Oct 2015 07:28:00 GMT",    // day name
           "Wed,21 Oct 2015 07:28:00 GMT",     // missing space
           "Wednesday, 21-Oct-2015 07:28:00 GMT",
           "Wed Oct 21 07:28:00 15",
           "Wed Oct 21 7:28:00 2015",
       }) {
    CAPTURE(bad);
    CHECK_FALSE(parse_retry_after(bad, kExample).has_value());
  }
}

TEST_CASE("Retry-After accepts a leap day and a leap second", "[retry-after]") {
  const auto leap_day = sys_days{2016y / February / 29};
  CHECK(parse_retry_after("Mon, 29 Feb 2016 00:00:10 GMT", leap_day) == Duration(10s));
  CHECK(parse_retry_after("Wed, 31 Dec 2016 23:59:60 GMT", leap_day).has_value());
}

TEST_CASE("a Retry-After date far in the future saturates without overflow", "[retry-after]") {
  CHECK(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", kExample) == kMaxPolicyWait);
  CHECK(parse_retry_after("Mon, 01 Jan 0001 00:00:00 GMT", kExample) == Duration(0s));
}
