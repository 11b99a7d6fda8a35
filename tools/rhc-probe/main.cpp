// rhc-probe: what a user touches first. One request through the whole policy chain, a
// guided demo against the embedded failure-injection server, or a bounded load run.
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include <rhc/rhc.hpp>

#include "demo.hpp"
#include "load.hpp"
#include "one_request.hpp"
#include "outcome_class.hpp"

namespace {

constexpr const char* kExitCodes = R"(Exit codes (rhc-probe URL):
  0  success (2xx, or 3xx when redirects are not followed)
  2  bad arguments or configuration (ConfigError)
  3  connection failure, timeout, 408/429/5xx after retries, or circuit open
  4  a 4xx response (APIStatusError: not retried)
  5  no bulkhead slot within acquisition_timeout (PoolTimeoutError)
  6  anything else (cancelled, closed, too many redirects)
rhc-probe demo exits 0 only if every scenario behaved as expected. rhc-probe load exits 0
when the run completed (whatever the outcomes), 2 on bad arguments (a --prometheus file it
cannot open too), 6 when writing the Prometheus text failed.

Configuration: --config FILE.json, else RHC_* environment variables (ClientConfig::from_json,
from_env; every key in docs/configuration.md); flags override both.)";

// --config FILE, else the environment; then the flags that override single fields.
rhc::ClientConfig load_config(const std::string& file, int retries, double timeout) {
  rhc::ClientConfig config;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw rhc::ConfigError("cannot read --config file '" + file + "'");
    std::ostringstream text;
    text << in.rdbuf();
    config = rhc::ClientConfig::from_json(text.str());
  } else {
    config = rhc::ClientConfig::from_env();
  }
  if (retries >= 0) config.retry.max_attempts = retries + 1;
  if (timeout > 0) config.timeout = rhc::TimeoutConfig::all(rhc::Seconds(timeout));
  config.validate();
  return config;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "rhc-probe: exercise an HTTP API through rhc's retry, circuit breaker and "
      "bulkhead"};
  app.set_version_flag("--version", rhc::version_details());
  app.footer(kExitCodes);

  rhc::probe::RequestArgs one;
  std::string config_file;
  int retries = -1;
  double timeout = 0;
  std::string output = "text";
  app.add_option("url", one.url, "URL to request (absolute, or relative to the config's base_url)");
  app.add_option("-X,--method", one.method, "HTTP method")->capture_default_str();
  app.add_option("-H,--header", one.headers, "request header 'Name: value' (repeatable)");
  app.add_option("--json", one.json, "JSON body: text, or @FILE");
  app.add_option("--config", config_file, "client configuration, JSON (docs/configuration.md)")
      ->check(CLI::ExistingFile);
  app.add_option("--retries", retries, "retries after the first attempt (max_attempts - 1)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--timeout", timeout, "connect/read/write/pool timeout in seconds")
      ->check(CLI::PositiveNumber);
  app.add_option("--request-id", one.request_id, "X-Request-ID to send on every attempt");
  app.add_flag("-v,--verbose", one.verbose, "log every retry and state change (DEBUG)");
  app.add_option("--output", output, "text or json (one line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  bool stats = false;
  const char* const kStatsHelp =
      "after the request or run, print the client's stats(): totals, duration "
      "percentiles, per authority (stdout; stderr with --output json)";
  app.add_flag("--stats", stats, kStatsHelp);

  auto* demo = app.add_subcommand(
      "demo",
      "start the embedded failure-injection server and walk through retries, the "
      "circuit breaker, the bulkhead and idempotency");
  bool demo_verbose = false;
  demo->add_flag("-v,--verbose", demo_verbose, "show the client's own log lines");

  rhc::probe::LoadArgs load;
  auto* load_cmd = app.add_subcommand("load", "bounded closed-loop load run, with percentiles");
  load_cmd->add_option("url", load.url, "URL to request")->required();
  load_cmd->add_option("-c,--concurrency", load.concurrency, "requests in flight")
      ->capture_default_str();
  auto* n = load_cmd->add_option("-n,--requests", load.requests, "stop after N requests");
  auto* d = load_cmd->add_option("-d,--duration", load.duration_s, "stop after S seconds");
  n->excludes(d);
  load_cmd->add_option("--output", output, "text or json")->check(CLI::IsMember({"text", "json"}));
  load_cmd->add_option("--config", config_file, "client configuration JSON")
      ->check(CLI::ExistingFile);
  load_cmd->add_flag("--stats", stats, kStatsHelp);
  load_cmd
      ->add_option("--prometheus", load.prometheus_file,
                   "after the run, write the client's stats as Prometheus text to FILE "
                   "('-': stdout)")
      ->type_name("FILE");

  auto* version = app.add_subcommand("version", "print rhc's, libcurl's and OpenSSL's versions");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : rhc::probe::kExitUsage;
  }

  if (version->parsed()) {
    std::cout << rhc::version_details() << "\n";
    return 0;
  }
  if (demo->parsed()) return rhc::probe::run_demo(demo_verbose);

  rhc::ClientConfig config;
  try {
    config = load_config(config_file, retries, timeout);
  } catch (const rhc::ConfigError& e) {
    std::cerr << "rhc-probe: " << e.what() << "\n";
    return rhc::probe::kExitUsage;
  }
  if (load_cmd->parsed()) {
    load.json_output = output == "json";
    load.stats = stats;
    return rhc::probe::run_load(config, load);
  }
  if (one.url.empty()) {
    std::cerr << app.help();
    return rhc::probe::kExitUsage;
  }
  one.json_output = output == "json";
  one.stats = stats;
  return rhc::probe::run_one(config, one);
}
