// A snapshot of what a client has done and where it stands: ResilientClient::stats().
// Counters count from the client's creation; gauges (in use, waiting, in flight, states) are
// their values at the snapshot. docs/observability.md says what each figure means.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <rhc/circuit_state.hpp>
#include <rhc/export.hpp>

namespace rhc {

// Durations of logical requests (from the call to the outcome, retries and waits included),
// in fixed buckets: counts[i] requests took at most upper_bounds[i] seconds and more than the
// bound before it; the last count (counts.size() == upper_bounds.size() + 1) is above every
// bound.
struct RHC_EXPORT LatencyHistogram {
  std::vector<double> upper_bounds;
  std::vector<std::uint64_t> counts;
  std::uint64_t count = 0;  // the sum of counts
  double sum = 0;           // seconds, all requests together

  // An estimate of the q-quantile (0 < q <= 1) in seconds, interpolated inside its bucket
  // as Prometheus's histogram_quantile() does; 0 when empty. Above the highest bound, that
  // bound. q outside is clamped: q <= 0 gives the lowest non-empty bucket's lower bound.
  double quantile(double q) const;
};

// One authority ("scheme://host:port") the client has called. An authority idle for ten
// minutes whose breaker is closed may be forgotten, and its counters with it (a counter
// reset, as Prometheus understands it).
struct RHC_EXPORT AuthorityStats {
  std::string authority;
  CircuitState breaker_state = CircuitState::Closed;  // of the breaker that judges it
  int in_flight = 0;                                  // its requests holding a bulkhead slot now
  int concurrency_limit = 0;   // its adaptive limit; 0 with bulkhead.adaptive off
  std::uint64_t requests = 0;  // requests that ended
  std::uint64_t successes = 0;
  std::uint64_t failures = 0;
  std::uint64_t attempts = 0;
  std::uint64_t retries = 0;
  std::uint64_t hedges = 0;
  std::uint64_t retry_budget_exhausted = 0;  // retries (and hedges) the budget refused
  std::uint64_t breaker_rejections = 0;
};

struct RHC_EXPORT ClientStats {
  // Logical requests that ended, and how: requests == successes + failures (a request in
  // progress is in none of them).
  std::uint64_t requests = 0;
  std::uint64_t successes = 0;
  std::uint64_t failures = 0;
  std::map<std::string, std::uint64_t> failures_by_error;  // "ServerError" -> count
  std::uint64_t attempts = 0;                // sends to the transport (re-sends on a dead
                                             // connection included)
  std::uint64_t retries = 0;                 // retries scheduled
  std::uint64_t retries_suppressed = 0;      // retryable failures not retried, any reason
  std::uint64_t retry_budget_exhausted = 0;  // ... of which the retry budget refused
  std::uint64_t hedges = 0;
  std::uint64_t breaker_rejections = 0;  // requests an open breaker refused
  int bulkhead_capacity = 0;
  int bulkhead_in_use = 0;
  int bulkhead_waiting = 0;
  std::uint64_t bulkhead_rejected = 0;  // no slot within acquisition_timeout
  std::uint64_t in_progress = 0;        // requests accepted and not yet ended
  std::uint64_t events_dropped = 0;     // events a full queue could not take (events.hpp)
  LatencyHistogram request_duration;
  std::vector<AuthorityStats> authorities;  // sorted by authority
};

}  // namespace rhc
