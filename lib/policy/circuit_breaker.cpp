#include "policy/circuit_breaker.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "policy/backoff.hpp"

namespace rhc::detail {

const char* to_string(Admission admission) {
  switch (admission) {
    case Admission::Admitted:
      return "admitted";
    case Admission::Trial:
      return "trial";
    case Admission::Rejected:
      return "rejected";
  }
  return "unknown";
}

const char* to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::Success:
      return "success";
    case Verdict::Failure:
      return "failure";
    case Verdict::Ignored:
      return "ignored";
  }
  return "unknown";
}

CircuitBreaker::CircuitBreaker(CircuitBreakerConfig config, StateListener on_change)
    : config_(std::move(config)),
      on_change_(std::move(on_change)),
      recovery_(seconds_to_wait(config_.recovery_timeout.count())),
      slow_call_(seconds_to_wait(config_.slow_call_duration.count())),
      probes_(std::max(config_.half_open_probes, 1)),
      minimum_calls_(std::max(config_.minimum_calls, 1)),
      word_(pack(CircuitState::Closed, TimePoint{})) {
  if (config_.mode == BreakerMode::FailureRate) window_.emplace(config_.window);
}

std::int64_t CircuitBreaker::pack(CircuitState state, TimePoint open_until) {
  // Clamped so that *4 cannot overflow: an open period saturated at kMaxPolicyWait (only
  // from a config that skipped validation) ends beyond 62 bits of nanoseconds. C++20 defines
  // >> of negative values (arithmetic), so instants before the clock's epoch, which tests may
  // invent, round-trip too.
  constexpr std::int64_t kLimit = std::numeric_limits<std::int64_t>::max() / 4;
  const std::int64_t ticks =
      std::clamp<std::int64_t>(open_until.time_since_epoch().count(), -kLimit, kLimit);
  return ticks * 4 + static_cast<std::int64_t>(state);
}

CircuitBreaker::Snapshot CircuitBreaker::unpack(std::int64_t word) {
  return Snapshot{static_cast<CircuitState>(word & 3), TimePoint(Duration(word >> 2))};
}

Duration CircuitBreaker::open_period(std::uint32_t k) const {
  const double base = config_.recovery_timeout.count();
  // A cap below recovery_timeout (refused by validation) must not shorten the first period.
  const double cap = std::max(config_.max_recovery_timeout.count(), base);
  const double multiplier = config_.recovery_multiplier >= 1.0 ? config_.recovery_multiplier : 1.0;
  const double exponent = k > 1 ? static_cast<double>(k - 1) : 0.0;
  // In doubles, so any k saturates: std::pow returns +inf on overflow, which min() caps.
  return seconds_to_wait(std::min(cap, base * std::pow(multiplier, exponent)));
}

void CircuitBreaker::transition(CircuitState to, TimePoint open_until) {
  const CircuitState from = load().state;
  if (to == CircuitState::Open) ++epoch_;
  word_.store(pack(to, open_until), std::memory_order_release);
  if (on_change_ && from != to) on_change_(from, to);
}

void CircuitBreaker::open(TimePoint now) {
  if (opens_ < std::numeric_limits<std::uint32_t>::max()) ++opens_;
  trials_.clear();
  trial_successes_ = 0;
  if (window_) window_->clear();
  transition(CircuitState::Open, now + open_period(opens_));
}

BreakerTicket CircuitBreaker::start_trial(TimePoint now) {
  const std::uint64_t id = next_trial_++;
  trials_.push_back(Lease{id, now});
  return BreakerTicket{Admission::Trial, epoch_, id};
}

bool CircuitBreaker::lease_expired(const Lease& lease, TimePoint now) const {
  return now - lease.admitted >= recovery_;
}

BreakerTicket CircuitBreaker::admit_ticket(TimePoint now) {
  const Snapshot s = load();
  switch (s.state) {
    case CircuitState::Closed:
      return BreakerTicket{Admission::Admitted, epoch_, 0};
    case CircuitState::Open:
      if (now < s.open_until) break;
      trial_successes_ = 0;
      transition(CircuitState::HalfOpen, s.open_until);
      return start_trial(now);
    case CircuitState::HalfOpen:
      // A trial running for recovery_timeout gives its place to this request, so half-open
      // never sticks behind a hung trial; it still decides if it ends before anyone does.
      for (Lease& l : trials_) {
        if (lease_expired(l, now)) l.holds_place = false;
      }
      if (trials_in_flight() >= probes_) break;
      return start_trial(now);
  }
  return BreakerTicket{Admission::Rejected, epoch_, 0};
}

void CircuitBreaker::record(const BreakerTicket& ticket, Verdict verdict, TimePoint now,
                            Duration transfer_time) {
  switch (ticket.admission) {
    case Admission::Trial:
      record_trial(ticket.trial, verdict, now);
      return;
    case Admission::Admitted:
      record_call(ticket.epoch, verdict, now, transfer_time);
      return;
    case Admission::Rejected:
      return;
  }
}

void CircuitBreaker::record(Admission how, Verdict verdict, TimePoint now) {
  record(how, verdict, now, epoch_);
}

void CircuitBreaker::record(Admission how, Verdict verdict, TimePoint now,
                            std::uint64_t admitted_epoch) {
  if (how == Admission::Trial) {
    // Trials are pushed in admission order: the front is the oldest.
    if (!trials_.empty()) record_trial(trials_.front().id, verdict, now);
    return;
  }
  record(BreakerTicket{how, admitted_epoch, 0}, verdict, now, Duration::zero());
}

void CircuitBreaker::record_trial(std::uint64_t id, Verdict verdict, TimePoint now) {
  // Trial ids are never reused and every decision drops all leases, so a trial decided
  // without, reclaimed or already recorded finds no lease here.
  if (load().state != CircuitState::HalfOpen) return;
  const auto lease =
      std::find_if(trials_.begin(), trials_.end(), [id](const Lease& l) { return l.id == id; });
  if (lease == trials_.end()) return;
  // A trial past its lease still decides, as the single trial always did (however long it
  // took): the lease only frees its place for another trial.
  trials_.erase(lease);
  if (verdict == Verdict::Ignored) return;
  if (verdict == Verdict::Failure) {
    failures_.fetch_add(1, std::memory_order_relaxed);
    open(now);
    return;
  }
  if (++trial_successes_ < probes_) return;
  failures_.store(0, std::memory_order_relaxed);
  opens_ = 0;
  trials_.clear();  // the trials still in flight no longer decide anything
  trial_successes_ = 0;
  transition(CircuitState::Closed, TimePoint{});
}

void CircuitBreaker::record_call(std::uint64_t admitted_epoch, Verdict verdict, TimePoint now,
                                 Duration transfer_time) {
  if (load().state != CircuitState::Closed) return;
  if (admitted_epoch != epoch_) return;  // admitted before the circuit last opened
  if (verdict == Verdict::Ignored) return;
  const bool failed = verdict == Verdict::Failure;
  int failures = 0;
  if (failed) {
    failures = failures_.fetch_add(1, std::memory_order_relaxed) + 1;
  } else {
    failures_.store(0, std::memory_order_relaxed);
  }
  if (!window_) {
    if (failed && failures >= config_.failure_threshold) open(now);
    return;
  }
  const bool slow = slow_call_ > Duration::zero() && transfer_time >= slow_call_;
  window_->record(now, failed, slow);
  if (window_says_open(now)) open(now);
}

bool CircuitBreaker::window_says_open(TimePoint now) const {
  const CallWindow::Totals t = window_->in_window(now);
  if (t.calls < static_cast<std::uint64_t>(minimum_calls_)) return false;
  // Divisions, not products: a/b is correctly rounded, so a share exactly equal to the
  // threshold (5 of 10 at 0.5, 3 of 10 at 0.3) compares equal to the threshold's literal.
  const auto calls = static_cast<double>(t.calls);
  if (static_cast<double>(t.failures) / calls >= config_.failure_rate_threshold) return true;
  return slow_call_ > Duration::zero() &&
         static_cast<double>(t.slow) / calls >= config_.slow_call_rate_threshold;
}

CircuitState CircuitBreaker::state(TimePoint now) const {
  const Snapshot s = load();
  if (s.state == CircuitState::Open && !(now < s.open_until)) return CircuitState::HalfOpen;
  return s.state;
}

CallWindow::Totals CircuitBreaker::window_totals(TimePoint now) const {
  return window_ ? window_->in_window(now) : CallWindow::Totals{};
}

CircuitBreaker::Stats CircuitBreaker::stats(TimePoint now) const {
  return Stats{state(now), consecutive_failures(), opens_, trials_in_flight(), window_totals(now)};
}

}  // namespace rhc::detail
