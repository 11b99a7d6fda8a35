#include "authority/authority_registry.hpp"

namespace rhc::detail {

AuthorityState& AuthorityRegistry::acquire(const std::string& authority, TimePoint now) {
  if (!(now < next_sweep_)) sweep(now);
  AuthorityState* state = last_;
  if (state == nullptr || state->name != authority) {
    auto& slot = entries_[authority];
    if (slot == nullptr) slot = std::make_unique<AuthorityState>(authority, config_);
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
  auto it = entries_.find(std::string(authority));
  return it == entries_.end() ? nullptr : it->second.get();
}

void AuthorityRegistry::sweep(TimePoint now) {
  next_sweep_ = now + kSweepInterval;
  for (auto it = entries_.begin(); it != entries_.end();) {
    const AuthorityState& s = *it->second;
    if (s.harmless() && !(now - s.last_released < kIdleEviction)) {
      if (last_ == it->second.get()) last_ = nullptr;
      it = entries_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace rhc::detail
