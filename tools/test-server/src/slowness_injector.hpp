// Decides, request by request, whether a `/msg` or `/idempotent` request is slowed (Slowness).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <test_server/fault.hpp>

namespace rhc::test_server::detail {

// One per server. Thread-safe; draws are serialized so that they follow arrival order. Its
// PRNG is its own: slowing requests never shifts the chaos sequence of FaultInjector.
class SlownessInjector {
 public:
  // Reseeds the PRNG. Throws std::invalid_argument for a probability outside [0, 1] or a
  // negative delay.
  void set(const Slowness& slowness);
  void reset();

  // The extra wait for the next request, or nullopt if it is not slowed. `attempt` is the
  // request's attempt number for its X-Request-ID (1 without one): with first_attempt_only,
  // a later attempt is never slowed and draws nothing.
  std::optional<std::chrono::milliseconds> next(std::uint64_t attempt);

  Slowness settings() const;

 private:
  mutable std::mutex mutex_;
  Slowness slowness_;
  std::mt19937_64 random_;
};

}  // namespace rhc::test_server::detail
