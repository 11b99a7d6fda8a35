// Scenario "dead-host" of rhc-bench-hosts (issue #14): one client calls two servers, one
// healthy and one answering 500 to everything, with the circuit breaker per authority and,
// beside it, one breaker for the whole client (docs/circuit-breaker.md "Scope"). Prints the
// healthy server's success rate and how many attempts the dead server received while the
// breaker that judges it was open, read from the order of rhc's log lines (log_tap.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace rhc::bench::storm {

struct DeadHostPlan {
  int callers = 16;  // the closed loop; each request goes to either server, 50/50
  std::chrono::seconds duration{10};
  std::chrono::milliseconds recovery_timeout{2000};
  std::vector<int> max_attempts{1, 5};  // one pair of cells (authority, client) per value
  std::uint64_t seed = 42;              // the callers' picks and the dead server's draws
};

void run_dead_host(const DeadHostPlan& plan);

}  // namespace rhc::bench::storm
