// `rhc-probe load URL -c N (-n REQUESTS | -d SECONDS)`: a bounded closed-loop load run
// through the whole policy chain, with live progress and a latency/outcome report.
#pragma once

#include <string>

#include <rhc/config.hpp>

namespace rhc::probe {

struct LoadArgs {
  std::string url;
  int concurrency = 16;
  long requests = 0;      // > 0: stop after this many
  double duration_s = 0;  // > 0: stop after this long
  bool json_output = false;
  // After the summary, the client's stats() (stats_report.hpp): on stdout, or on stderr
  // with json_output so that stdout stays one JSON line.
  bool stats = false;
  // Non-empty: rhc::to_prometheus(stats()) is written to this file after the run ("-":
  // stdout). The file is opened before the run, so a bad path fails at once.
  std::string prometheus_file;
};

// Returns 0 if the run completed (whatever the outcomes), 2 on bad arguments (a --prometheus
// file that cannot be opened too), 6 if the Prometheus text could not be written.
int run_load(const rhc::ClientConfig& config, const LoadArgs& args);

}  // namespace rhc::probe
