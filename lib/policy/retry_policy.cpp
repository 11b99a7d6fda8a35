#include "policy/retry_policy.hpp"

#include <utility>

namespace rhc::detail {

const char* to_string(GiveUpReason reason) {
  switch (reason) {
    case GiveUpReason::NotRetryable:
      return "not retryable";
    case GiveUpReason::Exhausted:
      return "attempts exhausted";
    case GiveUpReason::RetryAfterTooLong:
      return "Retry-After longer than max_wait";
    case GiveUpReason::DeadlineReached:
      return "total deadline reached";
  }
  return "unknown";
}

RetryPolicy::RetryPolicy(RetryConfig config, UniformRandom random)
    : config_(std::move(config)),
      random_(std::move(random)),
      max_wait_(seconds_to_wait(config_.max_wait.count())) {}

RetryDecision RetryPolicy::decide(int attempts_made, int max_attempts, bool retryable,
                                  std::optional<Duration> retry_after,
                                  std::optional<TimePoint> deadline, TimePoint now) const {
  const auto give_up = [](GiveUpReason reason) { return RetryDecision{false, {}, reason}; };
  if (!retryable) return give_up(GiveUpReason::NotRetryable);
  if (attempts_made >= max_attempts) return give_up(GiveUpReason::Exhausted);
  if (retry_after && *retry_after > max_wait_) return give_up(GiveUpReason::RetryAfterTooLong);

  Duration wait = backoff_wait(config_, attempts_made, random_);
  if (retry_after && *retry_after > wait) wait = *retry_after;
  // Compared as "wait >= deadline - now" so that a huge wait cannot overflow now + wait.
  if (deadline && (now >= *deadline || wait >= *deadline - now)) {
    return give_up(GiveUpReason::DeadlineReached);
  }
  return RetryDecision{true, wait, {}};
}

}  // namespace rhc::detail
