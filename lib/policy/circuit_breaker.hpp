// CircuitBreaker: judges the server by its finished logical requests (a request and its
// retries are one call, never counted per attempt) and, when the mode's rule says the server
// is failing, refuses requests for an open period; then half_open_probes trial requests
// decide whether to close.
//
//            the mode's rule                             open period k ends
//   Closed ------------------> Open (the k-th opening) ---------------------> HalfOpen
//     ^                          ^                                               |  |
//     |                          +------ any trial fails: opening k + 1 ---------+  |
//     +------------ half_open_probes trial successes: k restarts at 0 --------------+
//
//   Consecutive: failure_threshold failed requests in a row open it.
//   FailureRate: over the last `window` (1 s buckets), calls >= minimum_calls and
//                  failures / calls >= failure_rate_threshold, or
//                  slow / calls >= slow_call_rate_threshold (when slow_call_duration > 0)
//                open it. Ignored verdicts are not calls; opening empties the window.
//   open period k = min(max_recovery_timeout, recovery_timeout * recovery_multiplier^(k-1))
//   HalfOpen: at most half_open_probes trials at once, each holding its place for at most
//             recovery_timeout (a lease); a trial's end, whatever its verdict, frees its place.
//
//   BreakerTicket ticket = breaker.admit_ticket(now);
//   if (ticket.admission == Admission::Rejected) fail with CircuitOpenError: no I/O, no slot
//   ... the request runs, retries included ...
//   breaker.record(ticket, verdict, now, final_attempt_transfer_time);   // exactly once
//
// admit_ticket(), record() and every other member run on the event-loop thread only, except
// state() and consecutive_failures(), which any thread may call.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <rhc/circuit_state.hpp>
#include <rhc/config.hpp>

#include "base/clock.hpp"
#include "policy/call_window.hpp"

namespace rhc::detail {

enum class Admission {
  Admitted,  // circuit closed: an ordinary request
  Trial,     // a half-open trial request; trials' verdicts decide the state
  Rejected,  // fail fast with CircuitOpenError; never pass to record()
};

// What a finished request means to the breaker.
enum class Verdict {
  Success,  // a response, 4xx included
  Failure,  // the final outcome is retryable-class (APIConnectionError family, but not
            // CircuitOpenError)
  Ignored,  // PoolTimeoutError, ClientClosedError, CancelledError, ConfigError: says
            // nothing about the server; not a call
};

const char* to_string(Admission admission);  // "admitted", "trial", "rejected"
const char* to_string(Verdict verdict);      // "success", "failure", "ignored"

// What admit_ticket() hands a request, to be handed back to record() when it ends: how the
// request was admitted, and what tells its result from a stale one.
struct BreakerTicket {
  Admission admission = Admission::Rejected;
  std::uint64_t epoch = 0;  // the breaker's epoch() when admitted
  std::uint64_t trial = 0;  // Trial: the id of its lease on a half-open place (> 0); else 0
};

class CircuitBreaker {
 public:
  // Called on the loop thread, after the change, for every transition (for logging).
  // It must not call back into the breaker's admit()/record().
  using StateListener = std::function<void(CircuitState from, CircuitState to)>;

  // config is taken as validated; out-of-range values are read as the nearest valid ones.
  explicit CircuitBreaker(CircuitBreakerConfig config, StateListener on_change = {});

  // Loop thread only.
  //  Closed                                   -> Admitted
  //  Open, now <  the open period's end       -> Rejected
  //  Open, now >= the open period's end       -> HalfOpen; Trial
  //  HalfOpen, fewer than half_open_probes
  //    trials hold a place                    -> Trial
  //  HalfOpen, every place held               -> Rejected
  // The end of the open period itself admits a trial. A trial holds its place for at most
  // recovery_timeout from its admission: a lease. Expired leases give their places up here,
  // so a trial that hangs never keeps the circuit half-open.
  BreakerTicket admit_ticket(TimePoint now);

  // Loop thread only; exactly once per request that admit_ticket() let through, with its
  // ticket (a Rejected ticket is ignored). transfer_time: the request's final attempt's
  // transfer time (zero if it made none); FailureRate with slow_call_duration > 0 counts the
  // call as slow when transfer_time >= slow_call_duration. Backoff and queueing must not be
  // part of it.
  //  Trial, not yet decided without it, and the circuit still HalfOpen (its lease may have
  //         expired: the lease frees its place, but a trial that ends before any decision
  //         still decides, as the seed's single trial did however long it took):
  //           Success -> one more trial success; half_open_probes of them -> Closed (the
  //                      consecutive count and k reset).
  //           Failure -> Open again (opening k + 1), from now.
  //           Ignored -> the state stays HalfOpen.
  //         Whatever the verdict, the trial's place is released for the next request.
  //         Otherwise (the trials were decided without it, or a duplicate): ignored.
  //  Admitted, circuit Closed and not opened since the request was admitted (ticket.epoch ==
  //         epoch()):
  //           Consecutive: Failure counts; the failure_threshold-th in a row -> Open.
  //                        Success resets the count.
  //           FailureRate: Success and Failure are calls in the window at `now` (Failure a
  //                        failed call; either may be slow); then the window's rule may
  //                        open the circuit. The consecutive count is kept too, for stats.
  //           Ignored changes nothing.
  //         Otherwise (a "late" result): ignored. The trials alone decide recovery; a late
  //         Success is evidence from before the circuit opened and must not close it, a late
  //         Failure must not prolong the open period, and once closed again, stale failures
  //         must not reopen it.
  void record(const BreakerTicket& ticket, Verdict verdict, TimePoint now, Duration transfer_time);

  // The forms before tickets, kept for callers that hold only an Admission. admit(now) is
  // admit_ticket(now).admission. A Trial result without its ticket is taken as the result of
  // the oldest trial holding a place: exact with half_open_probes = 1 as long as no lease
  // expires. The three-argument record() counts as if admitted in the current epoch. Neither
  // record() form ever counts a call as slow.
  Admission admit(TimePoint now) { return admit_ticket(now).admission; }
  void record(Admission how, Verdict verdict, TimePoint now);
  void record(Admission how, Verdict verdict, TimePoint now, std::uint64_t admitted_epoch);

  // Loop thread only. Increments each time the circuit opens.
  std::uint64_t epoch() const { return epoch_; }

  // Any thread: the state as of `now`. An Open circuit whose open period has ended reads as
  // HalfOpen (the next request would be a trial). The state and the open period's end are
  // read in one atomic load, so a reader never pairs one opening's state with another's end.
  CircuitState state(TimePoint now) const;

  // Any thread: consecutive failed requests counted since the last success (both modes).
  int consecutive_failures() const { return failures_.load(std::memory_order_relaxed); }

  // Any thread (pure math on the config): the length of the k-th consecutive opening (k < 1
  // reads as 1): min(max_recovery_timeout, recovery_timeout * recovery_multiplier^(k-1)),
  // never shorter than recovery_timeout.
  Duration open_period(std::uint32_t k) const;
  // Loop thread only: k, the openings since the circuit last closed (0 while it never opened
  // or after it closed; the current opening's number while Open or HalfOpen).
  std::uint32_t open_count() const { return opens_; }
  // Loop thread only: trials holding a half-open place (an expired lease counts until
  // admit_ticket() gives its place up).
  int trials_in_flight() const {
    return static_cast<int>(std::count_if(trials_.begin(), trials_.end(),
                                          [](const Lease& l) { return l.holds_place; }));
  }
  bool trial_in_flight() const { return trials_in_flight() > 0; }
  // Loop thread only: trial successes counted in this half-open period.
  int trial_successes() const { return trial_successes_; }
  // Loop thread only: what the FailureRate window holds as of `now` (zeros in Consecutive
  // mode, and right after an opening).
  CallWindow::Totals window_totals(TimePoint now) const;

  // Loop thread only: the above in one value, for stats.
  struct Stats {
    CircuitState state = CircuitState::Closed;  // as state(now)
    int consecutive_failures = 0;
    std::uint32_t open_count = 0;
    int trials_in_flight = 0;
    CallWindow::Totals window;
  };
  Stats stats(TimePoint now) const;

  const CircuitBreakerConfig& config() const { return config_; }

 private:
  struct Snapshot {
    CircuitState state;
    TimePoint open_until;  // Open: when the open period ends; otherwise meaningless
  };
  struct Lease {
    std::uint64_t id;
    TimePoint admitted;
    bool holds_place = true;  // false once the lease expired: its place went to another
  };
  static std::int64_t pack(CircuitState state, TimePoint open_until);
  static Snapshot unpack(std::int64_t word);

  Snapshot load() const { return unpack(word_.load(std::memory_order_acquire)); }
  void transition(CircuitState to, TimePoint open_until);
  void open(TimePoint now);
  BreakerTicket start_trial(TimePoint now);
  bool lease_expired(const Lease& lease, TimePoint now) const;
  void record_trial(std::uint64_t id, Verdict verdict, TimePoint now);
  void record_call(std::uint64_t admitted_epoch, Verdict verdict, TimePoint now,
                   Duration transfer_time);
  bool window_says_open(TimePoint now) const;

  CircuitBreakerConfig config_;
  StateListener on_change_;
  Duration recovery_;   // recovery_timeout: the first open period and a trial's lease
  Duration slow_call_;  // zero: slow calls not counted
  int probes_;          // half_open_probes, at least 1
  int minimum_calls_;   // at least 1
  // State in the low 2 bits, the open period's end (ticks since the clock's epoch, clamped
  // to 62 bits) above them: one word, so state() from another thread is a single consistent
  // load. 62 bits of nanoseconds cover +-73 years around the steady clock's epoch (boot).
  std::atomic<std::int64_t> word_;
  std::atomic<int> failures_{0};
  // Loop thread only from here on.
  std::uint64_t epoch_ = 0;
  std::uint32_t opens_ = 0;
  std::vector<Lease> trials_;
  std::uint64_t next_trial_ = 1;
  int trial_successes_ = 0;
  std::optional<CallWindow> window_;  // FailureRate only
};

}  // namespace rhc::detail
