#include "overload_gate.hpp"

#include <stdexcept>

namespace rhc::test_server::detail {

void OverloadGate::set(const std::optional<Overload>& overload) {
  if (overload && overload->max_in_flight == 0) {
    throw std::invalid_argument("max_in_flight must be at least 1 (0 turns overload off)");
  }
  std::lock_guard lock(mutex_);
  overload_ = overload;
}

std::optional<Overload> OverloadGate::settings() const {
  std::lock_guard lock(mutex_);
  return overload_;
}

std::optional<Overload> OverloadGate::enter() {
  std::lock_guard lock(mutex_);
  if (overload_ && running_ >= overload_->max_in_flight) return overload_;
  ++running_;
  return std::nullopt;
}

void OverloadGate::leave() {
  std::lock_guard lock(mutex_);
  if (running_ > 0) --running_;
}

}  // namespace rhc::test_server::detail
