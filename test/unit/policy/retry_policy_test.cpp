#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "policy/retry_policy.hpp"

using namespace std::chrono_literals;
using rhc::RetryConfig;
using rhc::detail::Duration;
using rhc::detail::GiveUpReason;
using rhc::detail::RetryDecision;
using rhc::detail::RetryPolicy;
using rhc::detail::TimePoint;

namespace {

const TimePoint kNow = TimePoint{} + 1000s;

RetryConfig config(int max_attempts, bool jitter = false) {
  RetryConfig c;
  c.max_attempts = max_attempts;
  c.jitter = jitter;
  return c;
}

RetryPolicy policy(RetryConfig c, double r = 0.5) {
  return RetryPolicy(c, [r] { return r; });
}

void check_gives_up(const RetryDecision& d, GiveUpReason reason) {
  CHECK_FALSE(d.retry);
  CHECK(d.reason == reason);
  CHECK(d.wait == Duration::zero());
}

void check_retries(const RetryDecision& d, Duration wait) {
  CHECK(d.retry);
  CHECK(d.wait == wait);
}

}  // namespace

TEST_CASE("a non-retryable outcome is never retried", "[retry]") {
  const RetryPolicy p = policy(config(5));
  check_gives_up(p.decide(1, false, std::nullopt, std::nullopt, kNow), GiveUpReason::NotRetryable);
  check_gives_up(p.decide(1, false, Duration(1s), kNow + 1h, kNow), GiveUpReason::NotRetryable);
}

TEST_CASE("retry stops after max_attempts attempts", "[retry]") {
  const RetryPolicy p = policy(config(3));
  check_retries(p.decide(1, true, std::nullopt, std::nullopt, kNow), 1s);
  check_retries(p.decide(2, true, std::nullopt, std::nullopt, kNow), 2s);
  check_gives_up(p.decide(3, true, std::nullopt, std::nullopt, kNow), GiveUpReason::Exhausted);
  check_gives_up(p.decide(4, true, std::nullopt, std::nullopt, kNow), GiveUpReason::Exhausted);
}

TEST_CASE("max_attempts 1 means no retry at all", "[retry]") {
  const RetryPolicy p = policy(config(1));
  check_gives_up(p.decide(1, true, std::nullopt, std::nullopt, kNow), GiveUpReason::Exhausted);
}

TEST_CASE("the wait before retry k is the backoff for k = attempts made", "[retry]") {
  const RetryPolicy p = policy(config(10));
  const Duration expected[] = {1s, 2s, 4s, 8s, 16s, 32s, 60s, 60s, 60s};
  for (int attempts = 1; attempts <= 9; ++attempts) {
    CAPTURE(attempts);
    check_retries(p.decide(attempts, true, std::nullopt, std::nullopt, kNow),
                  expected[attempts - 1]);
  }
}

TEST_CASE("with jitter the wait comes from the injected random source", "[retry][jitter]") {
  const RetryPolicy p = policy(config(5, true), 0.5);
  check_retries(p.decide(3, true, std::nullopt, std::nullopt, kNow), 2500ms);  // [1 s, 4 s]
}

TEST_CASE("a Retry-After longer than the backoff replaces it", "[retry][retry-after]") {
  const RetryPolicy p = policy(config(5));
  check_retries(p.decide(1, true, Duration(7s), std::nullopt, kNow), 7s);
}

TEST_CASE("a Retry-After shorter than the backoff does not shorten it", "[retry][retry-after]") {
  const RetryPolicy p = policy(config(5));
  check_retries(p.decide(3, true, Duration(1s), std::nullopt, kNow), 4s);
  check_retries(p.decide(3, true, Duration(0s), std::nullopt, kNow), 4s);
}

TEST_CASE("a Retry-After of exactly max_wait is honoured", "[retry][retry-after]") {
  const RetryPolicy p = policy(config(5));
  check_retries(p.decide(1, true, Duration(60s), std::nullopt, kNow), 60s);
}

TEST_CASE("a Retry-After beyond max_wait gives up at once", "[retry][retry-after]") {
  const RetryPolicy p = policy(config(5));
  check_gives_up(p.decide(1, true, Duration(60s) + 1ns, std::nullopt, kNow),
                 GiveUpReason::RetryAfterTooLong);
  check_gives_up(p.decide(1, true, rhc::detail::kMaxPolicyWait, kNow + 1h, kNow),
                 GiveUpReason::RetryAfterTooLong);
}

TEST_CASE("exhaustion is reported before a too-long Retry-After", "[retry][retry-after]") {
  const RetryPolicy p = policy(config(2));
  check_gives_up(p.decide(2, true, Duration(1h), std::nullopt, kNow), GiveUpReason::Exhausted);
}

TEST_CASE("a wait ending before the deadline is taken", "[retry][deadline]") {
  const RetryPolicy p = policy(config(5));
  check_retries(p.decide(2, true, std::nullopt, kNow + 2s + 1ns, kNow), 2s);
}

TEST_CASE("a wait ending at or past the deadline gives up", "[retry][deadline]") {
  const RetryPolicy p = policy(config(5));
  // Ending exactly at the deadline leaves no time for the attempt itself.
  check_gives_up(p.decide(2, true, std::nullopt, kNow + 2s, kNow), GiveUpReason::DeadlineReached);
  check_gives_up(p.decide(2, true, std::nullopt, kNow + 1s, kNow), GiveUpReason::DeadlineReached);
}

TEST_CASE("a deadline already passed gives up", "[retry][deadline]") {
  RetryConfig c = config(5);
  c.min_wait = 0s;
  const RetryPolicy p = policy(c);
  check_gives_up(p.decide(1, true, std::nullopt, kNow - 1ns, kNow), GiveUpReason::DeadlineReached);
  check_gives_up(p.decide(1, true, std::nullopt, kNow, kNow), GiveUpReason::DeadlineReached);
}

TEST_CASE("a Retry-After that would end past the deadline gives up", "[retry][deadline]") {
  const RetryPolicy p = policy(config(5));
  check_gives_up(p.decide(1, true, Duration(30s), kNow + 10s, kNow), GiveUpReason::DeadlineReached);
}

TEST_CASE("the random source is drawn once, and only when a retry is possible", "[retry][jitter]") {
  int calls = 0;
  const RetryPolicy p(config(2, true), [&calls] {
    ++calls;
    return 0.0;
  });
  (void)p.decide(1, false, std::nullopt, std::nullopt, kNow);
  (void)p.decide(2, true, std::nullopt, std::nullopt, kNow);
  (void)p.decide(1, true, Duration(2h), std::nullopt, kNow);
  CHECK(calls == 0);
  (void)p.decide(1, true, std::nullopt, std::nullopt, kNow);
  CHECK(calls == 1);
}

TEST_CASE("give-up reasons have readable names", "[retry]") {
  CHECK(std::string(to_string(GiveUpReason::NotRetryable)) == "not retryable");
  CHECK(std::string(to_string(GiveUpReason::Exhausted)) == "attempts exhausted");
  CHECK(std::string(to_string(GiveUpReason::RetryAfterTooLong)) ==
        "Retry-After longer than max_wait");
  CHECK(std::string(to_string(GiveUpReason::DeadlineReached)) == "total deadline reached");
}

TEST_CASE("config() returns the configuration given", "[retry]") {
  const RetryPolicy p = policy(config(7));
  CHECK(p.config().max_attempts == 7);
}
