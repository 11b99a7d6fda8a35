// What one cell of rhc-bench-hosts' overload scenario measured, 100 ms at a time, and the
// tables, verdicts and CSV made of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "overload.hpp"

namespace rhc::bench::storm {

inline constexpr double kTickSeconds = 0.1;

// One 100 ms interval: what happened in it, and the server's state at its end.
struct OverloadTick {
  double end_s = 0;       // nominal end of the interval, seconds after the loop started
  int in_flight_min = 0;  // rhc's attempts in flight to the server, read after each attempt's
  int in_flight_max = 0;  // end (the current value when none ended in the interval)
  int cuts = 0;           // limit cuts logged, and the new limits
  int cut_to_min = 0;
  int cut_to_max = 0;
  long ok = 0;  // outcomes the callers saw: 200, 503, anything else
  long rejected = 0;
  long other = 0;
  std::uint64_t server_running = 0;   // handlers running at the end (Stats::msg_in_flight)
  std::uint64_t server_executed = 0;  // attempts that reached the handler (Stats::msg_requests)
  std::uint64_t server_rejected = 0;  // attempts answered 503 (Stats::overload_rejections)
};

struct OverloadCell {
  std::string name;                  // "fixed", "adaptive", "adaptive-from-100"
  std::string title;                 // the column's heading
  std::optional<int> initial_limit;  // adaptive cells only
  std::vector<OverloadTick> ticks;
  double wall_s = 0;        // the loop's start to its last callback, the drain included
  int in_flight_after = 0;  // rhc's in-flight count from the log after the drain: 0 if sound
  double cpu_s = 0;         // the process's CPU time over the loop, servers and logging included
};

// The summary table of every cell (the first one the fixed bulkhead), the timelines of the
// adaptive ones, the verdicts on issue #14's targets, and the CSV if plan.timeline_csv is set.
void print_overload_report(const OverloadPlan& plan, const std::vector<OverloadCell>& cells);

}  // namespace rhc::bench::storm
