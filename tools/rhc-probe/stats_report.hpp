// `--stats`: a client's ClientStats snapshot (<rhc/stats.hpp>) as lines for a person to read,
// in the label column of rhc-probe's other reports.
#pragma once

#include <string>

#include <rhc/stats.hpp>

namespace rhc::probe {

// Totals, request durations, then two lines per authority; a real run:
//
//   requests    1 (successes 1, failures 0)
//   attempts    2
//   retries     1 (suppressed 0, of them by budget 0)
//   breaker     rejected 0
//   bulkhead    capacity 50, in use 0, waiting 0, rejected 0
//   events      dropped 0
//   duration ms p50 1750.00  p90 2350.00  p99 2485.00  mean 1002.91  (percentiles: ...)
//   authority   http://127.0.0.1:36087
//     breaker CLOSED (rejected 0), in flight 0
//     requests 1, attempts 2, failures 0, retries 1, budget exhausted 0
//
// "failures" (by error class), "in progress" and an authority's concurrency limit appear
// only when there is something to show.
std::string stats_report(const rhc::ClientStats& stats);

}  // namespace rhc::probe
