// CircuitBreaker: counts consecutive failed logical requests and, past failure_threshold,
// refuses requests for recovery_timeout; then one trial request decides whether to close.
//
//   Closed --threshold consecutive failures--> Open --recovery_timeout--> HalfOpen
//   HalfOpen --trial succeeds--> Closed;  HalfOpen --trial fails--> Open (timer restarts)
//
//   Admission how = breaker.admit(now);
//   if (how == Admission::Rejected) fail with CircuitOpenError, no I/O, no bulkhead slot
//   ... the request runs, retries included ...
//   breaker.record(how, verdict, now);   // exactly once per admitted request
//
// admit() and record() run on the event-loop thread only; state() and
// consecutive_failures() may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

#include <rhc/circuit_state.hpp>
#include <rhc/config.hpp>

#include "base/clock.hpp"

namespace rhc::detail {

enum class Admission {
  Admitted,  // circuit closed: an ordinary request
  Trial,     // the one half-open trial request; its verdict decides the state
  Rejected,  // fail fast with CircuitOpenError; never pass to record()
};

// What a finished request means to the breaker.
enum class Verdict {
  Success,  // a response, 4xx included
  Failure,  // the final outcome is retryable-class (APIConnectionError family, but not
            // CircuitOpenError)
  Ignored,  // PoolTimeoutError, ClientClosedError, CancelledError, ConfigError: says
            // nothing about the server
};

const char* to_string(Admission admission);  // "admitted", "trial", "rejected"
const char* to_string(Verdict verdict);      // "success", "failure", "ignored"

class CircuitBreaker {
 public:
  // Called on the loop thread, after the change, for every transition (for logging).
  // It must not call back into the breaker's admit()/record().
  using StateListener = std::function<void(CircuitState from, CircuitState to)>;

  explicit CircuitBreaker(CircuitBreakerConfig config, StateListener on_change = {});

  // Loop thread only.
  //  Closed                                        -> Admitted
  //  Open, now <  opened_at + recovery_timeout     -> Rejected
  //  Open, now >= opened_at + recovery_timeout     -> HalfOpen; Trial
  //  HalfOpen, no trial in flight                  -> Trial
  //  HalfOpen, trial in flight                     -> Rejected
  // So the recovery boundary itself (now == opened_at + recovery_timeout) admits the trial.
  Admission admit(TimePoint now);

  // Loop thread only; exactly once per request that admit() let through, with what admit()
  // returned for it (a Rejected `how` is ignored).
  //  Trial:    Success -> Closed, count reset. Failure -> Open again (opened_at = now).
  //            Ignored -> the trial slot is released and the state stays HalfOpen, so the
  //            next request becomes the trial.
  //  Admitted, state Closed: Failure counts; reaching failure_threshold -> Open (opened_at =
  //            now). Success resets the count. Ignored changes nothing.
  //  Admitted, state Open or HalfOpen (a "late" result: the request was admitted before the
  //            circuit opened): ignored, Success and Failure alike. The trial alone decides
  //            recovery; a late Success is evidence from before the circuit opened and must
  //            not close it, and a late Failure must not prolong the open period.
  void record(Admission how, Verdict verdict, TimePoint now);

  // As record(how, verdict, now), but a result from an Admitted request is counted only
  // if the circuit has not opened since it was admitted (admitted_epoch = epoch() read right
  // after admit()). This keeps requests that were in flight when the circuit opened from
  // re-opening it, with stale failures, after a successful trial has closed it.
  void record(Admission how, Verdict verdict, TimePoint now, std::uint64_t admitted_epoch);

  // Loop thread only. Increments each time the circuit opens.
  std::uint64_t epoch() const { return epoch_; }

  // Any thread: the state as of `now`. An Open circuit whose recovery_timeout has passed
  // reads as HalfOpen (the next request would be its trial). State and opened_at are read
  // in one atomic load, so a reader never pairs one opening's state with another's time.
  CircuitState state(TimePoint now) const;

  // Any thread: consecutive failed requests counted since the last success.
  int consecutive_failures() const { return failures_.load(std::memory_order_relaxed); }

  // Loop thread only: whether a trial request is in flight.
  bool trial_in_flight() const { return trial_in_flight_; }

  const CircuitBreakerConfig& config() const { return config_; }

 private:
  struct Snapshot {
    CircuitState state;
    TimePoint opened_at;
  };
  static std::int64_t pack(CircuitState state, TimePoint opened_at);
  static Snapshot unpack(std::int64_t word);

  Snapshot load() const { return unpack(word_.load(std::memory_order_acquire)); }
  void transition(CircuitState to, TimePoint opened_at);

  CircuitBreakerConfig config_;
  StateListener on_change_;
  Duration recovery_;
  // State in the low 2 bits, opened_at (ticks since the clock's epoch) above them: one word,
  // so state() from another thread is a single consistent load. 62 bits of nanoseconds
  // cover +-73 years around the steady clock's epoch (boot).
  std::atomic<std::int64_t> word_;
  std::atomic<int> failures_{0};
  bool trial_in_flight_ = false;  // loop thread only
  std::uint64_t epoch_ = 0;       // loop thread only
};

}  // namespace rhc::detail
