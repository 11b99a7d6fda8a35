// Per-authority state: everything rhc keeps about one `scheme://host:port` it talks to (its
// retry budget now; its breaker, adaptive limit and figures as they come), so that one
// failing host is judged on its own and never costs a healthy one its retries.
//
//   AuthorityState& a = registry.acquire(request.authority, now);   // pinned while used
//   a.budget.record_first_attempt(now);
//   ...
//   registry.release(a, now);                                       // when the request ends
//
// An entry is dropped only when it has been idle for kIdleEviction *and* holds nothing that
// protects a server (no request pinned; later: breaker closed): never to save memory, since
// forgetting an open breaker or a spent budget would let a storm through.
// Loop thread only.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <rhc/config.hpp>

#include "base/clock.hpp"
#include "policy/retry_budget.hpp"

namespace rhc::detail {

struct AuthorityState {
  AuthorityState(std::string authority, const ClientConfig& config)
      : name(std::move(authority)), budget(config.retry.budget) {}

  const std::string name;  // "http://api.example:80"
  RetryBudget budget;
  int pinned = 0;  // live requests using this entry
  TimePoint last_released{};

  // Nothing in it protects a server, so forgetting it changes no decision.
  bool harmless() const { return pinned == 0; }
};

class AuthorityRegistry {
 public:
  static constexpr Duration kIdleEviction = std::chrono::minutes(10);
  static constexpr Duration kSweepInterval = std::chrono::minutes(1);

  explicit AuthorityRegistry(const ClientConfig& config) : config_(config) {}

  // The entry for `authority`, made on first use, pinned until release().
  AuthorityState& acquire(const std::string& authority, TimePoint now);
  void release(AuthorityState& state, TimePoint now);

  // The entry, if it exists; never makes one.
  const AuthorityState* find(std::string_view authority) const;
  std::size_t size() const { return entries_.size(); }

 private:
  void sweep(TimePoint now);

  const ClientConfig& config_;
  std::unordered_map<std::string, std::unique_ptr<AuthorityState>> entries_;
  AuthorityState* last_ = nullptr;  // most clients call one host: skip the hash for it
  TimePoint next_sweep_{};
};

}  // namespace rhc::detail
