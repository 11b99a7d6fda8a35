#include "figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace rhc::bench::hedge {

double quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::min(values.size(), std::max<std::size_t>(rank, 1)) - 1];
}

Figures figures_of(const RunResult& run, int concurrency) {
  Figures f;
  f.p50_ms = quantile(run.latency_ms, 0.5);
  f.p90_ms = quantile(run.latency_ms, 0.9);
  f.p99_ms = quantile(run.latency_ms, 0.99);
  f.p999_ms = quantile(run.latency_ms, 0.999);
  f.max_ms = quantile(run.latency_ms, 1.0);
  f.requests = static_cast<double>(run.latency_ms.size());
  f.failed = static_cast<double>(run.failed);
  f.requests_per_s = run.wall_s > 0 ? f.requests / run.wall_s : 0;
  const double requests = std::max(1.0, f.requests);
  f.attempts_per_request = static_cast<double>(run.client.attempts) / requests;
  f.extra_attempts_percent = 100 * (f.attempts_per_request - 1);
  f.hedges = static_cast<double>(run.client.hedges);
  f.failure_hedges = static_cast<double>(run.hedges.failure_hedges);
  f.budget_refused = static_cast<double>(run.client.retry_budget_exhausted);
  f.retries = static_cast<double>(run.client.retries);
  f.server_requests = static_cast<double>(run.server.msg_requests);
  f.server_slowed = static_cast<double>(run.server.slowed);
  f.server_client_gone = static_cast<double>(run.server.client_gone);
  f.warm_up_hedges = static_cast<double>(run.hedges.warm_up_waits_ms.size());
  f.warm_up_delay_ms = quantile(run.hedges.warm_up_waits_ms, 0.5);
  f.later_delay_p50_ms = quantile(run.hedges.later_waits_ms, 0.5);
  f.later_delay_p90_ms = quantile(run.hedges.later_waits_ms, 0.9);
  const auto cold = std::min(run.latency_ms.size(), static_cast<std::size_t>(concurrency));
  f.cold_p50_ms = quantile({run.latency_ms.begin(), run.latency_ms.begin() + cold}, 0.5);
  f.success_p95_ms = quantile(run.hedges.success_ms, 0.95);
  f.events_dropped = static_cast<double>(run.client.events_dropped);
  return f;
}

}  // namespace rhc::bench::hedge
