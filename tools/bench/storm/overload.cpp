#include "overload.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "cpu_time.hpp"
#include "log_tap.hpp"
#include "overload_report.hpp"
#include "report.hpp"
#include "sampler.hpp"
#include "timed_loop.hpp"

namespace rhc::bench::storm {
namespace {

constexpr std::chrono::milliseconds kTick{100};

// Counts from rhc's log and the callers' outcomes, thread-safe. With max_attempts 1 every
// request is one attempt, so attempts started minus requests ended is what rhc has in flight
// to the server; the line for a request's end comes after the line of the waiter its slot
// went to, so the count is exact right after an end.
class Recorder {
 public:
  explicit Recorder(std::string authority) : authority_(std::move(authority)) {}

  void on_event(const LogEvent& e) {
    if (e.authority != authority_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    switch (e.kind) {
      case LogEventKind::AttemptStarted:
        ++in_flight_;
        return;
      case LogEventKind::LimitCut:
        tick_.cut_to_min = tick_.cuts == 0 ? e.number : std::min(tick_.cut_to_min, e.number);
        tick_.cut_to_max = std::max(tick_.cut_to_max, e.number);
        ++tick_.cuts;
        return;
      case LogEventKind::RequestFailed:
        if (e.number == 0) return;  // no attempt was made
        break;
      case LogEventKind::AttemptRetried:
      case LogEventKind::RequestSucceeded:
        break;
      case LogEventKind::BreakerChanged:
        return;
    }
    --in_flight_;
    tick_.in_flight_min = seen_end_ ? std::min(tick_.in_flight_min, in_flight_) : in_flight_;
    tick_.in_flight_max = seen_end_ ? std::max(tick_.in_flight_max, in_flight_) : in_flight_;
    seen_end_ = true;
  }

  void on_outcome(const OutcomeFacts& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (f.ok && f.status == 200) {
      ++tick_.ok;
    } else if (f.status == 503) {
      ++tick_.rejected;
    } else {
      ++tick_.other;
    }
  }

  int in_flight() {
    std::lock_guard<std::mutex> lock(mutex_);
    return in_flight_;
  }

  // Closes the current interval.
  OverloadTick take(double end_s, const test_server::Stats& s) {
    std::lock_guard<std::mutex> lock(mutex_);
    OverloadTick t = tick_;
    t.end_s = end_s;
    if (!seen_end_) t.in_flight_min = t.in_flight_max = in_flight_;
    t.server_running = s.msg_in_flight;
    t.server_executed = s.msg_requests - executed_;
    t.server_rejected = s.overload_rejections - rejected_;
    executed_ = s.msg_requests;
    rejected_ = s.overload_rejections;
    tick_ = OverloadTick{};
    seen_end_ = false;
    return t;
  }

 private:
  const std::string authority_;
  std::mutex mutex_;
  int in_flight_ = 0;
  bool seen_end_ = false;
  OverloadTick tick_;
  std::uint64_t executed_ = 0;
  std::uint64_t rejected_ = 0;
};

ClientConfig config_for(const OverloadPlan& plan, const std::string& base_url,
                        std::optional<int> initial_limit) {
  ClientConfig config;
  config.base_url = base_url;
  // One attempt per request: a 503 reaches the caller, so the share of outcomes that are 503
  // is the share of attempts the server shed.
  config.retry.max_attempts = 1;
  // A breaker would open on the 503s and turn the loop into a spin of refusals.
  config.circuit_breaker.failure_threshold = std::numeric_limits<int>::max();
  config.bulkhead.max_concurrency = plan.callers;
  config.bulkhead.adaptive.enabled = initial_limit.has_value();  // the rest: the defaults
  if (initial_limit) config.bulkhead.adaptive.initial_limit = *initial_limit;
  config.logging.level = "DEBUG";  // every attempt, for the tap
  config.logging.include_request_id = false;
  config.logging.logger_name = "hosts";
  return config;
}

OverloadCell make_cell(const OverloadPlan& plan, std::optional<int> initial_limit) {
  const AdaptiveLimitConfig defaults;
  OverloadCell cell;
  cell.initial_limit = initial_limit;
  if (!initial_limit) {
    cell.name = "fixed";
    cell.title = format("fixed bulkhead (%d)", plan.callers);
  } else if (*initial_limit == defaults.initial_limit) {
    cell.name = "adaptive";
    cell.title = format("adaptive (initial %d, ratio %g)", *initial_limit, defaults.backoff_ratio);
  } else {
    cell.name = "adaptive-from-" + std::to_string(*initial_limit);
    cell.title = format("adaptive, initial_limit %d", *initial_limit);
  }
  return cell;
}

OverloadCell run_cell(test_server::TestServer& server, const OverloadPlan& plan,
                      std::optional<int> initial_limit) {
  server.reset();
  server.set_overload(test_server::Overload{
      .max_in_flight = static_cast<std::size_t>(plan.capacity), .retry_after = std::nullopt});
  OverloadCell cell = make_cell(plan, initial_limit);
  Recorder recorder(server.base_url());
  LogTap tap([&recorder](const LogEvent& e) { recorder.on_event(e); });
  auto client = create_resilient_client(config_for(plan, server.base_url(), initial_limit));

  LoopPlan loop;
  loop.targets = {"/msg?delay=" + std::to_string(plan.delay_ms)};
  loop.callers = plan.callers;
  const double cpu_before = process_cpu_seconds();
  const auto started = std::chrono::steady_clock::now();
  loop.deadline = started + plan.duration;
  Sampler sampler(kTick, [&](std::chrono::steady_clock::time_point) {
    const double end_s = static_cast<double>(cell.ticks.size() + 1) * kTickSeconds;
    cell.ticks.push_back(recorder.take(end_s, server.stats()));
  });
  const auto ended = run_timed_loop(*client, loop, [&recorder](std::size_t, const Outcome& o) {
    recorder.on_outcome(facts_of(o));
  });
  cell.cpu_s = process_cpu_seconds() - cpu_before;
  sampler.stop();
  client->close();
  cell.wall_s = std::chrono::duration<double>(ended - started).count();
  cell.in_flight_after = recorder.in_flight();
  return cell;
}

}  // namespace

void run_overload(const OverloadPlan& plan) {
  std::printf(
      "\n## Overload: the server runs K = %d /msg handlers at once and answers 503 at once "
      "beyond; /msg?delay=%d; %d callers in a closed loop; %lld s per cell\n\n",
      plan.capacity, plan.delay_ms, plan.callers, static_cast<long long>(plan.duration.count()));
  std::printf(
      "max_attempts 1, circuit breaker out of the way, bulkhead max_concurrency %d in every "
      "cell; a fresh client and a reset server per cell. rhc's in-flight count is attempts "
      "started minus requests ended, from rhc's DEBUG log, read after each end.\n\n",
      plan.callers);
  test_server::ServerOptions options;
  options.request_id_stats_capacity = 16;  // stats() is read every 100 ms: keep it small
  test_server::TestServer server(options);
  server.start();
  std::vector<std::optional<int>> limits{std::nullopt, AdaptiveLimitConfig{}.initial_limit};
  for (int l : plan.more_initial_limits) limits.emplace_back(l);
  std::vector<OverloadCell> cells;
  for (const std::optional<int>& l : limits) {
    std::fflush(stdout);
    std::fprintf(stderr, "== overload, %s\n", make_cell(plan, l).title.c_str());
    cells.push_back(run_cell(server, plan, l));
  }
  print_overload_report(plan, cells);
}

}  // namespace rhc::bench::storm
