// The numbers one run is reported by: latency percentiles, throughput, attempts, hedges, what
// the server counted, and the hedges' delays (the adaptive delay as the timer applied it).
#pragma once

#include <vector>

#include "hedge_run.hpp"

namespace rhc::bench::hedge {

struct Figures {
  double p50_ms = 0, p90_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
  double requests_per_s = 0;
  double requests = 0;
  double failed = 0;
  double attempts_per_request = 0;  // ClientStats::attempts / requests
  double extra_attempts_percent = 0;
  double hedges = 0;              // ClientStats::hedges
  double failure_hedges = 0;      // of which started because an attempt failed
  double budget_refused = 0;      // ClientStats::retry_budget_exhausted (hedges refused)
  double retries = 0;             // ClientStats::retries
  double server_requests = 0;     // /msg attempts that reached the server's handler
  double server_slowed = 0;       // of which Slowness delayed
  double server_client_gone = 0;  // of which the client had left (the losers)
  double warm_up_hedges = 0;      // timer hedges before min_samples successful attempts
  double warm_up_delay_ms = 0;    // their median delay (the floor, plus timer lateness)
  double later_delay_p50_ms = 0;  // the later timer hedges' delay: median
  double later_delay_p90_ms = 0;  //   and 90th percentile
  double cold_p50_ms = 0;         // the first `concurrency` requests' median latency: each
                                  // opened a connection to a cold server
  double success_p95_ms = 0;      // p95 of every successful attempt's time on the
                                  // transport (what the tracker's quantile estimates)
  double events_dropped = 0;
};

// The q-quantile (0 < q <= 1) of `values` by nearest rank; 0 when empty. Sorts a copy.
double quantile(std::vector<double> values, double q);

// `concurrency`: the run's, to tell the first requests (one per caller) from the rest.
Figures figures_of(const RunResult& run, int concurrency);

}  // namespace rhc::bench::hedge
