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
};

// Returns 0 if the run completed (whatever the outcomes), 2 on bad arguments.
int run_load(const rhc::ClientConfig& config, const LoadArgs& args);

}  // namespace rhc::probe
