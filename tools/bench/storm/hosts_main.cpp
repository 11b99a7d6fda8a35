// rhc-bench-hosts: issue #14's per-host policies, measured against in-process test servers.
//   overload   one server that runs K requests at once and answers 503 beyond, a closed loop
//              of many more callers: the fixed bulkhead beside the adaptive limit
//   dead-host  two servers, one answering 500 to everything: the circuit breaker per
//              authority beside one breaker for the whole client
// Both read what the public API does not show (the adaptive limit, the exact order of breaker
// transitions and attempts) from rhc's own DEBUG log lines, through a glog sink.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <rhc/rhc.hpp>

#include "dead_host.hpp"
#include "log_tap.hpp"
#include "overload.hpp"

int main(int argc, char** argv) {
  namespace storm = rhc::bench::storm;
  storm::OverloadPlan overload;
  storm::DeadHostPlan dead_host;
  std::vector<std::string> scenarios{"overload", "dead-host"};
  int overload_seconds = 12;
  int dead_host_seconds = 10;
  int recovery_ms = 2000;

  CLI::App app{
      "Per-host policies: the adaptive concurrency limit against an overloaded server, and the "
      "circuit breaker per authority with one of two servers dead"};
  app.set_version_flag("--version", rhc::version_details());
  app.add_option("--scenario", scenarios, "which scenarios, in this order")
      ->check(CLI::IsMember({"overload", "dead-host"}))
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--callers", overload.callers, "overload: callers in the closed loop")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--capacity", overload.capacity, "overload: K, the server's handlers at once")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--delay-ms", overload.delay_ms, "overload: each accepted request's handler time")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--overload-seconds", overload_seconds, "overload: seconds per cell")
      ->check(CLI::Range(6, 60))
      ->capture_default_str();
  app.add_option("--initial-limits", overload.more_initial_limits,
                 "overload: adaptive cells beyond the default, each from this initial_limit")
      ->check(CLI::PositiveNumber)
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--timeline", overload.timeline_csv, "overload: write the 100 ms samples here");
  app.add_option("--dead-callers", dead_host.callers, "dead-host: callers in the closed loop")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--dead-seconds", dead_host_seconds, "dead-host: seconds per cell")
      ->check(CLI::Range(1, 60))
      ->capture_default_str();
  app.add_option("--recovery-ms", recovery_ms, "dead-host: the breaker's recovery_timeout")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--dead-attempts", dead_host.max_attempts,
                 "dead-host: max_attempts values, a pair of cells (authority, client) for each")
      ->check(CLI::PositiveNumber)
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--seed", dead_host.seed, "dead-host: the callers' picks")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  overload.duration = std::chrono::seconds(overload_seconds);
  dead_host.duration = std::chrono::seconds(dead_host_seconds);
  dead_host.recovery_timeout = std::chrono::milliseconds(recovery_ms);

  storm::init_quiet_glog(argv[0]);
  try {
    std::printf("# rhc-bench-hosts (%s)\n", rhc::version_details().c_str());
    for (const std::string& s : scenarios) {
      if (s == "overload") storm::run_overload(overload);
      if (s == "dead-host") storm::run_dead_host(dead_host);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rhc-bench-hosts: %s\n", e.what());
    return 1;
  }
  return 0;
}
