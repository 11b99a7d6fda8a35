// The report of a load run: the text a person reads (the default) or one JSON document
// (--output json) with the same figures. Rates count completed round trips only: refusals
// that sent nothing (open breaker, full bulkhead) and requests cancelled at the deadline are
// counted, but not as traffic, and their latencies stay out of the round trips'.
#pragma once

#include <optional>
#include <string>

#include <rhc/stats.hpp>

#include "load_driver.hpp"
#include "load_tally.hpp"

namespace rhc::probe {

struct LoadReport {
  // What was asked for.
  std::string method;
  std::string url;
  LoadLimits limits;
  bool resilience = false;
  std::optional<double> max_error_share;  // --max-errors, as a share in [0, 1]
  // What happened.
  LoadRun run;
  LoadFigures figures;
  rhc::ClientStats stats;

  // Errors (completed requests without a 2xx or 3xx response) per completed request; 0 when
  // none completed.
  double error_share() const;
  // --max-errors was given and the error share is above it, or no request completed at all
  // (a run that proved nothing does not pass).
  bool over_error_limit() const;
  double round_trips_per_second() const;
  double served_per_second() const;
};

// To stdout.
void print_load_text(const LoadReport& report);
// One line, without a newline.
std::string load_report_json(const LoadReport& report);

}  // namespace rhc::probe
