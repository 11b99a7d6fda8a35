#include "load_command.hpp"

#include <stdexcept>

#include "cli_units.hpp"
#include "request_flags.hpp"

namespace rhc::probe {
namespace {

constexpr const char* kLoadFooter =
    R"(Without -q the loop is closed: -c requests are in flight, each outcome sends the next.
With -q RATE it is open: requests are due at fixed times, RATE per second, and latency
runs from each one's scheduled time, so a stall of the client or the server shows in the
latencies (no coordinated omission). A due request that finds -c requests in flight is not
sent: the report counts it as a skipped slot; one sent over 1 ms late counts as late.

The run ends after -n requests (scheduled slots with -q) or at the -z deadline, whichever
comes first. The deadline is hard: requests still running then are cancelled and counted
as "cancelled at deadline", neither errors nor successes.

Without --resilience each request is one attempt: no retries, no hedging, a breaker that
never opens, no bulkhead limit (-c bounds what is in flight), so req/s counts real round
trips. With --resilience the configuration applies as given (--config, RHC_* variables,
rhc's defaults), bulkhead included, and the report splits the requests by outcome: served
first try, served after retries, refused by the open breaker, refused by the bulkhead,
failed, each with its own latency percentiles.

The report: requests, round trips per second, errors (requests without a 2xx or 3xx
response, refusals included; cancelled ones excluded), the status-code histogram (an error
class for a failure without a response), latency percentiles p50 to p99.9 and max with a
histogram, outcomes, attempts, each authority's breaker. --output json: one JSON document.

Exit codes (rhc-probe load):
  0    the run completed, and the error share is within --max-errors (if given)
  1    the error share is above --max-errors, or no request completed with it given
  2    bad arguments, options or configuration; a --prometheus file it cannot open
  6    writing the Prometheus text failed

Examples:
  rhc-probe load http://127.0.0.1:8000/msg -c 32 -z 30s
  rhc-probe load http://127.0.0.1:8000/msg -q 500 -z 1m -c 64 --max-errors 0.1%
  rhc-probe load http://127.0.0.1:8000/msg -X POST -H 'Content-Type: application/json' \
      --data-binary @body.json -n 10000 --output json
  rhc-probe load http://127.0.0.1:8000/msg -z 10s --resilience --config client.json)";

// A CLI11 check from one of cli_units' parsers: its message names what was expected. No
// description of its own: the option's type name says it.
CLI::Validator parses_as(double (*parse)(const std::string&)) {
  return CLI::Validator(
      [parse](std::string& value) -> std::string {
        try {
          parse(value);
          return "";
        } catch (const std::invalid_argument& bad) {
          return bad.what();
        }
      },
      "");
}

}  // namespace

CLI::App* add_load_command(CLI::App& app, LoadArgs& load, Overrides& overrides,
                           std::string& config_file, std::string& output, bool& stats) {
  auto* cmd = app.add_subcommand(
      "load", "a bounded load run, closed loop or at a fixed rate; statuses, latencies, outcomes");
  cmd->footer(kLoadFooter);
  cmd->add_option("url", load.url, "URL to request")->required();
  one_value(cmd->add_option("-c,--concurrency", load.concurrency,
                            "requests in flight (with -q: at most this many)")
                ->check(CLI::Range(1, 100000))
                ->capture_default_str());
  one_value(cmd->add_option("-n,--requests", load.requests,
                            "stop after N requests (with -q: N scheduled slots)")
                ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40)));
  one_value(cmd->add_option_function<std::string>(
                   "-z,--duration",
                   [&load](const std::string& v) { load.duration_s = parse_duration_seconds(v); },
                   "stop by then, cancelling what still runs: 500ms, 10s, 2m, 1h (a bare "
                   "number is seconds)")
                ->type_name("DURATION")
                ->check(parses_as(parse_duration_seconds)));
  one_value(cmd->add_option("-q,--rate", load.rate,
                            "open loop: send RATE requests per second, on schedule")
                ->type_name("RATE")
                ->check(CLI::Range(0.001, 1e6)));
  add_request_flags(*cmd, load.request);
  add_connection_flags(*cmd, overrides);
  cmd->add_flag("--resilience", load.resilience,
                "send through the configured retry, circuit breaker, bulkhead and hedging "
                "(off by default: one attempt per request)");
  one_value(cmd->add_option_function<std::string>(
                   "--max-errors",
                   [&load](const std::string& v) { load.max_error_share = parse_percentage(v); },
                   "exit 1 when errors exceed this share of the completed requests: a "
                   "percentage with its sign, 1% or 0.5%")
                ->type_name("PCT")
                ->check(parses_as(parse_percentage)));
  cmd->add_option("--output", output, "text or json (one JSON document on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--config", config_file, "client configuration, JSON (docs/configuration.md)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--stats", stats,
                "after the run, print the client's stats() (stdout; stderr with --output json)");
  cmd->add_option("--prometheus", load.prometheus_file,
                  "after the run, write the client's stats as Prometheus text to FILE ('-': "
                  "stdout)")
      ->type_name("FILE");
  return cmd;
}

}  // namespace rhc::probe
