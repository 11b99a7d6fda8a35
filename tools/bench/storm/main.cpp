// rhc-bench-storm: the retry storm of issue #13, measured. Against the in-process
// failure-injection server, the same closed loop of GETs runs with the retry budget off and
// on, side by side, in three scenarios:
//   outage   every /msg answered 503 without Retry-After: what a dead server receives
//   faults   10 % of /msg answered 503 (fixed seed): what the budget costs when all is well
//   refused  nothing listens on the port: retries of attempts that never reached a server
//            are exempt from the budget, so both columns make every attempt
// The default waits (1 s, doubling, 60 s cap) would make an outage cell without the budget
// last about 20 minutes; unless --real-waits is given they are scaled by 1/100.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "../common/refusing_port.hpp"
#include "cell.hpp"

namespace rhc::bench::storm {
namespace {

struct Options {
  long requests = 4000;
  int concurrency = 32;
  bool real_waits = false;
  std::vector<std::string> scenarios{"outage", "faults", "refused"};
  std::string budget = "both";
  double fault_probability = 0.1;
  std::uint64_t seed = 42;
};

struct Measured {
  CellResult client;
  std::optional<std::uint64_t> server_attempts;  // none when no server answered
};

// One column of a scenario's table; nullopt when the cell was not asked for.
using Column = std::optional<Measured>;

std::string format(const char* fmt, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, fmt, value);
  return buffer;
}

double per_request(double total, const Measured& m) {
  return total / static_cast<double>(std::max(1L, m.client.requests));
}
double success_percent(const Measured& m) {
  return 100.0 * per_request(static_cast<double>(m.client.succeeded), m);
}

void row(const std::string& label, const Column& off, const Column& on,
         std::string (*cell)(const Measured&)) {
  std::printf("| %s | %s | %s |\n", label.c_str(), off ? cell(*off).c_str() : "-",
              on ? cell(*on).c_str() : "-");
}

void print_table(const Column& off, const Column& on) {
  std::printf("| | budget off | budget on |\n|---|---|---|\n");
  row("attempts per request, at the server", off, on, [](const Measured& m) {
    return m.server_attempts
               ? format("%.3f", per_request(static_cast<double>(*m.server_attempts), m))
               : std::string("- (no server)");
  });
  row("attempts per request, as the client counted", off, on, [](const Measured& m) {
    return format("%.3f", per_request(static_cast<double>(m.client.attempts), m));
  });
  row("requests succeeded", off, on, [](const Measured& m) {
    return std::to_string(m.client.succeeded) + " (" + format("%.2f", success_percent(m)) + " %)";
  });
  row("requests the budget cut short", off, on,
      [](const Measured& m) { return std::to_string(m.client.budget_refusals); });
  row("wall time", off, on, [](const Measured& m) { return format("%.2f s", m.client.wall_s); });
  if ((off && off->client.other_errors > 0) || (on && on->client.other_errors > 0)) {
    row("failures that are not rhc::Error", off, on,
        [](const Measured& m) { return std::to_string(m.client.other_errors); });
  }
}

// What the budget lets through over a run of `wall_s` seconds, as attempts per request: at
// most about 1 + ratio + the reserve's share. The reserve (min_retries_per_second * window)
// refills as the window slides, so a run of T seconds gets about min_retries_per_second *
// max(T, window) from it: a longer run allows more retries in total. Returns the share.
double print_estimate(const Measured& on, const RetryConfig& retry) {
  const RetryBudgetConfig& b = retry.budget;
  const double reserve = b.min_retries_per_second * std::max(on.client.wall_s, b.window.count());
  const double share = per_request(reserve, on);
  const double bound = 1 + b.ratio + share;
  std::printf(
      "\nBudget on: the run took %.2f s, so the reserve (%g retries/s over a %g s window) allows "
      "about %g/s x max(%.2f s, %g s) = %.0f retries = %.3f per request; with the ratio, the "
      "budget allows at most about 1 + %g + %.3f = %.3f attempts per request",
      on.client.wall_s, b.min_retries_per_second, b.window.count(), b.min_retries_per_second,
      on.client.wall_s, b.window.count(), reserve, share, b.ratio, share, bound);
  if (bound >= retry.max_attempts) {
    std::printf(", not below max_attempts (%d): the budget need not bind", retry.max_attempts);
  }
  std::printf(".\n");
  return share;
}

class Bench {
 public:
  explicit Bench(const Options& o) : o_(o) {
    server_.start();
    retry_.jitter = true;  // the defaults, said out loud
    if (!o_.real_waits) {
      retry_.min_wait = std::chrono::milliseconds(10);
      retry_.max_wait = std::chrono::milliseconds(600);
    }
  }

  void print_header() const {
    std::printf("# rhc-bench-storm (%s)\n\n", version_details().c_str());
    std::printf("%ld requests per cell, %d in flight, GET %s/msg (in-process test server).\n",
                o_.requests, o_.concurrency, server_.base_url().c_str());
    std::printf(
        "Retry: max_attempts %d, jitter %s, multiplier %g, min_wait %g s, max_wait %g s%s.\n",
        retry_.max_attempts, retry_.jitter ? "on" : "off", retry_.multiplier,
        retry_.min_wait.count(), retry_.max_wait.count(),
        o_.real_waits ? " (the defaults)"
                      : " (the defaults 1 s and 60 s scaled by 1/100; --real-waits for the real "
                        "ones)");
    const RetryBudgetConfig& b = retry_.budget;
    std::printf(
        "Budget when on: the defaults, ratio %g, min_retries_per_second %g, window %g s. "
        "Circuit breaker out of the way (failure_threshold %d); a fresh client and a reset "
        "server per cell.\n",
        b.ratio, b.min_retries_per_second, b.window.count(), std::numeric_limits<int>::max());
  }

  void outage() {
    std::printf("\n## Full outage: every /msg answered 503 without Retry-After\n\n");
    test_server::ChaosSettings chaos;
    chaos.probability = 1.0;
    chaos.seed = o_.seed;
    chaos.faults = {test_server::Fault::status_code(503)};
    auto [off, on] = both("outage", [&](bool budget) { return against_server(chaos, budget); });
    print_table(off, on);
    if (on) {
      const double share = print_estimate(*on, retry_);
      const double a = per_request(static_cast<double>(*on->server_attempts), *on);
      std::printf("Issue #13's target, <= 1.5 attempts per request with the budget on: %s (%.3f",
                  a <= 1.5 ? "met" : "NOT met", a);
      if (a > 1.5) std::printf("; the reserve's share alone is %.3f at this size", share);
      std::printf(").\n");
    }
  }

  void faults() {
    std::printf("\n## Independent faults: %g %% of /msg answered 503 (seed %llu)\n\n",
                100 * o_.fault_probability, static_cast<unsigned long long>(o_.seed));
    test_server::ChaosSettings chaos;
    chaos.probability = o_.fault_probability;
    chaos.seed = o_.seed;
    chaos.faults = {test_server::Fault::status_code(503)};
    auto [off, on] = both("faults", [&](bool budget) { return against_server(chaos, budget); });
    print_table(off, on);
    if (off && on) {
      const double gap = success_percent(*off) - success_percent(*on);
      std::printf(
          "\nIssue #13's target, success rates within 0.2 percentage points: %s (off - on = "
          "%.2f points).\n",
          std::abs(gap) <= 0.2 ? "met" : "NOT met", gap);
    }
  }

  void refused() {
    std::printf("\n## Connection refused: nothing listens on the port\n\n");
    RefusingPort port;
    auto [off, on] = both("refused", [&](bool budget) {
      CellPlan plan = plan_for(budget);
      plan.base_url = "http://127.0.0.1:" + std::to_string(port.port());
      return Measured{run_cell(plan), std::nullopt};
    });
    print_table(off, on);
    std::printf(
        "\nThese attempts never reached a server, so their retries add no load and are exempt "
        "from the budget: both columns should show max_attempts (%d) attempts per request.\n",
        retry_.max_attempts);
  }

 private:
  CellPlan plan_for(bool budget) const {
    CellPlan plan;
    plan.base_url = server_.base_url();
    plan.requests = o_.requests;
    plan.concurrency = o_.concurrency;
    plan.retry = retry_;
    plan.retry.budget.enabled = budget;
    return plan;
  }

  Measured against_server(const test_server::ChaosSettings& chaos, bool budget) {
    server_.reset();
    server_.set_chaos(chaos);
    Measured m{run_cell(plan_for(budget)), std::nullopt};
    m.server_attempts = server_.stats().msg_requests;
    return m;
  }

  template <typename Run>
  std::pair<Column, Column> both(const char* scenario, Run run) {
    Column off, on;
    for (bool budget : {false, true}) {
      if (o_.budget != "both" && o_.budget != (budget ? "on" : "off")) continue;
      std::fflush(stdout);
      std::fprintf(stderr, "== %s, budget %s\n", scenario, budget ? "on" : "off");
      (budget ? on : off) = run(budget);
    }
    return {off, on};
  }

  const Options& o_;
  test_server::TestServer server_;
  RetryConfig retry_;
};

}  // namespace
}  // namespace rhc::bench::storm

int main(int argc, char** argv) {
  rhc::bench::storm::Options o;
  CLI::App app{
      "Retry storms: server-side attempts per request with the retry budget off and on, in a "
      "full outage, under independent faults, and against a refused connection"};
  app.set_version_flag("--version", rhc::version_details());
  app.add_option("-n,--requests", o.requests, "requests per cell")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("-c,--concurrency", o.concurrency, "requests in flight")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_flag("--real-waits", o.real_waits,
               "the default retry waits (min_wait 1 s, max_wait 60 s) instead of 1/100 of them; "
               "an outage without the budget then takes about 20 minutes");
  app.add_option("--scenario", o.scenarios, "which scenarios, in this order")
      ->check(CLI::IsMember({"outage", "faults", "refused"}))
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--budget", o.budget, "which columns to run: both, off or on")
      ->check(CLI::IsMember({"both", "off", "on"}))
      ->capture_default_str();
  app.add_option("--fault-probability", o.fault_probability, "share of faults in `faults`")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--seed", o.seed, "seed of the server's fault draws")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    rhc::bench::storm::Bench bench(o);
    bench.print_header();
    for (const std::string& s : o.scenarios) {
      if (s == "outage") bench.outage();
      if (s == "faults") bench.faults();
      if (s == "refused") bench.refused();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rhc-bench-storm: %s\n", e.what());
    return 1;
  }
  return 0;
}
