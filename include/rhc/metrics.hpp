// ClientStats as Prometheus text (exposition format 0.0.4), ready to serve on /metrics:
//
//   std::string body = rhc::to_prometheus(client->stats());        // "rhc_requests_total ..."
//   std::string mine = rhc::to_prometheus(client->stats(), "payments_rhc");
//
// Metric names and meanings: docs/observability.md. The only labels are `authority`
// ("scheme://host:port"), `state` on rhc_circuit_state, `error` (an error class name, such
// as "ServerError") on rhc_failures_total, and `le` on the histogram's buckets: never a path,
// so the number of series stays bounded by the number of hosts called.
#pragma once

#include <string>
#include <string_view>

#include <rhc/export.hpp>
#include <rhc/stats.hpp>

namespace rhc {

// `prefix` must be a valid metric name start ([a-zA-Z_:][a-zA-Z0-9_:]*), else ConfigError.
RHC_EXPORT std::string to_prometheus(const ClientStats& stats, std::string_view prefix = "rhc");

}  // namespace rhc
