// One cell of the retry-storm table: a fresh rhc client sends `requests` GETs, `concurrency`
// at a time, and reports what it saw. The server side (attempts that arrived) is the
// caller's: run_cell() knows only the client.
#pragma once

#include <string>

#include <rhc/config.hpp>

namespace rhc::bench::storm {

struct CellPlan {
  std::string base_url;  // "http://127.0.0.1:PORT"
  std::string path = "/msg";
  long requests = 4000;
  int concurrency = 32;
  RetryConfig retry;  // the cell's retry settings, budget on or off
};

struct CellResult {
  long requests = 0;
  long succeeded = 0;        // 200 with a body
  long budget_refusals = 0;  // failures whose what() says "retry budget exhausted"
  long other_errors = 0;     // failures that are not rhc::Error (none expected)
  long attempts = 0;         // Response::attempts and Error::attempts(), summed
  double wall_s = 0;         // first request issued to last callback run
};

// Blocks until every request has completed. The client is made for this cell only (so its
// per-authority retry budget starts empty), with the circuit breaker out of the way
// (consecutive mode, failure_threshold at its maximum), a fixed bulkhead of `concurrency`
// slots, and logging at ERROR (a refused retry logs a WARNING per request).
CellResult run_cell(const CellPlan& plan);

}  // namespace rhc::bench::storm
