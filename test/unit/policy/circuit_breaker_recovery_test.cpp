// How a circuit breaker recovers, with invented instants: several half-open probes, their
// leases, and open periods that lengthen with each consecutive opening.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <vector>

#include "breaker_harness.hpp"
#include "policy/circuit_breaker.hpp"

using namespace std::chrono_literals;
using rhc::CircuitBreakerConfig;
using rhc::CircuitState;
using rhc::Seconds;
using rhc::detail::Admission;
using rhc::detail::BreakerTicket;
using rhc::detail::Duration;
using rhc::detail::TimePoint;
using rhc::detail::Verdict;
using rhc::test::BreakerHarness;
using rhc::test::Transition;

namespace {

const TimePoint kT0 = TimePoint{} + 500s;
constexpr auto kRecovery = 30s;

// Consecutive, threshold 1, recovery 30 s, `probes` trials.
CircuitBreakerConfig probe_config(int probes) {
  CircuitBreakerConfig c;
  c.failure_threshold = 1;
  c.recovery_timeout = kRecovery;
  c.half_open_probes = probes;
  return c;
}

// As probe_config(1), with open periods 30, 60, 120, 240, then 300 s.
CircuitBreakerConfig backoff_config() {
  CircuitBreakerConfig c = probe_config(1);
  c.recovery_multiplier = 2.0;
  c.max_recovery_timeout = Seconds{300.0};
  return c;
}

}  // namespace

TEST_CASE("half-open admits half_open_probes trials at once and rejects the next",
          "[breaker][probes]") {
  BreakerHarness h(probe_config(3));
  h.call(Verdict::Failure, kT0);
  const TimePoint t = kT0 + kRecovery;
  std::vector<std::uint64_t> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(h.trial(t + i * 1s).trial);
  CHECK(h.breaker.trials_in_flight() == 3);
  CHECK(h.breaker.admit_ticket(t + 3s).admission == Admission::Rejected);
  CHECK(h.breaker.state(t + 3s) == CircuitState::HalfOpen);
  // Every trial has its own lease.
  CHECK(ids[0] != ids[1]);
  CHECK(ids[1] != ids[2]);
  CHECK(ids[0] != ids[2]);
}

TEST_CASE("half_open_probes successes close; late trial results after that are ignored",
          "[breaker][probes]") {
  BreakerHarness h(probe_config(3));
  h.call(Verdict::Failure, kT0);
  const TimePoint t = kT0 + kRecovery;
  // Places, not a total: a trial that ends, whatever its verdict, lets the next one in.
  const BreakerTicket a = h.trial(t), b = h.trial(t), c = h.trial(t);
  h.breaker.record(c, Verdict::Ignored, t + 1s, 0s);
  CHECK(h.breaker.state(t + 1s) == CircuitState::HalfOpen);
  const BreakerTicket d = h.trial(t + 1s);
  CHECK(h.breaker.admit_ticket(t + 1s).admission == Admission::Rejected);
  h.breaker.record(a, Verdict::Success, t + 2s, 0s);
  CHECK(h.breaker.trial_successes() == 1);
  const BreakerTicket e = h.trial(t + 2s);
  CHECK(h.breaker.admit_ticket(t + 2s).admission == Admission::Rejected);

  h.breaker.record(b, Verdict::Success, t + 2s, 0s);
  CHECK(h.breaker.state(t + 2s) == CircuitState::HalfOpen);
  CHECK(h.breaker.trial_successes() == 2);
  h.breaker.record(d, Verdict::Success, t + 3s, 0s);
  CHECK(h.breaker.state(t + 3s) == CircuitState::Closed);
  CHECK(h.breaker.trials_in_flight() == 0);
  // e was still in flight when the trials closed the circuit: its failure says nothing.
  h.breaker.record(e, Verdict::Failure, t + 4s, 0s);
  CHECK(h.breaker.state(t + 4s) == CircuitState::Closed);
  CHECK(h.breaker.consecutive_failures() == 0);
  CHECK(h.transitions.back() == Transition{CircuitState::HalfOpen, CircuitState::Closed});
}

TEST_CASE("one trial failure reopens; late trial results after that are ignored",
          "[breaker][probes]") {
  BreakerHarness h(probe_config(3));
  h.call(Verdict::Failure, kT0);
  const TimePoint t = kT0 + kRecovery;
  const BreakerTicket a = h.trial(t), b = h.trial(t), c = h.trial(t);
  h.breaker.record(a, Verdict::Success, t + 1s, 0s);
  h.breaker.record(b, Verdict::Failure, t + 2s, 0s);
  CHECK(h.breaker.state(t + 2s) == CircuitState::Open);
  CHECK(h.breaker.trials_in_flight() == 0);
  // c's success neither closes the reopened circuit nor counts toward the next recovery.
  h.breaker.record(c, Verdict::Success, t + 3s, 0s);
  CHECK(h.breaker.state(t + 3s) == CircuitState::Open);
  const TimePoint next = t + 2s + kRecovery;
  CHECK(h.breaker.admit_ticket(next - 1ns).admission == Admission::Rejected);
  const BreakerTicket d = h.trial(next);
  h.breaker.record(c, Verdict::Success, next, 0s);  // nor in the next half-open period
  CHECK(h.breaker.trial_successes() == 0);
  h.breaker.record(d, Verdict::Success, next, 0s);
  CHECK(h.breaker.trial_successes() == 1);
}

TEST_CASE("a probe's lease expires after recovery_timeout: the next request takes its place",
          "[breaker][probes][lease]") {
  BreakerHarness h(probe_config(1));
  h.call(Verdict::Failure, kT0);
  const TimePoint t = kT0 + kRecovery;
  const BreakerTicket hung = h.trial(t);
  CHECK(h.breaker.admit_ticket(t + kRecovery - 1ns).admission == Admission::Rejected);
  const BreakerTicket next = h.trial(t + kRecovery);
  CHECK(next.trial != hung.trial);
  CHECK(h.breaker.trials_in_flight() == 1);
  CHECK(h.breaker.admit_ticket(t + kRecovery).admission == Admission::Rejected);

  SECTION("the hung probe's failure, if it ends first, still reopens") {
    h.breaker.record(hung, Verdict::Failure, t + kRecovery + 1s, 0s);
    CHECK(h.breaker.state(t + kRecovery + 1s) == CircuitState::Open);
    h.breaker.record(next, Verdict::Success, t + kRecovery + 2s, 0s);  // decided: ignored
    CHECK(h.breaker.state(t + kRecovery + 2s) == CircuitState::Open);
  }
  SECTION("the hung probe's success, if it ends first, closes") {
    h.breaker.record(hung, Verdict::Success, t + kRecovery + 1s, 0s);
    CHECK(h.breaker.state(t + kRecovery + 1s) == CircuitState::Closed);
  }
  SECTION("the probe that took its place may decide first; the hung one is then ignored") {
    h.breaker.record(next, Verdict::Failure, t + kRecovery + 1s, 0s);
    CHECK(h.breaker.state(t + kRecovery + 1s) == CircuitState::Open);
    h.breaker.record(hung, Verdict::Success, t + kRecovery + 2s, 0s);
    CHECK(h.breaker.state(t + kRecovery + 2s) == CircuitState::Open);
  }
}

TEST_CASE("a trial slower than recovery_timeout still decides when nobody took its place",
          "[breaker][probes][lease]") {
  // The single trial of the seed's breaker decides whenever it ends; leases only free
  // places, so this default behaviour is kept (test/integration/policy_concurrency_test.cpp:
  // a 1.5 s trial under a 300 ms recovery_timeout).
  BreakerHarness h(probe_config(1));
  h.call(Verdict::Failure, kT0);
  const TimePoint t = kT0 + kRecovery;
  const BreakerTicket slow = h.trial(t);
  SECTION("a failure long after recovery_timeout reopens") {
    h.breaker.record(slow, Verdict::Failure, t + 5 * kRecovery, 0s);
    CHECK(h.breaker.state(t + 5 * kRecovery) == CircuitState::Open);
  }
  SECTION("a success long after recovery_timeout closes") {
    h.breaker.record(slow, Verdict::Success, t + 5 * kRecovery, 0s);
    CHECK(h.breaker.state(t + 5 * kRecovery) == CircuitState::Closed);
  }
}

TEST_CASE("consecutive openings last 30, 60, 120, 240, 300, 300 s", "[breaker][backoff]") {
  BreakerHarness h(backoff_config());
  const std::vector<Duration> expected{30s, 60s, 120s, 240s, 300s, 300s};
  for (std::uint32_t k = 1; k <= expected.size(); ++k) {
    CHECK(h.breaker.open_period(k) == expected[k - 1]);
  }
  TimePoint opened = kT0;
  h.call(Verdict::Failure, opened);
  for (std::uint32_t k = 1; k <= expected.size(); ++k) {
    INFO("opening " << k);
    CHECK(h.breaker.open_count() == k);
    const TimePoint end = opened + expected[k - 1];
    CHECK(h.breaker.admit_ticket(end - 1ns).admission == Admission::Rejected);
    const BreakerTicket trial = h.trial(end);
    opened = end + 1s;  // the reopening counts from the trial's failure
    h.breaker.record(trial, Verdict::Failure, opened, 0s);
    REQUIRE(h.breaker.state(opened) == CircuitState::Open);
  }
  CHECK(h.breaker.open_count() == 7);
}

TEST_CASE("closing resets the open period to recovery_timeout", "[breaker][backoff]") {
  BreakerHarness h(backoff_config());
  h.call(Verdict::Failure, kT0);  // 30 s
  BreakerTicket trial = h.trial(kT0 + 30s);
  h.breaker.record(trial, Verdict::Failure, kT0 + 30s, 0s);  // 60 s
  trial = h.trial(kT0 + 90s);
  h.breaker.record(trial, Verdict::Success, kT0 + 90s, 0s);
  REQUIRE(h.breaker.state(kT0 + 90s) == CircuitState::Closed);
  CHECK(h.breaker.open_count() == 0);
  h.call(Verdict::Failure, kT0 + 100s);
  CHECK(h.breaker.open_count() == 1);
  CHECK(h.breaker.admit_ticket(kT0 + 130s - 1ns).admission == Admission::Rejected);
  CHECK(h.breaker.admit_ticket(kT0 + 130s).admission == Admission::Trial);
}

TEST_CASE("state() reads HalfOpen once the lengthened open period ends, not before",
          "[breaker][backoff]") {
  BreakerHarness h(backoff_config());
  h.call(Verdict::Failure, kT0);
  const BreakerTicket trial = h.trial(kT0 + 30s);
  h.breaker.record(trial, Verdict::Failure, kT0 + 30s, 0s);  // the second opening: 60 s
  const TimePoint end = kT0 + 90s;
  CHECK(h.breaker.state(kT0 + 60s) == CircuitState::Open);  // recovery_timeout alone: not yet
  CHECK(h.breaker.state(end - 1ns) == CircuitState::Open);
  CHECK(h.breaker.state(end) == CircuitState::HalfOpen);
  CHECK(h.breaker.open_count() == 2);  // state() reads ahead; admit() makes it so
  CHECK(h.transitions.back() == Transition{CircuitState::HalfOpen, CircuitState::Open});
}

TEST_CASE("the default config keeps one probe and a fixed open period", "[breaker][backoff]") {
  CircuitBreakerConfig c;
  c.failure_threshold = 1;
  BreakerHarness h(c);
  CHECK(c.mode == rhc::BreakerMode::Consecutive);
  CHECK(h.breaker.open_period(1) == 30s);
  CHECK(h.breaker.open_period(50) == 30s);
  h.call(Verdict::Failure, kT0);
  TimePoint opened = kT0;
  for (int i = 0; i < 5; ++i) {
    const BreakerTicket trial = h.trial(opened + 30s);
    CHECK(h.breaker.admit_ticket(opened + 30s).admission == Admission::Rejected);
    opened += 30s;
    h.breaker.record(trial, Verdict::Failure, opened, 0s);
  }
  CHECK(h.breaker.state(opened + 30s - 1ns) == CircuitState::Open);
  CHECK(h.breaker.state(opened + 30s) == CircuitState::HalfOpen);
}

TEST_CASE("open periods saturate for any k and never undercut recovery_timeout",
          "[breaker][backoff]") {
  CircuitBreakerConfig c = backoff_config();
  c.recovery_multiplier = 1e6;
  CHECK(rhc::detail::CircuitBreaker(c).open_period(4'000'000'000u) == 300s);
  c.max_recovery_timeout = Seconds{10.0};  // below recovery_timeout: refused by validation
  CHECK(rhc::detail::CircuitBreaker(c).open_period(1) == 30s);
  CHECK(rhc::detail::CircuitBreaker(c).open_period(0) == 30s);
}

TEST_CASE("tickets carry the epoch, and a trial's ticket its lease", "[breaker]") {
  BreakerHarness h(probe_config(1));
  const BreakerTicket before = h.breaker.admit_ticket(kT0);
  CHECK(before.admission == Admission::Admitted);
  CHECK(before.epoch == h.breaker.epoch());
  CHECK(before.trial == 0);
  h.call(Verdict::Failure, kT0);
  const BreakerTicket trial = h.trial(kT0 + kRecovery);
  CHECK(trial.epoch == before.epoch + 1);
  CHECK(trial.trial > 0);
  const BreakerTicket rejected = h.breaker.admit_ticket(kT0 + kRecovery);
  CHECK(rejected.admission == Admission::Rejected);
  h.breaker.record(rejected, Verdict::Success, kT0 + kRecovery, 0s);  // changes nothing
  CHECK(h.breaker.state(kT0 + kRecovery) == CircuitState::HalfOpen);
  h.breaker.record(trial, Verdict::Success, kT0 + kRecovery, 0s);
  h.breaker.record(before, Verdict::Failure, kT0 + kRecovery, 0s);  // from an older epoch
  CHECK(h.breaker.state(kT0 + kRecovery) == CircuitState::Closed);
}
