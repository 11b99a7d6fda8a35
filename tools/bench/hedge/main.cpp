// rhc-bench-hedge: issue #16's scenario, measured. The in-process failure-injection server
// delays a share of /msg attempts (5 %, 200 ms, every attempt alike, hedges included: a fixed
// seed); a closed loop of GETs runs with hedging off and on, side by side:
//   off        no hedging
//   p95:10     hedging after the authority's adaptive p95, never below 10 ms
//   fixed:50   hedging after a fixed 50 ms, for comparison
// Each variant runs against a fresh server and a fresh client, repetitions interleaved so
// that drift of a noisy machine hits every column alike; the table shows medians and spreads.
// Targets (issue #16): p99 hedged at the adaptive p95 <= 0.25 x p99 unhedged, and extra
// attempts <= 10 % of requests. --smoke runs a few seconds' worth and checks nothing.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <rhc/rhc.hpp>

#include "hedge_run.hpp"
#include "table.hpp"

namespace {

struct Options {
  long requests = 20000;
  int concurrency = 32;
  int reps = 3;
  std::vector<std::string> variants{"off", "p95:10", "fixed:50"};
  int min_samples = 100;
  int max_hedges = 1;
  double slow_probability = 0.05;
  int slow_ms = 200;
  bool first_attempt_only = false;
  std::uint64_t seed = 42;
  bool smoke = false;
  bool per_rep = false;
  bool check = false;
};

const rhc::bench::hedge::Column* find(const std::vector<rhc::bench::hedge::Column>& columns,
                                      bool adaptive) {
  for (const auto& c : columns) {
    const rhc::HedgingConfig& h = c.variant.hedging;
    if (adaptive ? h.enabled && h.delay_percentile > 0 : !h.enabled) return &c;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  namespace hedge = rhc::bench::hedge;
  Options o;
  CLI::App app{
      "Hedging: tail latency with hedging off and on, against a server that delays a share of "
      "requests"};
  app.set_version_flag("--version", rhc::version_details());
  app.add_option("-n,--requests", o.requests, "GETs per run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("-c,--concurrency", o.concurrency, "requests in flight (a closed loop)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--reps", o.reps, "repetitions of each variant")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
  app.add_option("--variants", o.variants, "columns: off, fixed:<ms>, p<percentile>:<floor ms>")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--min-samples", o.min_samples, "hedging.min_samples of adaptive variants")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--max-hedges", o.max_hedges, "hedging.max_hedged_attempts")
      ->check(CLI::Range(1, 4))
      ->capture_default_str();
  app.add_option("--slow-probability", o.slow_probability, "share of attempts the server delays")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--slow-ms", o.slow_ms, "the server's delay")
      ->check(CLI::Range(0, 60000))
      ->capture_default_str();
  app.add_flag("--first-attempt-only", o.first_attempt_only,
               "delay only first attempts (Slowness::first_attempt_only): hedges are never slow");
  app.add_option("--seed", o.seed, "seed of the server's slowness draws")->capture_default_str();
  app.add_flag("--smoke", o.smoke, "1,000 requests, one repetition, targets not checked (CI)");
  app.add_flag("--per-rep", o.per_rep, "also print each repetition's own table");
  app.add_flag("--check", o.check, "exit with status 1 when a target is missed");
  CLI11_PARSE(app, argc, argv);
  if (o.smoke) {
    if (app.count("--requests") == 0) o.requests = 1000;
    if (app.count("--reps") == 0) o.reps = 1;
  }

  try {
    std::vector<hedge::Column> columns;
    for (const std::string& spec : o.variants) {
      columns.push_back({hedge::parse_variant(spec, o.min_samples, o.max_hedges), {}});
    }
    std::printf("# rhc-bench-hedge (%s)\n\n", rhc::version_details().c_str());
    std::printf(
        "%ld GETs per run, %d in flight (closed loop), against the in-process test server: "
        "%g %% of %s delayed by %d ms (seed %llu). Hedging: max_hedged_attempts %d, min_samples "
        "%d; retry settings the defaults; a fresh server and client per run; %s.\n\n",
        o.requests, o.concurrency, 100 * o.slow_probability,
        o.first_attempt_only ? "first attempts" : "attempts (hedges included)", o.slow_ms,
        static_cast<unsigned long long>(o.seed), o.max_hedges, o.min_samples,
        o.reps == 1
            ? "1 repetition"
            : (std::to_string(o.reps) + " repetitions, interleaved; cells: median (least–greatest)")
                  .c_str());
    std::fflush(stdout);

    for (int rep = 1; rep <= o.reps; ++rep) {
      for (hedge::Column& c : columns) {
        std::fprintf(stderr, "== repetition %d/%d, hedging %s\n", rep, o.reps,
                     c.variant.label.c_str());
        hedge::RunPlan plan;
        plan.variant = c.variant;
        plan.requests = o.requests;
        plan.concurrency = o.concurrency;
        plan.slowness.probability = o.slow_probability;
        plan.slowness.delay = std::chrono::milliseconds(o.slow_ms);
        plan.slowness.seed = o.seed;
        plan.slowness.first_attempt_only = o.first_attempt_only;
        c.reps.push_back(hedge::figures_of(hedge::run_hedge(plan), o.concurrency));
      }
      if (o.per_rep && o.reps > 1) {
        std::vector<hedge::Column> one;
        for (const hedge::Column& c : columns) one.push_back({c.variant, {c.reps.back()}});
        std::printf("## Repetition %d\n\n", rep);
        hedge::print_side_by_side(one);
        std::printf("\n");
        std::fflush(stdout);
      }
    }

    if (o.per_rep && o.reps > 1) std::printf("## Medians\n\n");
    hedge::print_side_by_side(columns);
    const hedge::Column* off = find(columns, false);
    const hedge::Column* adaptive = find(columns, true);
    if (o.smoke) {
      std::printf("\nSmoke run: targets not checked.\n");
      std::fflush(stdout);
    } else if (off != nullptr && adaptive != nullptr) {
      std::printf("\nIssue #16's targets:\n\n");
      const bool met = hedge::print_targets(*off, *adaptive, hedge::Targets{});
      if (o.check && !met) return 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rhc-bench-hedge: %s\n", e.what());
    return 1;
  }
  return 0;
}
