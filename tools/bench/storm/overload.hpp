// Scenario "overload" of rhc-bench-hosts (issue #14): a server that can run K requests at
// once and answers 503 at once beyond that, against a closed loop of many more callers, with
// a fixed bulkhead and with the adaptive limit (docs/bulkhead.md "Adaptive concurrency").
// Prints how many attempts got a 503, the throughput, and the adaptive cells' concurrency over
// time, read from rhc's log (log_tap.hpp) every 100 ms.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace rhc::bench::storm {

struct OverloadPlan {
  int callers = 100;  // the closed loop; also the bulkhead's max_concurrency in both cells
  int capacity = 20;  // K: the server's Overload::max_in_flight
  int delay_ms = 30;  // each accepted request holds its handler this long (/msg?delay=)
  std::chrono::seconds duration{12};
  std::chrono::seconds settle{5};  // the figures "after settling" count from here
  // Adaptive cells beyond the default one (initial_limit 20): each starts from this limit,
  // to show how fast the limit finds K from above and from below.
  std::vector<int> more_initial_limits{100, 1};
  std::string timeline_csv;  // the 100 ms samples of every cell, if not empty
};

void run_overload(const OverloadPlan& plan);

}  // namespace rhc::bench::storm
