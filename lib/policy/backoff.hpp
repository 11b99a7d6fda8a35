// Backoff: the pure math of how long to wait before a retry. No clock, no state; the random
// source is injected so tests pin every draw.
//
//   RetryConfig c;                                  // min 1 s, max 60 s, x2, jitter
//   backoff_base(c, 1) == 1s; backoff_base(c, 3) == 4s; backoff_base(c, 40) == 60s
//   backoff_wait(c, 3, random)                      // uniform in [1 s, 4 s]
#pragma once

#include <functional>

#include <rhc/config.hpp>

#include "base/clock.hpp"

namespace rhc::detail {

// Returns a uniform double in [0, 1). Called only on the event-loop thread.
using UniformRandom = std::function<double()>;

// A std::mt19937_64 seeded once from std::random_device. One per client; the returned
// callable (and its copies, which share one engine) must be used from one thread at a time.
UniformRandom make_default_random();

// Wait before retry k (k = 1 for the first retry; k < 1 is treated as 1), without jitter:
// min(max_wait, min_wait * multiplier^(k-1)). Never overflows: any k, however large, gives
// at most max_wait. A non-finite or negative result (only from an invalid config) gives 0.
Duration backoff_base(const RetryConfig& config, int retry_k);

// The wait actually used: with config.jitter, min_wait + r * (base - min_wait) with r =
// random(), so uniform in [min_wait, base] (clamped to that range whatever random returns);
// without jitter (or with an empty random), base and random is not called.
Duration backoff_wait(const RetryConfig& config, int retry_k, const UniformRandom& random);

// Seconds (double) to Duration, rounded to the nearest tick and saturated to
// [0, kMaxPolicyWait] so that `now + wait` can never overflow a TimePoint.
Duration seconds_to_wait(double seconds);

// The longest wait a policy ever returns: 100 years, far beyond any sane max_wait, and far
// enough from Duration::max() that steady-clock arithmetic stays safe.
inline constexpr Duration kMaxPolicyWait = kMaxDuration;

}  // namespace rhc::detail
