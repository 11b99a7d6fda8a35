#include <algorithm>
#include <cstdio>
#include <sstream>

#include "soak_run.hpp"

namespace rhc::soak {

std::string format_report(const SoakResult& r) {
  std::ostringstream out;
  auto mib = [](std::size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); };
  char buf[160];
  out << "== rhc chaos soak ==\n";
  std::snprintf(buf, sizeof buf, "%.1f s, %.0f requests/s", r.seconds,
                r.seconds > 0 ? static_cast<double>(r.issued) / r.seconds : 0.0);
  out << "requests: " << r.issued << " (" << r.futures << " futures, " << r.callbacks
      << " callbacks), " << r.settings.concurrency << " at a time, " << buf << "\n";
  std::uint64_t injected = 0;
  for (const auto& [kind, n] : r.faults) injected += n;
  out << "faults injected (p=" << r.settings.fault_probability << ", seed=" << r.settings.seed
      << "): " << injected << " of " << r.msg_requests << " /msg arrivals:";
  for (const auto& [kind, n] : r.faults) out << " " << kind << "=" << n;
  out << "\noutcomes:";
  for (const auto& [cls, n] : r.outcomes) out << " " << cls << "=" << n;
  out << "\nattempts per request, client:";
  for (std::size_t a = 0; a < r.client_attempts.size(); ++a) {
    out << " " << a << ":" << r.client_attempts[a];
  }
  out << "; server (attempts_for):";
  for (std::size_t a = 0; a < r.server_attempts.size(); ++a) {
    out << " " << a << (a + 1 == r.server_attempts.size() ? "+:" : ":") << r.server_attempts[a];
  }
  out << "\nattempts: client sum " << r.client_attempts_sum << ", server sum of attempts_for "
      << r.server_attempts_sum << ", server /msg requests " << r.msg_requests << "; "
      << r.resent_requests << " requests had "
      << (r.server_attempts_sum - std::min(r.server_attempts_sum, r.client_attempts_sum))
      << " arrivals beyond their attempts (libcurl re-sends after a reset on a reused "
         "connection); "
      << r.over_max_on_wire
      << " requests reached the server more than max_attempts=" << r.max_attempts << " times; "
      << r.late_arrivals << " arrivals after their request had resolved; " << r.budget_refused
      << " retries refused by the retry budget\n";
  const auto success = r.outcomes.count("success") ? r.outcomes.at("success") : 0;
  out << "successes: client " << success << ", server " << r.msg_successes << " (replays "
      << r.msg_replays << ", seen by the client " << r.replayed_successes << "); server failures "
      << r.msg_failures << "; max /msg in flight " << r.msg_max_in_flight << "\n";
  out << "exactly once: " << r.unresolved << " unresolved, " << r.callbacks_never_ran
      << " callbacks never ran, " << r.callback_runs_extra << " extra callback runs\n";
  out << "breaker: CLOSED -> OPEN " << r.breaker_opened << " times, failed trials (HALF_OPEN -> "
      << "OPEN) " << r.breaker_reopened << "\n";
  out << "fds: before " << r.before.fds << ", after the soak client " << r.after_main.fds
      << ", after the close-phase client " << r.after_close.fds << "; threads: before "
      << r.before.threads << ", after " << r.after_main.threads << ", after close phase "
      << r.after_close.threads << "\n";
  out << "RSS MiB at 25/50/75/100 %:";
  for (std::size_t q : r.rss_quarters) {
    std::snprintf(buf, sizeof buf, " %.1f", mib(q));
    out << buf;
  }
  if (r.rss_quarters.size() >= 2) {
    std::snprintf(buf, sizeof buf, " (last - first: %+.1f MiB)",
                  mib(r.rss_quarters.back()) - mib(r.rss_quarters.front()));
    out << buf;
  }
  std::snprintf(buf, sizeof buf, "%.3f s", r.close_seconds);
  out << "\nclose(): " << r.close_issued << " outstanding, " << r.close_in_flight_at_close
      << " in the server's handlers; returned in " << buf << "; " << r.close_unresolved_futures
      << " futures unresolved, " << r.close_callbacks_not_run << " callbacks not run, "
      << r.close_callback_runs_extra << " extra runs; outcomes:";
  for (const auto& [cls, n] : r.close_outcomes) out << " " << cls << "=" << n;
  out << "\n";
  return out.str();
}

}  // namespace rhc::soak
