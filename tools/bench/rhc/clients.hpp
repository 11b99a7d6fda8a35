// The rhc clients under test, and what they share.
#pragma once

#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <rhc/config.hpp>

#include "../common/plan.hpp"

namespace rhc::bench {

class CountingListener;  // listeners.hpp

// (d) futures: one caller thread, a first-in-first-out window of std::future<Response>.
// With a listener: added to the client before the first request; finish() prints its counts.
std::unique_ptr<Workload> make_rhc_futures(std::shared_ptr<CountingListener> listener = nullptr);
// (e) callbacks: each completion issues the next request from its callback.
std::unique_ptr<Workload> make_rhc_callbacks();
// (f) the legacy shape: `concurrency` caller threads, each looping on get().get() against
// one shared client.
std::unique_ptr<Workload> make_rhc_futures_threads();
// (g) fail fast (open_breaker.cpp): get().get() against a client whose breaker is open, each
// call timed from the call to the CircuitOpenError; `concurrency` caller threads.
std::unique_ptr<Workload> make_rhc_open_breaker();

// "http://host:port/path?q" -> {"http://host:port", "/path?q"}: the client gets the base,
// every request the relative path, as a service's client is used.
std::pair<std::string, std::string> split_url(const std::string& url);

// The configuration of every rhc client here: ClientConfig's defaults (the whole policy
// chain on), the bulkhead sized to the concurrency, logging at WARNING.
ClientConfig bench_config(const Plan& plan, const std::string& base_url);

// Runs plan.concurrency threads, each calling `call` (returns whether the request went as
// the client expects) in a loop while the plan lets it, and reports every call to the plan;
// returns once every thread has stopped.
template <typename Call>
void run_caller_threads(Plan& plan, const Call& call) {
  std::vector<std::thread> callers;
  callers.reserve(static_cast<std::size_t>(plan.concurrency));
  for (int i = 0; i < plan.concurrency; ++i) {
    callers.emplace_back([&plan, &call] {
      while (plan.may_issue()) {
        const auto started = Clock::now();
        const bool ok = call();
        plan.completed(started, Clock::now(), ok);
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
}

}  // namespace rhc::bench
