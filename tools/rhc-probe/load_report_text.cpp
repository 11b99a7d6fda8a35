#include <algorithm>
#include <cstdio>
#include <string>

#include "load_report.hpp"

namespace rhc::probe {
namespace {

constexpr int kBarWidth = 40;

std::string percentiles(const LatencyRecorder& r) {
  char line[160];
  std::snprintf(line, sizeof line, "p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f",
                r.percentile_ms(0.5), r.percentile_ms(0.9), r.percentile_ms(0.99),
                r.percentile_ms(0.999), r.max_ms());
  return line;
}

std::string bound_label(std::size_t i) {
  const auto& bounds = LatencyRecorder::display_bounds_ms();
  char label[32];
  if (i < bounds.size()) {
    std::snprintf(label, sizeof label, "<= %g ms", bounds[i]);
  } else {
    std::snprintf(label, sizeof label, " > %g ms", bounds.back());
  }
  return label;
}

// The coarse histogram, from its first non-empty bucket to its last.
void print_histogram(const LatencyRecorder& r) {
  const auto& counts = r.display_counts();
  const auto first = std::find_if(counts.begin(), counts.end(), [](auto n) { return n > 0; });
  if (first == counts.end()) return;
  const auto last = std::find_if(counts.rbegin(), counts.rend(), [](auto n) { return n > 0; });
  const auto most = *std::max_element(counts.begin(), counts.end());
  for (auto it = first; it != last.base(); ++it) {
    const auto bar = static_cast<std::size_t>(
        (static_cast<double>(*it) * kBarWidth + static_cast<double>(most) - 1) /
        static_cast<double>(most));
    std::printf("             %-12s %9llu%s%s\n",
                bound_label(static_cast<std::size_t>(it - counts.begin())).c_str(),
                static_cast<unsigned long long>(*it), bar > 0 ? "  " : "",
                std::string(bar, '#').c_str());
  }
}

void print_run(const LoadReport& report) {
  const LoadLimits& limits = report.limits;
  const LoadFigures& f = report.figures;
  std::printf("target       %s %s\n", report.method.c_str(), report.url.c_str());
  if (limits.rate > 0) {
    std::printf("load         open loop, %g req/s, at most %d in flight, resilience %s\n",
                limits.rate, limits.concurrency, report.resilience ? "on" : "off");
  } else {
    std::printf("load         closed loop, %d in flight, resilience %s\n", limits.concurrency,
                report.resilience ? "on" : "off");
  }
  std::printf("requests     %llu in %.2f s", static_cast<unsigned long long>(f.completed()),
              report.run.elapsed_s);
  if (report.run.deadline_reached) {
    std::printf(", then the deadline: %llu cancelled",
                static_cast<unsigned long long>(f.count(LoadOutcome::kCancelledAtDeadline)));
  }
  std::printf("\nthroughput   %.1f req/s round trips, %.1f req/s served (2xx/3xx)\n",
              report.round_trips_per_second(), report.served_per_second());
  if (limits.rate > 0) {
    std::printf(
        "schedule     %llu slots, %llu late (sent > %lld ms after their time), %llu "
        "skipped (%d in flight)\n",
        static_cast<unsigned long long>(report.run.slots),
        static_cast<unsigned long long>(report.run.late), static_cast<long long>(kLateSlot.count()),
        static_cast<unsigned long long>(report.run.skipped), limits.concurrency);
  }
  std::printf("errors       %llu (%.2f%%)", static_cast<unsigned long long>(f.errors()),
              report.error_share() * 100);
  if (report.max_error_share) {
    std::printf(", limit %g%%: %s", *report.max_error_share * 100,
                report.over_error_limit() ? "EXCEEDED" : "ok");
  }
  std::printf("\nstatus      ");
  for (const auto& [status, n] : f.by_status) {
    std::printf(" %s: %llu", status.c_str(), static_cast<unsigned long long>(n));
  }
  std::printf("%s\n", f.by_status.empty() ? " none completed" : "");
}

void print_latencies(const LoadFigures& f) {
  std::printf("latency ms   %s  (%llu round trips)\n", percentiles(f.round_trips).c_str(),
              static_cast<unsigned long long>(f.round_trips.count()));
  print_histogram(f.round_trips);
  const char* label = "outcomes";
  for (std::size_t i = 0; i + 1 < kLoadOutcomes; ++i) {
    const auto outcome = static_cast<LoadOutcome>(i);
    const LatencyRecorder& r = f.by_outcome[i];
    std::printf("%-12s %-22s %9llu", label, outcome_label(outcome),
                static_cast<unsigned long long>(r.count()));
    if (r.count() > 0) std::printf("  %s", percentiles(r).c_str());
    std::printf("\n");
    label = "";
  }
  std::printf("attempts    ");
  for (const auto& [attempts, n] : f.by_attempts) {
    std::printf(" %d:%llu", attempts, static_cast<unsigned long long>(n));
  }
  std::printf("%s\n", f.by_attempts.empty() ? " none completed" : "");
}

void print_authorities(const rhc::ClientStats& stats) {
  for (const auto& a : stats.authorities) {
    std::printf("authority    %s  breaker %s  rejected %llu  retries %llu  budget exhausted %llu\n",
                a.authority.c_str(), rhc::to_string(a.breaker_state),
                static_cast<unsigned long long>(a.breaker_rejections),
                static_cast<unsigned long long>(a.retries),
                static_cast<unsigned long long>(a.retry_budget_exhausted));
  }
}

}  // namespace

void print_load_text(const LoadReport& report) {
  print_run(report);
  print_latencies(report.figures);
  print_authorities(report.stats);
}

}  // namespace rhc::probe
