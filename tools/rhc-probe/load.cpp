#include "load.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include <rhc/metrics.hpp>
#include <rhc/rhc.hpp>

#include "load_driver.hpp"
#include "load_progress.hpp"
#include "load_report.hpp"
#include "load_resilience.hpp"
#include "load_tally.hpp"
#include "outcome_class.hpp"
#include "stats_report.hpp"

namespace rhc::probe {
namespace {

int usage(const std::string& what) {
  std::cerr << "rhc-probe load: " << what << "\n";
  return kExitUsage;
}

// After the report: the Prometheus text, to the file opened before the run or to stdout.
bool write_prometheus(const rhc::ClientStats& stats, const std::string& file,
                      std::ofstream& opened) {
  std::ostream& out = file == "-" ? std::cout : opened;
  out << rhc::to_prometheus(stats);
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace

int run_load(const rhc::ClientConfig& base_config, const LoadArgs& args) {
  if (args.concurrency < 1) return usage("-c must be at least 1");
  if (args.requests == 0 && args.duration_s <= 0) {
    return usage("give -n REQUESTS, -z DURATION or both: a run needs an end");
  }
  PreparedRequest request;
  try {
    request = prepare_request(args.request);
  } catch (const rhc::ConfigError& e) {
    return usage(e.what());
  }
  // Opened before the run: a typo in the path must not cost the whole run.
  std::ofstream prometheus_out;
  if (!args.prometheus_file.empty() && args.prometheus_file != "-") {
    prometheus_out.open(args.prometheus_file, std::ios::out | std::ios::trunc);
    if (!prometheus_out) {
      return usage("cannot write --prometheus file '" + args.prometheus_file +
                   "': " + std::strerror(errno));
    }
  }
  std::unique_ptr<rhc::ResilientClient> client;
  try {
    client = rhc::create_resilient_client(args.resilience ? base_config
                                                          : without_resilience(base_config));
  } catch (const rhc::ConfigError& e) {
    return usage(e.what());
  }

  LoadReport report;
  report.method = request.method;
  report.url = args.url;
  report.limits = {args.concurrency, args.requests, args.duration_s, args.rate};
  report.resilience = args.resilience;
  report.max_error_share = args.max_error_share;

  LoadTally tally;
  const LoadProgressLine progress(args.requests, args.duration_s);
  report.run = drive_load(*client, args.url, request, report.limits, tally, progress.period(),
                          [&](double elapsed_s) { progress.draw(tally.completed(), elapsed_s); });
  progress.finish();
  const std::string config_error = tally.config_error();
  if (!config_error.empty()) return usage(config_error);
  report.figures = tally.figures();
  // The client is closed: every request of the run is in the figures, none is in flight.
  report.stats = client->stats();

  if (args.json_output) {
    std::cout << load_report_json(report) << "\n";
  } else {
    print_load_text(report);
  }
  std::cout.flush();
  if (args.stats) {
    const std::string text = stats_report(report.stats);
    if (args.json_output) {
      std::cerr << text;
    } else {
      std::cout << "\n" << text;
    }
  }
  if (!args.prometheus_file.empty() &&
      !write_prometheus(report.stats, args.prometheus_file, prometheus_out)) {
    std::cerr << "rhc-probe load: writing the Prometheus text to '" << args.prometheus_file
              << "' failed\n";
    return kExitOther;
  }
  if (report.over_error_limit()) {
    if (report.figures.completed() == 0) {
      std::cerr << "rhc-probe load: no request completed, so --max-errors cannot pass\n";
    } else {
      std::cerr << "rhc-probe load: " << report.figures.errors() << " errors in "
                << report.figures.completed() << " requests, above --max-errors\n";
    }
    return kExitTooManyErrors;
  }
  return kExitSuccess;
}

}  // namespace rhc::probe
