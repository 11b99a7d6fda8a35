// RetryPolicy: after an attempt fails, decides whether to try again and how long to wait.
// It does not wait, classify outcomes or read a clock: the chain tells it what happened and
// when, and arms a loop timer for the wait it returns.
//
//   RetryPolicy policy(config.retry, make_default_random());
//   RetryDecision d = policy.decide(attempts, retryable, retry_after, deadline, now);
//   if (d.retry) arm_timer(now + d.wait); else surface the last attempt's error
#pragma once

#include <optional>

#include <rhc/config.hpp>

#include "base/clock.hpp"
#include "policy/backoff.hpp"

namespace rhc::detail {

// Why a request stops retrying. Meaningful only when RetryDecision::retry is false.
enum class GiveUpReason {
  NotRetryable,       // the last outcome's class is never retried (4xx, TLS, config, ...)
  Exhausted,          // max_attempts attempts have been made
  RetryAfterTooLong,  // the server's Retry-After exceeds max_wait
  DeadlineReached,    // the wait would end at or past the request's total deadline
};
const char* to_string(GiveUpReason reason);  // "not retryable", "exhausted", ...

struct RetryDecision {
  bool retry = false;
  Duration wait{};        // when retry: how long to wait before the next attempt
  GiveUpReason reason{};  // when !retry: why not
};

class RetryPolicy {
 public:
  // config is taken as validated (ClientConfig::validate); random is used only when
  // config.jitter, and only from the thread calling decide().
  RetryPolicy(RetryConfig config, UniformRandom random);

  // attempts_made (>= 1): attempts made so far for this request, the failed one included.
  // max_attempts (>= 1): this request's limit (RequestOptions::max_attempts, else the
  // config's).
  // retryable: the failed attempt's outcome is of a retryable class (decided by the caller).
  // retry_after: that attempt's parsed Retry-After, passed only for a 429 or 503.
  // deadline: the request's total deadline, if it has one. now: the current loop time.
  // The rules, checked in this order:
  //   1. !retryable                               -> give up, NotRetryable
  //   2. attempts_made >= max_attempts            -> give up, Exhausted
  //   3. retry_after > max_wait                   -> give up, RetryAfterTooLong
  //   4. wait = backoff_wait(k = attempts_made), replaced by retry_after when that is longer
  //   5. deadline && now + wait >= deadline       -> give up, DeadlineReached
  // Rule 5 uses >= on purpose: a retry starting exactly at the deadline has no time left to
  // run and would only turn the last attempt's real error into a total-timeout error.
  // Draws from random at most once per call, and only when rules 1-3 pass.
  // Same thread as the random source (the loop thread).
  RetryDecision decide(int attempts_made, int max_attempts, bool retryable,
                       std::optional<Duration> retry_after, std::optional<TimePoint> deadline,
                       TimePoint now) const;
  // The same, with the config's max_attempts.
  RetryDecision decide(int attempts_made, bool retryable, std::optional<Duration> retry_after,
                       std::optional<TimePoint> deadline, TimePoint now) const {
    return decide(attempts_made, config_.max_attempts, retryable, retry_after, deadline, now);
  }

  const RetryConfig& config() const { return config_; }

 private:
  RetryConfig config_;
  UniformRandom random_;
  Duration max_wait_;
};

}  // namespace rhc::detail
