// RetryBudget: how many retries one authority may take, as a share of its first attempts
// over a sliding window, plus a fixed reserve (the rule of Finagle's and gRPC's retry
// budgets; docs/retry.md "Retry budget"). Without it, a full outage multiplies the load on
// the dead server by max_attempts, for every caller at once.
//
//   RetryBudget budget(config.retry.budget);
//   budget.record_first_attempt(now);          // each logical request's first attempt
//   if (!budget.try_charge_retry(now)) surface the attempt's error: "retry budget exhausted"
//
// A retry may be charged while, over the window,
//   retries < min_retries_per_second * window + ratio * first_attempts.
// Events are counted in 1 s buckets: an event in second s (of the clock's epoch) counts until
// the clock reaches s + ceil(window). Loop thread only; no clock reads (`now` is given).
#pragma once

#include <cstdint>
#include <vector>

#include <rhc/config.hpp>

#include "base/clock.hpp"

namespace rhc::detail {

class RetryBudget {
 public:
  // config is taken as validated (window in [1, 60] s).
  explicit RetryBudget(const RetryBudgetConfig& config);

  void record_first_attempt(TimePoint now);
  // Counts the retry and returns true if the budget allows it; else changes nothing.
  // Always true when the budget is disabled.
  bool try_charge_retry(TimePoint now);

  struct Totals {
    std::uint64_t first_attempts = 0;
    std::uint64_t retries = 0;
  };
  // What the window holds as of `now`.
  Totals in_window(TimePoint now) const;
  // The retries the window allows as of `now` (fractional: compared with <).
  double allowance(TimePoint now) const;

  bool enabled() const { return enabled_; }

 private:
  struct Bucket {
    std::int64_t second = -1;  // which second of the clock's epoch it counts; -1: unused
    std::uint32_t first_attempts = 0;
    std::uint32_t retries = 0;
  };
  static std::int64_t second_of(TimePoint now);
  Bucket& bucket_for(TimePoint now);

  bool enabled_;
  double ratio_;
  double reserve_;  // min_retries_per_second * window
  std::vector<Bucket> buckets_;
};

}  // namespace rhc::detail
