#include "policy/backoff.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

namespace rhc::detail {

UniformRandom make_default_random() {
  std::random_device device;
  std::seed_seq seed{device(), device(), device(), device()};
  // Shared so copies of the std::function advance one engine instead of replaying draws.
  auto engine = std::make_shared<std::mt19937_64>(seed);
  return [engine] {
    // The top 53 bits scaled by 2^-53: exactly uniform on [0, 1) and never 1.0, unlike
    // std::generate_canonical, which may round up to 1.0 (LWG 2524).
    return static_cast<double>((*engine)() >> 11) * 0x1.0p-53;
  };
}

Duration seconds_to_wait(double seconds) {
  if (!(seconds > 0.0)) return Duration::zero();  // also catches NaN
  const double cap = std::chrono::duration<double>(kMaxPolicyWait).count();
  if (seconds >= cap) return kMaxPolicyWait;
  return std::chrono::round<Duration>(std::chrono::duration<double>(seconds));
}

namespace {

// The jitter-free wait in seconds, computed in doubles so huge k saturates instead of
// overflowing an integer; std::pow returns +inf on overflow, which min() then caps.
double base_seconds(const RetryConfig& config, int retry_k) {
  const double min_wait = config.min_wait.count();
  const double max_wait = config.max_wait.count();
  if (!(min_wait > 0.0)) return 0.0;  // 0 * inf would be NaN; 0 * anything is 0
  const int exponent = std::max(retry_k, 1) - 1;
  const double grown = min_wait * std::pow(config.multiplier, exponent);
  if (std::isnan(grown)) return std::max(0.0, max_wait);
  return std::min(max_wait, grown);
}

}  // namespace

Duration backoff_base(const RetryConfig& config, int retry_k) {
  return seconds_to_wait(base_seconds(config, retry_k));
}

Duration backoff_wait(const RetryConfig& config, int retry_k, const UniformRandom& random) {
  const double base = base_seconds(config, retry_k);
  if (!config.jitter || !random) return seconds_to_wait(base);
  // With max_wait < min_wait (an invalid config) base < min_wait; the range is then [base, base].
  const double low = std::min(std::max(config.min_wait.count(), 0.0), base);
  double r = random();
  if (!(r >= 0.0)) r = 0.0;  // NaN or negative from a faulty source: the low end
  r = std::min(r, 1.0);
  return seconds_to_wait(std::clamp(low + r * (base - low), low, base));
}

}  // namespace rhc::detail
