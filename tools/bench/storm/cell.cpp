#include "cell.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>

#include <rhc/rhc.hpp>

namespace rhc::bench::storm {
namespace {

using Clock = std::chrono::steady_clock;

// A closed loop through callbacks: `concurrency` requests are issued up front and each
// callback (on an executor thread) issues the next, so the number in flight stays constant
// until the last `concurrency` drain.
class ClosedLoop {
 public:
  ClosedLoop(ResilientClient& client, const CellPlan& plan) : client_(client), plan_(plan) {}

  CellResult run() {
    const auto started = Clock::now();
    for (int i = 0; i < plan_.concurrency; ++i) issue();
    {
      std::unique_lock<std::mutex> lock(mutex_);
      drained_.wait(lock, [this] { return result_.requests == plan_.requests; });
    }
    result_.wall_s = std::chrono::duration<double>(Clock::now() - started).count();
    return result_;
  }

 private:
  void issue() {
    if (issued_.fetch_add(1) >= plan_.requests) return;
    client_.get(plan_.path, {}, [this](Outcome outcome) {
      record(outcome);
      issue();
    });
  }

  void record(const Outcome& outcome) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (outcome.ok()) {
      result_.attempts += outcome.response->attempts;
      if (outcome.response->status_code == 200 && !outcome.response->text.empty()) {
        ++result_.succeeded;
      }
    } else {
      try {
        std::rethrow_exception(outcome.error);
      } catch (const Error& e) {
        result_.attempts += e.attempts();
        if (std::strstr(e.what(), "retry budget exhausted") != nullptr) ++result_.budget_refusals;
      } catch (...) {
        ++result_.other_errors;
      }
    }
    if (++result_.requests == plan_.requests) drained_.notify_all();
  }

  ResilientClient& client_;
  const CellPlan& plan_;
  std::atomic<long> issued_{0};
  std::mutex mutex_;
  std::condition_variable drained_;
  CellResult result_;
};

}  // namespace

CellResult run_cell(const CellPlan& plan) {
  ClientConfig config;
  config.base_url = plan.base_url;
  config.retry = plan.retry;
  // The breaker counts consecutive failures and never reaches the threshold; the bulkhead is
  // a fixed limit (an adaptive one would cut the concurrency on 503s): both said out loud, so
  // a change of defaults cannot change the scenario.
  config.circuit_breaker.mode = BreakerMode::Consecutive;
  config.circuit_breaker.failure_threshold = std::numeric_limits<int>::max();
  config.bulkhead.max_concurrency = plan.concurrency;
  config.bulkhead.adaptive.enabled = false;
  config.logging.level = "ERROR";
  auto client = create_resilient_client(config);
  ClosedLoop loop(*client, plan);
  CellResult result = loop.run();
  client->close();
  return result;
}

}  // namespace rhc::bench::storm
