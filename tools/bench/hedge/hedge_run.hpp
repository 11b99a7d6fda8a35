// One measured run of the hedging scenario: a fresh in-process test server that slows a
// share of /msg requests, a fresh client with the variant's hedging, and a closed loop of
// `concurrency` callers that send `requests` GETs in all. Each request is timed from the call
// to its callback.
#pragma once

#include <cstdint>
#include <vector>

#include <rhc/stats.hpp>
#include <test_server/fault.hpp>
#include <test_server/stats.hpp>

#include "hedge_log.hpp"
#include "variant.hpp"

namespace rhc::bench::hedge {

struct RunPlan {
  Variant variant;
  long requests = 20000;
  int concurrency = 32;
  test_server::Slowness slowness;  // applied to every attempt, hedges included, unless it
                                   // says first_attempt_only
};

struct RunResult {
  std::vector<double> latency_ms;  // per request, in the order they were issued
  long failed = 0;                 // requests that ended with an error (none expected)
  double wall_s = 0;               // first request issued to the last callback
  ClientStats client;              // after close()
  test_server::Stats server;       // after the client closed
  HedgeFacts hedges;
};

// Blocks until every request has completed and the client has closed.
RunResult run_hedge(const RunPlan& plan);

}  // namespace rhc::bench::hedge
