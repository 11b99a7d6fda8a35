// The policy chain, composed in the order docs/design.md gives:
//
//   idempotency -> circuit breaker -> bulkhead -> retry -> transport
//
// Idempotency runs on the caller's thread (prepare.cpp: it is pure, and keeping it off the
// loop keeps the loop fast); everything from the breaker on runs here, on the loop thread,
// where each policy is a small single-threaded unit (lib/policy/) and every wait is a timer.
// Nothing here blocks and nothing here locks.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>

#include <rhc/config.hpp>
#include <rhc/stats.hpp>

#include "authority/authority_registry.hpp"
#include "chain/request.hpp"
#include "chain/transport.hpp"
#include "errors/classify.hpp"
#include "observe/duration_histogram.hpp"
#include "observe/event_log.hpp"
#include "policy/backoff.hpp"
#include "policy/bulkhead.hpp"
#include "policy/circuit_breaker.hpp"
#include "policy/retry_policy.hpp"
#include "timers/timer_queue.hpp"

namespace rhc::detail {

class Delivery;
class Logger;

class Chain {
 public:
  // `now` is the loop's clock reading for the current iteration; the chain never reads the
  // steady clock itself, so tests drive it with invented instants. (The wall clock is read
  // for one thing: a Retry-After given as an HTTP date.)
  // Events go to `events` (which makes none while nobody listens).
  Chain(const ClientConfig& config, Transport& transport, TimerQueue& timers, Delivery& delivery,
        const Logger& logger, UniformRandom random, const TimePoint& now, EventLog& events);
  ~Chain();

  // Loop thread only, all of them.
  void submit(RequestPtr request);
  void on_attempt_done(Request& request, int lane, AttemptOutcome outcome);
  void on_timer(Request& request, Timer& timer);
  void cancel(Request& request);  // CancelledError, wherever the request is
  // Ends a live request with `failure` at once (its streamed body's sink failed).
  void abort(Request& request, Failure failure);
  void close_all();  // ClientClosedError for every live request
  // The books of a request the caller's thread refused because its breaker was open
  // (refused_at_once): counted, per authority too, and reported as events, as if the chain
  // had refused it. Its outcome was delivered already; `elapsed` is what its caller waited.
  void account_refusal(Request& request, Duration elapsed);

  std::size_t live_count() const { return live_count_; }
  const AuthorityRegistry& authorities() const { return authorities_; }
  // Any thread. The breaker that judges `authority` ("scheme://host:port"): the client's one,
  // or with BreakerScope::Authority its own (Closed if it was never called).
  CircuitState circuit_state(const std::string& authority, TimePoint now) const;
  // Any thread: whether a request to `authority` would be refused by an open breaker now,
  // read without the loop: one atomic load with the client's breaker, a registry lookup
  // (its mutex) with one breaker per authority. False while half-open: that needs the loop.
  bool refused_at_once(const std::string& authority, TimePoint now) const {
    return circuit_state(authority, now) == CircuitState::Open;
  }
  const Bulkhead& bulkhead() const { return bulkhead_; }
  // Loop thread: the counters and gauges of ClientStats, as they are now (events_dropped is
  // the dispatcher's, filled by the caller).
  void fill_stats(ClientStats& out) const;

 private:
  void admit_to_bulkhead(Request& request);
  // A first attempt, or a retry: on a free lane, with the hedge timer armed if it applies.
  void begin_attempt(Request& request);
  int start_on_free_lane(Request& request, bool fresh_connection);  // returns the lane
  // Hedging (hedging.cpp).
  Duration hedge_delay(const Request& request) const;
  void arm_hedge_timer(Request& request);
  void on_hedge_timer(Request& request);
  bool hedge_now(Request& request, const std::string& why);  // false when none may start
  int max_attempts(const Request& request) const;
  // After the retry policy said "retry": what stops it happening (method safety, the
  // authority's retry budget), if anything; then says why in the failure's cause too.
  enum class Suppressed { Budget, Deadline, RetryAfter, UnsafeMethod, Attempts, Committed };
  std::optional<Suppressed> retry_refusal(Request& request, Failure& failure, Reach reach);
  static const char* to_reason(Suppressed why);  // RetrySuppressed's reason: "budget", ...
  // Ends the request with its outcome: every stage left, the breaker told, the slot passed
  // on, the outcome delivered.
  void finish(Request& request, std::variant<Response, Failure> result);
  void fail(Request& request, Failure failure);
  void leave_current_stage(Request& request);
  void hand_slot_on();
  // The waiter `it` points at leaves the line with a slot and starts its first attempt.
  void start_waiter(std::unordered_map<Bulkhead::WaiterId, Request*>::iterator it);
  // Adaptive limits (BulkheadConfig::adaptive): whether the request's authority has room,
  // the slot's books, and starting every waiter that can start now.
  bool can_start(const Request& request) const;
  void grant_slot(Request& request);
  void start_waiters();
  void adapt_limit(Request& request, const Request::Lane& lane, const AttemptOutcome& outcome,
                   std::optional<Duration> retry_after);
  void arm_hold_timer();
  std::unique_ptr<CircuitBreaker> make_authority_breaker(const std::string& authority);
  // Reporting (chain_report.cpp): events and counters.
  // The record of an event about `request`, to fill in at once; null when nobody listens.
  EventRecord* event(Request& request, EventKind kind);
  void report_attempt_start(Request& request);
  void report_attempt_end(Request& request, int attempt, const Failure* failure, int status,
                          Duration transfer);
  void report_unfinished_attempts(Request& request, const Failure* failure);
  void report_hedge(Request& request, const std::string& why);
  void report_hedge_refused(Request& request);
  void report_retry(Request& request, const Failure& failure, Duration wait);
  void report_suppressed(Request& request, const Failure& failure, Suppressed why);
  void report_end(Request& request, const Failure* failure, int status, Duration elapsed);
  void report_breaker_rejected(Request& request);
  void report_bulkhead(Request& request, EventKind kind);
  void report_breaker_transition(const std::string& authority, CircuitState from, CircuitState to);
  void report_limit(Request& request, int limit);
  void link_live(Request& request);
  void unlink_live(Request& request);

  const ClientConfig& config_;
  Transport& transport_;
  TimerQueue& timers_;
  Delivery& delivery_;
  const Logger& logger_;
  const TimePoint& now_;
  const bool breaker_per_authority_;
  CircuitBreaker breaker_;  // the client's, used with BreakerScope::Client
  Bulkhead bulkhead_;
  RetryPolicy retry_;
  AuthorityRegistry authorities_;
  using WaitingMap = std::unordered_map<Bulkhead::WaiterId, Request*>;
  WaitingMap waiting_;   // requests waiting for a slot
  const bool adaptive_;  // per-authority limits inside the bulkhead
  // Fires when the earliest Retry-After hold on a waiter's authority ends.
  struct HoldTimerHandler final : TimerHandler {
    Chain* chain;
    explicit HoldTimerHandler(Chain* c) : chain(c) {}
    void on_timer(Timer&) override;
  };
  HoldTimerHandler hold_handler_{this};
  Timer hold_timer_{&hold_handler_, 0};
  bool holds_set_ = false;  // a hold may be in force on some waiter's authority
  Bulkhead::WaiterId next_waiter_id_ = 1;
  bool closing_ = false;
  Request* live_head_ = nullptr;
  std::size_t live_count_ = 0;

  EventLog& events_;
  struct Counters {
    std::uint64_t requests = 0, successes = 0, failures = 0, attempts = 0, retries = 0,
                  retries_suppressed = 0, retry_budget_exhausted = 0, breaker_rejections = 0,
                  bulkhead_rejected = 0, hedges = 0;
    std::array<std::uint64_t, kErrorKindCount> failures_by_kind{};
    DurationHistogram durations;
  };
  Counters counters_;
};

}  // namespace rhc::detail
