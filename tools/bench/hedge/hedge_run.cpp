#include "hedge_run.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <thread>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

namespace rhc::bench::hedge {
namespace {

using Clock = std::chrono::steady_clock;

// A closed loop through callbacks: `concurrency` requests go out at once and each callback
// (on an executor thread) issues the next, until `requests` have been issued. Request i's
// latency lands in slot i, written by one callback only.
class CountedLoop {
 public:
  CountedLoop(ResilientClient& client, const RunPlan& plan)
      : client_(client), plan_(plan), latency_ms_(static_cast<std::size_t>(plan.requests)) {}

  void run(RunResult& result) {
    const auto started = Clock::now();
    for (int i = 0; i < plan_.concurrency; ++i) issue();
    {
      std::unique_lock<std::mutex> lock(mutex_);
      drained_.wait(lock, [this] { return done_ == plan_.requests; });
    }
    result.wall_s = std::chrono::duration<double>(Clock::now() - started).count();
    result.latency_ms = std::move(latency_ms_);
    result.failed = failed_;
  }

 private:
  void issue() {
    const long i = issued_.fetch_add(1);
    if (i >= plan_.requests) return;
    const auto sent = Clock::now();
    client_.get("/msg", {}, [this, i, sent](Outcome outcome) {
      latency_ms_[static_cast<std::size_t>(i)] =
          std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!outcome.ok()) ++failed_;
        if (++done_ == plan_.requests) drained_.notify_all();
      }
      issue();
    });
  }

  ResilientClient& client_;
  const RunPlan& plan_;
  std::vector<double> latency_ms_;
  std::atomic<long> issued_{0};
  std::mutex mutex_;
  std::condition_variable drained_;
  long done_ = 0;
  long failed_ = 0;
};

// A loser's handler keeps sleeping after the client left; its client_gone is counted when it
// wakes. Waits (bounded) until no /msg handler runs, so the server's figures are final.
test_server::Stats settled_stats(const test_server::TestServer& server,
                                 std::chrono::milliseconds longest) {
  const auto deadline = Clock::now() + longest;
  test_server::Stats stats = server.stats();
  while (stats.msg_in_flight > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    stats = server.stats();
  }
  return stats;
}

}  // namespace

RunResult run_hedge(const RunPlan& plan) {
  test_server::TestServer server;
  server.start();
  server.set_slowness(plan.slowness);

  ClientConfig config;
  config.base_url = server.base_url();
  config.hedging = plan.variant.hedging;
  // The retry settings stay the defaults. The breaker and the bulkhead are kept out of the
  // way, said out loud so that a change of defaults cannot change the scenario: a fixed
  // bulkhead as wide as the loop, a breaker that never opens.
  config.bulkhead.max_concurrency = plan.concurrency;
  config.bulkhead.adaptive.enabled = false;
  config.circuit_breaker.mode = BreakerMode::Consecutive;
  config.circuit_breaker.failure_threshold = std::numeric_limits<int>::max();
  config.logging.level = "ERROR";
  auto client = create_resilient_client(config);
  // Only an adaptive delay has a warm-up: a fixed one is the same from the first request.
  const HedgingConfig& h = plan.variant.hedging;
  auto log = std::make_shared<HedgeLog>(
      h.delay_percentile > 0 ? static_cast<std::size_t>(h.min_samples) : 0);
  client->add_listener(log);

  RunResult result;
  CountedLoop loop(*client, plan);
  loop.run(result);
  client->close();  // before the loop goes: the last callbacks may still be leaving issue()
  result.client = client->stats();
  result.hedges = log->facts();
  result.server = settled_stats(server, plan.slowness.delay + std::chrono::seconds(1));
  return result;
}

}  // namespace rhc::bench::hedge
