#include "stats_report.hpp"

#include <cstdio>
#include <sstream>

namespace rhc::probe {
namespace {

// The histogram is in seconds; rhc-probe's other latency lines are in milliseconds. The
// percentiles are interpolated inside buckets (a lone 1.0 s request shows p50 1750 in the
// (1, 2.5] bucket); the mean, from the exact sum, is the figure to check them against.
std::string durations_ms(const rhc::LatencyHistogram& h) {
  const double mean = h.count > 0 ? h.sum / static_cast<double>(h.count) : 0;
  char line[128];
  std::snprintf(line, sizeof line, "p50 %.2f  p90 %.2f  p99 %.2f  mean %.2f", h.quantile(0.5) * 1e3,
                h.quantile(0.9) * 1e3, h.quantile(0.99) * 1e3, mean * 1e3);
  return line;
}

}  // namespace

std::string stats_report(const rhc::ClientStats& s) {
  std::ostringstream out;
  out << "requests    " << s.requests << " (successes " << s.successes << ", failures "
      << s.failures << ")\n";
  if (s.in_progress > 0) out << "in progress " << s.in_progress << "\n";
  if (!s.failures_by_error.empty()) {
    out << "failures   ";
    for (const auto& [error, n] : s.failures_by_error) out << " " << error << "=" << n;
    out << "\n";
  }
  out << "attempts    " << s.attempts << "\n"
      << "retries     " << s.retries << " (suppressed " << s.retries_suppressed
      << ", of them by budget " << s.retry_budget_exhausted << ")\n"
      << "breaker     rejected " << s.breaker_rejections << "\n"
      << "bulkhead    capacity " << s.bulkhead_capacity << ", in use " << s.bulkhead_in_use
      << ", waiting " << s.bulkhead_waiting << ", rejected " << s.bulkhead_rejected << "\n"
      << "events      dropped " << s.events_dropped << "\n";
  out << "duration ms " << durations_ms(s.request_duration)
      << "  (percentiles: histogram estimates)\n";
  for (const auto& a : s.authorities) {
    out << "authority   " << a.authority << "\n"
        << "  breaker " << rhc::to_string(a.breaker_state) << " (rejected " << a.breaker_rejections
        << "), in flight " << a.in_flight;
    if (a.concurrency_limit > 0) out << ", concurrency limit " << a.concurrency_limit;
    out << "\n"
        << "  requests " << a.requests << ", attempts " << a.attempts << ", failures " << a.failures
        << ", retries " << a.retries << ", budget exhausted " << a.retry_budget_exhausted << "\n";
  }
  return out.str();
}

}  // namespace rhc::probe
