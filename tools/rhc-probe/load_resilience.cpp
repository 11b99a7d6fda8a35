#include "load_resilience.hpp"

#include <limits>

namespace rhc::probe {

rhc::ClientConfig without_resilience(rhc::ClientConfig config) {
  constexpr int kNever = std::numeric_limits<int>::max();
  config.retry.max_attempts = 1;
  config.hedging.enabled = false;
  config.circuit_breaker.mode = rhc::BreakerMode::Consecutive;
  config.circuit_breaker.failure_threshold = kNever;
  config.bulkhead.max_concurrency = kNever;
  config.bulkhead.adaptive.enabled = false;
  return config;
}

}  // namespace rhc::probe
