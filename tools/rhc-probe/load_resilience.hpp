// The client a load run measures with. Without --resilience, the resilience chain is off so
// that every request is exactly one round trip to the server and req/s counts real round
// trips, never retries hidden in one request or fast refusals that sent nothing:
//
//   retry.max_attempts = 1          no retries (so the retry budget never acts either)
//   hedging.enabled = false         no second attempt beside the first
//   circuit_breaker: consecutive,   it would open after 2^31 - 1 failures in a row: never
//     failure_threshold = INT_MAX
//   bulkhead.max_concurrency =      never queues or refuses a request; -c bounds what is in
//     INT_MAX, adaptive off         flight instead
//
// Everything else is kept from the configuration (--config, RHC_*, flags): timeouts,
// connection limits, redirects, TLS, proxy, idempotency keys.
#pragma once

#include <rhc/config.hpp>

namespace rhc::probe {

rhc::ClientConfig without_resilience(rhc::ClientConfig config);

}  // namespace rhc::probe
