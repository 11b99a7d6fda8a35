#include "policy/circuit_breaker.hpp"

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
      word_(pack(CircuitState::Closed, TimePoint{})) {}

std::int64_t CircuitBreaker::pack(CircuitState state, TimePoint opened_at) {
  // C++20 defines left shifts of negative values (two's complement), so instants before
  // the clock's epoch, which tests may invent, round-trip too.
  return static_cast<std::int64_t>(opened_at.time_since_epoch().count()) * 4 +
         static_cast<std::int64_t>(state);
}

CircuitBreaker::Snapshot CircuitBreaker::unpack(std::int64_t word) {
  return Snapshot{static_cast<CircuitState>(word & 3), TimePoint(Duration(word >> 2))};
}

void CircuitBreaker::transition(CircuitState to, TimePoint opened_at) {
  const CircuitState from = load().state;
  if (to == CircuitState::Open) ++epoch_;
  word_.store(pack(to, opened_at), std::memory_order_release);
  if (on_change_ && from != to) on_change_(from, to);
}

Admission CircuitBreaker::admit(TimePoint now) {
  const Snapshot s = load();
  switch (s.state) {
    case CircuitState::Closed:
      return Admission::Admitted;
    case CircuitState::Open:
      if (now - s.opened_at < recovery_) return Admission::Rejected;
      transition(CircuitState::HalfOpen, s.opened_at);
      trial_in_flight_ = true;
      return Admission::Trial;
    case CircuitState::HalfOpen:
      if (trial_in_flight_) return Admission::Rejected;
      trial_in_flight_ = true;
      return Admission::Trial;
  }
  return Admission::Rejected;
}

void CircuitBreaker::record(Admission how, Verdict verdict, TimePoint now) {
  record(how, verdict, now, epoch_);
}

void CircuitBreaker::record(Admission how, Verdict verdict, TimePoint now,
                            std::uint64_t admitted_epoch) {
  const Snapshot s = load();
  if (how == Admission::Trial) {
    // Only the trial in flight may decide; a duplicate record is ignored.
    if (s.state != CircuitState::HalfOpen || !trial_in_flight_) return;
    trial_in_flight_ = false;
    if (verdict == Verdict::Success) {
      failures_.store(0, std::memory_order_relaxed);
      transition(CircuitState::Closed, s.opened_at);
    } else if (verdict == Verdict::Failure) {
      failures_.fetch_add(1, std::memory_order_relaxed);
      transition(CircuitState::Open, now);
    }
    return;
  }
  if (how != Admission::Admitted || s.state != CircuitState::Closed) return;
  if (admitted_epoch != epoch_) return;  // admitted before the circuit last opened
  if (verdict == Verdict::Success) {
    failures_.store(0, std::memory_order_relaxed);
  } else if (verdict == Verdict::Failure) {
    const int failures = failures_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (failures >= config_.failure_threshold) transition(CircuitState::Open, now);
  }
}

CircuitState CircuitBreaker::state(TimePoint now) const {
  const Snapshot s = load();
  if (s.state == CircuitState::Open && now - s.opened_at >= recovery_) {
    return CircuitState::HalfOpen;
  }
  return s.state;
}

}  // namespace rhc::detail
