// AdaptiveLimit: how many attempts one authority may have in flight, found by loss-based
// AIMD (BulkheadConfig::adaptive). It only keeps the books: the chain asks whether a request
// may start and reports outcomes; the bulkhead's max_concurrency stays the ceiling and its
// FIFO line holds whoever has no room.
//
//   AdaptiveLimit limit(config.bulkhead.adaptive, config.bulkhead.max_concurrency);
//   if (!limit.has_room(in_flight, now)) wait in the bulkhead's line (arm a timer for
//                                         *limit.hold_end() while held(now))
//   attempt.generation = limit.generation();   // as the attempt starts
//   ...outcome: if (it is a drop) limit.on_drop(attempt.generation);
//               else limit.on_success(in_flight);
//   ...a Retry-After (<= max_wait) from the authority: limit.hold_until(now + delay)
//
// What is a drop is the chain's call, by this rule: a 429 or 503 response
// (is_drop_status()), a client-side timeout of the attempt, a connect failure, or an attempt
// whose duration exceeds latency_threshold (is_slow()). Anything else that completes is a
// success; an attempt the caller cancelled is neither and is not reported.
//
// Semantics, exactly:
// - limit() starts at initial_limit and always stays in [min_limit, ceiling]; a config whose
//   values disagree with the ceiling (min_limit or initial_limit above it) is clamped to it.
// - A cut sets limit = max(min_limit, floor(limit * backoff_ratio)), the floor taken of the
//   decimal product (a relative 1e-12 tolerance absorbs binary rounding: 100 * 0.57 is 57,
//   not 56) and never above limit - 1. From 20 at 0.9, drops cut to 18, 16, 14, 12, 10, 9,
//   8, 7, 6, 5, 4, 3, 2, 1, 1.
// - At most once per round trip: each honoured drop starts a new generation, and a drop
//   counts only if its attempt started in the current generation. A drop at min_limit is
//   honoured too (the limit stays, the generation advances, counters().cuts counts it), so
//   the other drops of that round trip cannot cut the limit after successes raised it again.
// - Additive increase of 1 per round trip in which the limit was used, as TCP's congestion
//   avoidance does it: a success counts iff 2 * in_flight >= limit, with in_flight the
//   number of attempts to the authority still running when the outcome arrives, the
//   completing one included (integers, no rounding: at limit 5, in_flight 3 counts, 2 not);
//   each counting success adds 1/limit, and the limit grows by 1, up to the ceiling, once
//   they add up to 1 (at a limit of 20: after 20 counting successes). A cut forgets the
//   partial growth. (Production.md section 6 reads "a success ... adds 1"; applied per
//   success, growth outruns a cut taken once per round trip: against a server of capacity
//   20 the limit climbed to the ceiling of 50 and sat at 45, with 56 % of attempts dropped.
//   Per round trip it settles at 18-21 with under 2 % dropped: test/unit/policy/
//   adaptive_limit_test.cpp, the simulation.)
// - A hold blocks new admissions while now < hold_end() (at exactly hold_end() it is over).
//   The later of two holds wins; an earlier one never shortens it.
//
// Loop thread only; not thread-safe. No clock reads: `now` is given.
#pragma once

#include <cstdint>
#include <optional>

#include <rhc/config.hpp>

#include "base/clock.hpp"

namespace rhc::detail {

class AdaptiveLimit {
 public:
  using Generation = std::uint64_t;

  struct Counters {
    std::uint64_t cuts = 0;         // honoured drops (including those at min_limit)
    std::uint64_t stale_drops = 0;  // drops ignored: their attempt started before a cut
    std::uint64_t increases = 0;    // times the limit grew by 1
  };

  // `ceiling` is the bulkhead's max_concurrency (taken as at least 1). config is taken as
  // validated (min_limit >= 1, initial_limit >= min_limit, backoff_ratio in [0.5, 1));
  // values outside those ranges are clamped, never trusted. config.enabled is not read: the
  // chain builds an AdaptiveLimit only when it is on.
  AdaptiveLimit(const AdaptiveLimitConfig& config, int ceiling);

  int limit() const { return limit_; }
  int min_limit() const { return min_limit_; }
  int ceiling() const { return ceiling_; }

  // The current round trip. An attempt records it as it starts and hands it to on_drop().
  Generation generation() const { return generation_; }

  // True iff no hold is in force at `now` and in_flight < limit().
  bool has_room(int in_flight, TimePoint now) const { return !held(now) && in_flight < limit_; }

  // A drop from an attempt that started in generation `started`. Returns true if honoured:
  // `started` is the current generation, so the limit is cut (or stays at min_limit) and a
  // new generation begins. Otherwise (the attempt started before the last cut) changes
  // nothing but stale_drops and returns false.
  bool on_drop(Generation started);

  // A success; in_flight as in the rule above. Returns true if the limit grew.
  bool on_success(int in_flight);

  // Holds new admissions until `end` (a Retry-After), unless a later hold is in force.
  void hold_until(TimePoint end);
  // True iff a hold is in force: now < hold_end().
  bool held(TimePoint now) const { return hold_end_.has_value() && now < *hold_end_; }
  // The end of the latest hold ever set, possibly already past; nullopt if none was.
  std::optional<TimePoint> hold_end() const { return hold_end_; }

  // 429 Too Many Requests and 503 Service Unavailable: the server says it is overloaded.
  static bool is_drop_status(int http_status) { return http_status == 429 || http_status == 503; }
  // True iff latency_threshold is on (> 0) and the attempt took strictly longer.
  bool is_slow(Duration attempt_duration) const {
    return latency_threshold_ > Duration::zero() && attempt_duration > latency_threshold_;
  }

  const Counters& counters() const { return counters_; }

 private:
  int ceiling_;
  int min_limit_;
  double backoff_ratio_;
  Duration latency_threshold_;
  int limit_;
  double growth_ = 0.0;  // counting successes since the last step, each worth 1 / limit
  Generation generation_ = 0;
  std::optional<TimePoint> hold_end_;
  Counters counters_;
};

}  // namespace rhc::detail
