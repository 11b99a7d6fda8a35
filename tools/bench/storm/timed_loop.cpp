#include "timed_loop.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <random>

#include <rhc/errors.hpp>

namespace rhc::bench::storm {
namespace {

using Clock = std::chrono::steady_clock;

class TimedLoop {
 public:
  TimedLoop(ResilientClient& client, const LoopPlan& plan, const OutcomeHandler& on_outcome)
      : client_(client), plan_(plan), on_outcome_(on_outcome) {
    for (int i = 0; i < plan.callers; ++i) rngs_.emplace_back(plan.seed + i);
  }

  Clock::time_point run() {
    for (int i = 0; i < plan_.callers; ++i) issue(i);
    std::unique_lock<std::mutex> lock(mutex_);
    stopped_.wait(lock, [this] { return finished_ == plan_.callers; });
    return ended_;
  }

 private:
  // A caller's next request is issued from its previous one's callback, so its PRNG is never
  // used by two threads at once.
  void issue(int caller) {
    std::uniform_int_distribution<std::size_t> pick(0, plan_.targets.size() - 1);
    const std::size_t target = pick(rngs_[caller]);
    client_.get(plan_.targets[target], {}, [this, caller, target](Outcome outcome) {
      on_outcome_(target, outcome);
      if (Clock::now() < plan_.deadline) {
        issue(caller);
        return;
      }
      std::lock_guard<std::mutex> lock(mutex_);
      ended_ = Clock::now();
      if (++finished_ == plan_.callers) stopped_.notify_all();
    });
  }

  ResilientClient& client_;
  const LoopPlan& plan_;
  const OutcomeHandler& on_outcome_;
  std::vector<std::mt19937_64> rngs_;
  std::mutex mutex_;
  std::condition_variable stopped_;
  int finished_ = 0;
  Clock::time_point ended_;
};

}  // namespace

OutcomeFacts facts_of(const Outcome& outcome) {
  OutcomeFacts facts;
  if (outcome.ok()) {
    facts.ok = true;
    facts.status = outcome.response->status_code;
    facts.attempts = outcome.response->attempts;
    return facts;
  }
  try {
    std::rethrow_exception(outcome.error);
  } catch (const CircuitOpenError& e) {
    facts.circuit_open = true;
    facts.attempts = e.attempts();
  } catch (const Error& e) {
    facts.status = e.status_code();
    facts.attempts = e.attempts();
  } catch (...) {
    facts.rhc_error = false;
  }
  return facts;
}

Clock::time_point run_timed_loop(ResilientClient& client, const LoopPlan& plan,
                                 const OutcomeHandler& on_outcome) {
  return TimedLoop(client, plan, on_outcome).run();
}

}  // namespace rhc::bench::storm
