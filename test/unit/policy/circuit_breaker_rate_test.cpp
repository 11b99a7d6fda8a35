// The FailureRate circuit breaker with invented instants: minimum calls, the rate at and just
// below its threshold, the window's edge, slow calls, and what opening does to the window.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>

#include "breaker_harness.hpp"
#include "policy/circuit_breaker.hpp"

using namespace std::chrono_literals;
using rhc::BreakerMode;
using rhc::CircuitBreakerConfig;
using rhc::CircuitState;
using rhc::Seconds;
using rhc::detail::Admission;
using rhc::detail::BreakerTicket;
using rhc::detail::TimePoint;
using rhc::detail::Verdict;
using rhc::test::BreakerHarness;
using rhc::test::Transition;

namespace {

const TimePoint kT0 = TimePoint{} + 1000s;  // on a bucket boundary

// FailureRate: window 10 s, 10 calls minimum, opens at 50 % failures; recovery 30 s.
CircuitBreakerConfig rate_config() {
  CircuitBreakerConfig c;
  c.mode = BreakerMode::FailureRate;
  c.window = Seconds{10.0};
  c.minimum_calls = 10;
  c.failure_rate_threshold = 0.5;
  c.recovery_timeout = Seconds{30.0};
  return c;
}

CircuitBreakerConfig slow_config() {
  CircuitBreakerConfig c = rate_config();
  c.failure_rate_threshold = 1.0;
  c.slow_call_duration = Seconds{2.0};
  c.slow_call_rate_threshold = 0.5;
  return c;
}

}  // namespace

TEST_CASE("failure rate: 9 failed calls under minimum_calls 10 do not open, the 10th does",
          "[breaker][rate]") {
  BreakerHarness h(rate_config());
  h.calls(9, Verdict::Failure, kT0);
  CHECK(h.breaker.state(kT0) == CircuitState::Closed);
  CHECK(h.breaker.window_totals(kT0).calls == 9);
  CHECK(h.breaker.window_totals(kT0).failures == 9);

  SECTION("a 10th failure") {
    h.call(Verdict::Failure, kT0 + 1s);
    CHECK(h.breaker.state(kT0 + 1s) == CircuitState::Open);
  }
  SECTION("a 10th call that succeeds: 9 of 10 failed") {
    h.call(Verdict::Success, kT0 + 1s);
    CHECK(h.breaker.state(kT0 + 1s) == CircuitState::Open);
  }
  CHECK(h.breaker.admit_ticket(kT0 + 1s).admission == Admission::Rejected);
  CHECK(h.transitions == std::vector<Transition>{{CircuitState::Closed, CircuitState::Open}});
}

TEST_CASE("failure rate: a rate exactly at the threshold opens", "[breaker][rate]") {
  SECTION("5 of 10 at 0.5") {
    BreakerHarness h(rate_config());
    h.calls(5, Verdict::Success, kT0);
    h.calls(4, Verdict::Failure, kT0);
    CHECK(h.breaker.state(kT0) == CircuitState::Closed);
    h.call(Verdict::Failure, kT0);
    CHECK(h.breaker.state(kT0) == CircuitState::Open);
  }
  SECTION("3 of 10 at 0.3, a threshold with no exact binary form") {
    CircuitBreakerConfig c = rate_config();
    c.failure_rate_threshold = 0.3;
    BreakerHarness h(c);
    h.calls(7, Verdict::Success, kT0);
    h.calls(2, Verdict::Failure, kT0);
    CHECK(h.breaker.state(kT0) == CircuitState::Closed);
    h.call(Verdict::Failure, kT0);
    CHECK(h.breaker.state(kT0) == CircuitState::Open);
  }
}

TEST_CASE("failure rate: a rate just below the threshold does not open", "[breaker][rate]") {
  BreakerHarness h(rate_config());
  h.calls(6, Verdict::Success, kT0);
  h.calls(4, Verdict::Failure, kT0);  // 4 of 10
  CHECK(h.breaker.state(kT0) == CircuitState::Closed);
  h.call(Verdict::Success, kT0);  // 4 of 11
  h.call(Verdict::Failure, kT0);  // 5 of 12
  h.call(Verdict::Failure, kT0);  // 6 of 13: 0.46
  CHECK(h.breaker.window_totals(kT0).calls == 13);
  CHECK(h.breaker.state(kT0) == CircuitState::Closed);
  h.call(Verdict::Failure, kT0);  // 7 of 14: at it
  CHECK(h.breaker.state(kT0) == CircuitState::Open);
}

TEST_CASE("failure rate: calls leave the window exactly `window` after their second began",
          "[breaker][rate]") {
  BreakerHarness h(rate_config());
  h.calls(9, Verdict::Failure, kT0);
  SECTION("the 10th call just inside the window opens") {
    h.call(Verdict::Failure, kT0 + 9999ms);
    CHECK(h.breaker.state(kT0 + 9999ms) == CircuitState::Open);
  }
  SECTION("at `window` exactly the first 9 have left") {
    CHECK(h.breaker.window_totals(kT0 + 10s).calls == 0);
    h.call(Verdict::Failure, kT0 + 10s);
    CHECK(h.breaker.state(kT0 + 10s) == CircuitState::Closed);
    CHECK(h.breaker.window_totals(kT0 + 10s).calls == 1);
  }
}

TEST_CASE("failure rate: ignored verdicts are not calls", "[breaker][rate]") {
  BreakerHarness h(rate_config());
  h.calls(9, Verdict::Failure, kT0);
  for (int i = 0; i < 5; ++i) {
    const BreakerTicket t = h.breaker.admit_ticket(kT0);
    h.breaker.record(t, Verdict::Ignored, kT0, 0s);
  }
  CHECK(h.breaker.window_totals(kT0).calls == 9);
  CHECK(h.breaker.state(kT0) == CircuitState::Closed);
  CHECK(h.breaker.consecutive_failures() == 9);  // kept in this mode too, for stats
}

TEST_CASE("failure rate: the consecutive count alone never opens it", "[breaker][rate]") {
  CircuitBreakerConfig c = rate_config();
  c.failure_threshold = 1;
  c.minimum_calls = 100;
  BreakerHarness h(c);
  h.calls(50, Verdict::Failure, kT0);
  CHECK(h.breaker.state(kT0) == CircuitState::Closed);
  CHECK(h.breaker.consecutive_failures() == 50);
}

TEST_CASE("slow calls: only the passed transfer time makes a call slow", "[breaker][rate][slow]") {
  BreakerHarness h(slow_config());
  h.call(Verdict::Success, kT0, 2s - 1ns);
  CHECK(h.breaker.window_totals(kT0).slow == 0);
  h.call(Verdict::Success, kT0, 2s);
  CHECK(h.breaker.window_totals(kT0).slow == 1);
  h.call(Verdict::Failure, kT0, 3s);  // a failed call may be slow too
  CHECK(h.breaker.window_totals(kT0).slow == 2);
  // Admitted at kT0 and recorded 5 s later: the time between admit and record (queueing,
  // backoff, earlier attempts) is not the transfer time.
  const BreakerTicket t = h.breaker.admit_ticket(kT0);
  h.breaker.record(t, Verdict::Success, kT0 + 5s, 1s);
  CHECK(h.breaker.window_totals(kT0 + 5s).slow == 2);
  CHECK(h.breaker.window_totals(kT0 + 5s).calls == 4);
}

TEST_CASE("slow calls: a slow rate at its threshold opens", "[breaker][rate][slow]") {
  BreakerHarness h(slow_config());
  h.calls(5, Verdict::Success, kT0, 1s);
  h.calls(4, Verdict::Success, kT0, 2s);
  CHECK(h.breaker.state(kT0) == CircuitState::Closed);  // 9 calls: fewer than minimum_calls
  h.call(Verdict::Success, kT0, 2500ms);                // 5 of 10 slow
  CHECK(h.breaker.state(kT0) == CircuitState::Open);
}

TEST_CASE("slow calls: slow_call_duration 0 counts none", "[breaker][rate][slow]") {
  CircuitBreakerConfig c = slow_config();
  c.slow_call_duration = Seconds{0.0};
  c.slow_call_rate_threshold = 0.1;
  BreakerHarness h(c);
  h.calls(20, Verdict::Success, kT0, 3600s);
  CHECK(h.breaker.window_totals(kT0).slow == 0);
  CHECK(h.breaker.state(kT0) == CircuitState::Closed);
}

TEST_CASE("failure rate: opening clears the window, so recovery starts with an empty one",
          "[breaker][rate]") {
  BreakerHarness h(rate_config());
  h.calls(10, Verdict::Failure, kT0);
  REQUIRE(h.breaker.state(kT0) == CircuitState::Open);
  CHECK(h.breaker.window_totals(kT0).calls == 0);
  const TimePoint t = kT0 + 30s;
  const BreakerTicket trial = h.trial(t);
  h.breaker.record(trial, Verdict::Success, t, 0s);
  REQUIRE(h.breaker.state(t) == CircuitState::Closed);
  CHECK(h.breaker.window_totals(t).calls == 0);  // the trial is no call of the window
  // Within the old window's span, 9 more failures are not enough: they are all it holds.
  h.calls(9, Verdict::Failure, t);
  CHECK(h.breaker.state(t) == CircuitState::Closed);
  h.call(Verdict::Failure, t);
  CHECK(h.breaker.state(t) == CircuitState::Open);
}

TEST_CASE("failure rate: late results never reach the window", "[breaker][rate][late]") {
  BreakerHarness h(rate_config());
  const BreakerTicket stale = h.breaker.admit_ticket(kT0);
  h.calls(10, Verdict::Failure, kT0);
  REQUIRE(h.breaker.state(kT0) == CircuitState::Open);
  h.breaker.record(stale, Verdict::Failure, kT0 + 1s, 0s);  // while open
  CHECK(h.breaker.window_totals(kT0 + 1s).calls == 0);
  const BreakerTicket trial = h.trial(kT0 + 30s);
  h.breaker.record(trial, Verdict::Success, kT0 + 30s, 0s);
  REQUIRE(h.breaker.state(kT0 + 30s) == CircuitState::Closed);
  h.breaker.record(stale, Verdict::Failure, kT0 + 31s, 0s);  // after closing: older epoch
  CHECK(h.breaker.window_totals(kT0 + 31s).calls == 0);
  CHECK(h.breaker.consecutive_failures() == 0);
}

TEST_CASE("breaker stats gather the counters in one value", "[breaker][rate]") {
  BreakerHarness h(slow_config());
  h.call(Verdict::Failure, kT0, 2s);
  h.call(Verdict::Failure, kT0, 0s);
  h.call(Verdict::Success, kT0, 0s);
  h.call(Verdict::Failure, kT0, 0s);
  const auto s = h.breaker.stats(kT0);
  CHECK(s.state == CircuitState::Closed);
  CHECK(s.consecutive_failures == 1);
  CHECK(s.open_count == 0);
  CHECK(s.trials_in_flight == 0);
  CHECK(s.window.calls == 4);
  CHECK(s.window.failures == 3);
  CHECK(s.window.slow == 1);
}
