#include "authority/authority_registry.hpp"

namespace rhc::detail {

AuthorityState& AuthorityRegistry::acquire(const std::string& authority, TimePoint now) {
  if (!(now < next_sweep_)) sweep(now);
  AuthorityState* state = last_;
  if (state == nullptr || state->name != authority) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = entries_[authority];
    if (slot == nullptr) {
      slot = std::make_unique<AuthorityState>(authority, config_);
      if (setup_) setup_(*slot);
    }
    state = slot.get();
    last_ = state;
  }
  ++state->pinned;
  return *state;
}

void AuthorityRegistry::release(AuthorityState& state, TimePoint now) {
  --state.pinned;
  state.last_released = now;
}

const AuthorityState* AuthorityRegistry::find(std::string_view authority) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(std::string(authority));
  return it == entries_.end() ? nullptr : it->second.get();
}

std::size_t AuthorityRegistry::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

std::optional<CircuitState> AuthorityRegistry::breaker_state(const std::string& authority,
                                                             TimePoint now) const {
  // Called per request on the caller's thread (fail fast): no copy of the key.
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(authority);
  if (it == entries_.end() || it->second->breaker == nullptr) return std::nullopt;
  return it->second->breaker->state(now);
}

void AuthorityRegistry::sweep(TimePoint now) {
  next_sweep_ = now + kSweepInterval;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    const AuthorityState& s = *it->second;
    if (s.harmless(now) && !(now - s.last_released < kIdleEviction)) {
      if (last_ == it->second.get()) last_ = nullptr;
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace rhc::detail
