// `rhc-probe load URL [-n N] [-z DURATION] [-c N] [-q RATE] [curl's request options]`: a
// bounded load run, closed loop or at a fixed rate (load_driver.hpp), with the resilience
// chain off unless --resilience (load_resilience.hpp), and a report of statuses, latencies
// and outcomes (load_report.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <rhc/config.hpp>

#include "request_spec.hpp"

namespace rhc::probe {

// Exit code of `rhc-probe load` when the error share is above --max-errors.
inline constexpr int kExitTooManyErrors = 1;

struct LoadArgs {
  std::string url;
  RequestSpec request;  // -X, -H, -d, --data-binary, --json, -u
  int concurrency = 16;
  std::uint64_t requests = 0;  // -n; > 0: stop after this many (scheduled slots with -q)
  double duration_s = 0;       // -z; > 0: stop by then, cancelling what still runs
  double rate = 0;             // -q; > 0: open loop, requests per second
  bool resilience = false;     // the configured retry, breaker, bulkhead and hedging apply
  std::optional<double> max_error_share;  // --max-errors, as a share in [0, 1]
  bool json_output = false;
  // After the summary, the client's stats() (stats_report.hpp): on stdout, or on stderr
  // with json_output so that stdout stays one JSON document.
  bool stats = false;
  // Non-empty: rhc::to_prometheus(stats()) is written to this file after the run ("-":
  // stdout). The file is opened before the run, so a bad path fails at once.
  std::string prometheus_file;
};

// Returns 0 if the run completed (and the error share is within --max-errors, when given),
// kExitTooManyErrors if it is not, 2 on bad arguments or configuration (a --prometheus file
// that cannot be opened too), 6 if the Prometheus text could not be written.
int run_load(const rhc::ClientConfig& config, const LoadArgs& args);

}  // namespace rhc::probe
