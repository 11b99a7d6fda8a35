#include "fault_injector.hpp"

#include "unit_draw.hpp"

namespace rhc::test_server::detail {

void FaultInjector::fail_next(std::size_t n, const Fault& fault) {
  std::lock_guard lock(mutex_);
  plan_.clear();
  if (n > 0) plan_.push_back({n, fault});
}

void FaultInjector::then_fail(std::size_t n, const Fault& fault) {
  std::lock_guard lock(mutex_);
  if (n > 0) plan_.push_back({n, fault});
}

void FaultInjector::set_chaos(const ChaosSettings& chaos) {
  std::lock_guard lock(mutex_);
  chaos_ = chaos;
  random_.seed(chaos.seed);
}

void FaultInjector::reset() {
  std::lock_guard lock(mutex_);
  plan_.clear();
  chaos_ = ChaosSettings{};
  random_.seed(0);
}

std::optional<Fault> FaultInjector::next() {
  std::lock_guard lock(mutex_);
  if (!plan_.empty()) {
    Fault fault = plan_.front().fault;
    if (--plan_.front().remaining == 0) plan_.pop_front();
    return fault;
  }
  if (chaos_.probability <= 0.0 || chaos_.faults.empty()) return std::nullopt;
  if (unit_draw(random_) >= chaos_.probability) return std::nullopt;
  return chaos_.faults[random_() % chaos_.faults.size()];
}

FaultSettings FaultInjector::settings() const {
  std::lock_guard lock(mutex_);
  return {std::vector<PlannedFaults>(plan_.begin(), plan_.end()), chaos_};
}

}  // namespace rhc::test_server::detail
