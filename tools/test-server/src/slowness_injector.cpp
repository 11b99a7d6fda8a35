#include "slowness_injector.hpp"

#include <stdexcept>

#include "unit_draw.hpp"

namespace rhc::test_server::detail {

void SlownessInjector::set(const Slowness& slowness) {
  if (!(slowness.probability >= 0.0 && slowness.probability <= 1.0)) {
    throw std::invalid_argument("slowness probability must be in [0, 1]");
  }
  if (slowness.delay.count() < 0) throw std::invalid_argument("slowness delay must be >= 0");
  std::lock_guard lock(mutex_);
  slowness_ = slowness;
  random_.seed(slowness.seed);
}

void SlownessInjector::reset() {
  std::lock_guard lock(mutex_);
  slowness_ = Slowness{};
  random_.seed(0);
}

std::optional<std::chrono::milliseconds> SlownessInjector::next(std::uint64_t attempt) {
  std::lock_guard lock(mutex_);
  if (slowness_.probability <= 0.0) return std::nullopt;
  // Retries and hedges draw nothing, so which first attempts are slowed does not depend on how
  // many retries came between them.
  if (slowness_.first_attempt_only && attempt > 1) return std::nullopt;
  if (unit_draw(random_) >= slowness_.probability) return std::nullopt;
  return slowness_.delay;
}

Slowness SlownessInjector::settings() const {
  std::lock_guard lock(mutex_);
  return slowness_;
}

}  // namespace rhc::test_server::detail
