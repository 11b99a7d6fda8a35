// Per-authority state: everything rhc keeps about one `scheme://host:port` it talks to (its
// retry budget, its circuit breaker when breakers are per authority, ...), so that one
// failing host is judged on its own and never costs a healthy one its retries or its calls.
//
//   AuthorityState& a = registry.acquire(request.authority, now);   // pinned while used
//   a.budget.record_first_attempt(now);
//   ...
//   registry.release(a, now);                                       // when the request ends
//
// An entry is dropped only when it has been idle for kIdleEviction *and* holds nothing that
// protects a server (no request pinned, its breaker Closed): never to save memory, since
// forgetting an open breaker or a spent budget would let a storm through.
//
// The loop thread makes, uses and drops entries. Other threads may only read an entry's
// breaker state, through breaker_state(), which holds the registry's lock against a drop.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <rhc/circuit_state.hpp>
#include <rhc/config.hpp>

#include "base/clock.hpp"
#include "policy/adaptive_limit.hpp"
#include "policy/circuit_breaker.hpp"
#include "policy/latency_tracker.hpp"
#include "policy/retry_budget.hpp"

namespace rhc::detail {

// What was done with one authority since its entry was made (ClientStats' AuthorityStats).
struct AuthorityCounters {
  std::uint64_t requests = 0;  // ended
  std::uint64_t successes = 0;
  std::uint64_t failures = 0;
  std::uint64_t attempts = 0;
  std::uint64_t retries = 0;
  std::uint64_t hedges = 0;
  std::uint64_t retry_budget_exhausted = 0;
  std::uint64_t breaker_rejections = 0;
};

struct AuthorityState {
  AuthorityState(std::string authority, const ClientConfig& config)
      : name(std::move(authority)), budget(config.retry.budget) {}

  const std::string name;  // "http://api.example:80"
  RetryBudget budget;
  std::unique_ptr<CircuitBreaker> breaker;    // with BreakerScope::Authority; else null
  std::unique_ptr<AdaptiveLimit> limit;       // with BulkheadConfig::adaptive on; else null
  std::unique_ptr<LatencyTracker> latencies;  // with an adaptive hedging delay; else null
  int in_flight = 0;                          // requests holding a bulkhead slot for it
  int pinned = 0;                             // live requests using this entry
  TimePoint last_released{};
  AuthorityCounters counters;  // loop thread
  // Whether its first response came over HTTP/2 (loop thread). There, a request libcurl
  // sends again before any response byte was on a stream the server refused
  // (REFUSED_STREAM, or above a GOAWAY's last stream id): not processed, so safe to send
  // again whatever the method.
  bool speaks_http2 = false;
  bool http_version_known = false;  // speaks_http2 was learnt

  // Nothing in it protects a server, so forgetting it changes no decision.
  bool harmless(TimePoint now) const {
    return pinned == 0 && (breaker == nullptr || breaker->state(now) == CircuitState::Closed);
  }
};

class AuthorityRegistry {
 public:
  static constexpr Duration kIdleEviction = std::chrono::minutes(10);
  static constexpr Duration kSweepInterval = std::chrono::minutes(1);

  // Called on each new entry before first use (the chain gives it a breaker).
  using Setup = std::function<void(AuthorityState&)>;

  explicit AuthorityRegistry(const ClientConfig& config, Setup setup = {})
      : config_(config), setup_(std::move(setup)) {}

  // Loop thread. The entry for `authority`, made on first use, pinned until release().
  AuthorityState& acquire(const std::string& authority, TimePoint now);
  void release(AuthorityState& state, TimePoint now);

  // Loop thread. The entry, if it exists; never makes one.
  const AuthorityState* find(std::string_view authority) const;
  std::size_t size() const;

  // Loop thread. Calls f(const AuthorityState&) for every entry, in no particular order.
  template <typename F>
  void for_each(F&& f) const {
    for (const auto& [name, entry] : entries_) f(*entry);
  }

  // Any thread: the state of the authority's own breaker, or nullopt when it has none (no
  // entry, or breakers are client-wide).
  std::optional<CircuitState> breaker_state(const std::string& authority, TimePoint now) const;

 private:
  void sweep(TimePoint now);

  const ClientConfig& config_;
  Setup setup_;
  // Guards the map's structure (inserts and drops on the loop thread, lookups from others);
  // the loop thread's own lookups of the last authority skip it.
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<AuthorityState>> entries_;
  AuthorityState* last_ = nullptr;  // most clients call one host: skip the hash for it
  TimePoint next_sweep_{};
};

}  // namespace rhc::detail
