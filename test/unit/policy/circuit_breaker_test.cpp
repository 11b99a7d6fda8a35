#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <utility>
#include <vector>

#include "policy/circuit_breaker.hpp"

using namespace std::chrono_literals;
using rhc::CircuitBreakerConfig;
using rhc::CircuitState;
using rhc::detail::Admission;
using rhc::detail::CircuitBreaker;
using rhc::detail::TimePoint;
using rhc::detail::Verdict;

namespace {

const TimePoint kT0 = TimePoint{} + 500s;
constexpr auto kRecovery = 30s;
using Transition = std::pair<CircuitState, CircuitState>;

// A breaker with threshold 3 and recovery 30 s that records every transition.
struct Fixture {
  std::vector<Transition> transitions;
  CircuitBreaker breaker{
      CircuitBreakerConfig{3, kRecovery},
      [this](CircuitState from, CircuitState to) { transitions.emplace_back(from, to); }};

  // Admits and fails `n` requests at `now`.
  void fail(int n, TimePoint now) {
    for (int i = 0; i < n; ++i) {
      REQUIRE(breaker.admit(now) == Admission::Admitted);
      breaker.record(Admission::Admitted, Verdict::Failure, now);
    }
  }
  // Opens the circuit at `now`.
  void open_at(TimePoint now) {
    fail(3, now);
    REQUIRE(breaker.state(now) == CircuitState::Open);
  }
};

}  // namespace

TEST_CASE("a closed breaker admits every request", "[breaker]") {
  Fixture f;
  for (int i = 0; i < 100; ++i) CHECK(f.breaker.admit(kT0) == Admission::Admitted);
  CHECK(f.breaker.state(kT0) == CircuitState::Closed);
  CHECK(f.transitions.empty());
}

TEST_CASE("the breaker opens at exactly failure_threshold consecutive failures", "[breaker]") {
  Fixture f;
  f.fail(2, kT0);
  CHECK(f.breaker.state(kT0) == CircuitState::Closed);
  CHECK(f.breaker.consecutive_failures() == 2);
  f.fail(1, kT0 + 1s);
  CHECK(f.breaker.state(kT0 + 1s) == CircuitState::Open);
  CHECK(f.breaker.admit(kT0 + 1s) == Admission::Rejected);
  CHECK(f.transitions == std::vector<Transition>{{CircuitState::Closed, CircuitState::Open}});
}

TEST_CASE("a success resets the consecutive failure count", "[breaker]") {
  Fixture f;
  f.fail(2, kT0);
  REQUIRE(f.breaker.admit(kT0) == Admission::Admitted);
  f.breaker.record(Admission::Admitted, Verdict::Success, kT0);
  CHECK(f.breaker.consecutive_failures() == 0);
  f.fail(2, kT0);
  CHECK(f.breaker.state(kT0) == CircuitState::Closed);
}

TEST_CASE("ignored outcomes neither count nor reset", "[breaker]") {
  Fixture f;
  f.fail(2, kT0);
  f.breaker.record(Admission::Admitted, Verdict::Ignored, kT0);
  CHECK(f.breaker.consecutive_failures() == 2);
  f.fail(1, kT0);
  CHECK(f.breaker.state(kT0) == CircuitState::Open);
}

TEST_CASE("a threshold of 1 opens on the first failure", "[breaker]") {
  CircuitBreaker b(CircuitBreakerConfig{1, kRecovery});
  REQUIRE(b.admit(kT0) == Admission::Admitted);
  b.record(Admission::Admitted, Verdict::Failure, kT0);
  CHECK(b.state(kT0) == CircuitState::Open);
}

TEST_CASE("an open breaker rejects until exactly opened_at + recovery_timeout", "[breaker]") {
  Fixture f;
  f.open_at(kT0);
  const TimePoint boundary = kT0 + kRecovery;
  CHECK(f.breaker.admit(boundary - 1ns) == Admission::Rejected);
  CHECK(f.breaker.state(boundary - 1ns) == CircuitState::Open);
  CHECK(f.breaker.state(boundary) == CircuitState::HalfOpen);  // reads ahead of admit()
  CHECK(f.breaker.admit(boundary) == Admission::Trial);
  CHECK(f.breaker.trial_in_flight());
  CHECK(f.transitions.back() == Transition{CircuitState::Open, CircuitState::HalfOpen});
}

TEST_CASE("half-open admits exactly one trial and rejects the rest", "[breaker]") {
  Fixture f;
  f.open_at(kT0);
  REQUIRE(f.breaker.admit(kT0 + kRecovery) == Admission::Trial);
  for (int i = 0; i < 10; ++i) CHECK(f.breaker.admit(kT0 + kRecovery + 1s) == Admission::Rejected);
  CHECK(f.breaker.state(kT0 + kRecovery + 1s) == CircuitState::HalfOpen);
}

TEST_CASE("a successful trial closes the breaker", "[breaker]") {
  Fixture f;
  f.open_at(kT0);
  const TimePoint t = kT0 + kRecovery;
  REQUIRE(f.breaker.admit(t) == Admission::Trial);
  f.breaker.record(Admission::Trial, Verdict::Success, t + 1s);
  CHECK(f.breaker.state(t + 1s) == CircuitState::Closed);
  CHECK(f.breaker.consecutive_failures() == 0);
  CHECK_FALSE(f.breaker.trial_in_flight());
  CHECK(f.breaker.admit(t + 1s) == Admission::Admitted);
  CHECK(f.transitions == std::vector<Transition>{{CircuitState::Closed, CircuitState::Open},
                                                 {CircuitState::Open, CircuitState::HalfOpen},
                                                 {CircuitState::HalfOpen, CircuitState::Closed}});
}

TEST_CASE("a failed trial reopens the breaker for another full recovery_timeout", "[breaker]") {
  Fixture f;
  f.open_at(kT0);
  const TimePoint trial_start = kT0 + kRecovery;
  const TimePoint trial_end = trial_start + 5s;
  REQUIRE(f.breaker.admit(trial_start) == Admission::Trial);
  f.breaker.record(Admission::Trial, Verdict::Failure, trial_end);
  CHECK(f.breaker.state(trial_end) == CircuitState::Open);
  CHECK(f.transitions.back() == Transition{CircuitState::HalfOpen, CircuitState::Open});
  // The new open period counts from the trial's end, not from the first opening.
  CHECK(f.breaker.admit(trial_end + kRecovery - 1ns) == Admission::Rejected);
  CHECK(f.breaker.state(trial_end + kRecovery - 1ns) == CircuitState::Open);
  CHECK(f.breaker.admit(trial_end + kRecovery) == Admission::Trial);
}

TEST_CASE("an ignored trial frees the trial slot and stays half-open", "[breaker]") {
  Fixture f;
  f.open_at(kT0);
  const TimePoint t = kT0 + kRecovery;
  REQUIRE(f.breaker.admit(t) == Admission::Trial);
  f.breaker.record(Admission::Trial, Verdict::Ignored, t + 1s);
  CHECK(f.breaker.state(t + 1s) == CircuitState::HalfOpen);
  CHECK_FALSE(f.breaker.trial_in_flight());
  CHECK(f.breaker.admit(t + 1s) == Admission::Trial);
  CHECK(f.breaker.admit(t + 1s) == Admission::Rejected);
  CHECK(f.transitions.size() == 2);  // no transition for the ignored trial
}

TEST_CASE("late results of requests admitted before the breaker opened are ignored",
          "[breaker][late]") {
  Fixture f;
  // Two requests admitted while closed are still in flight when the circuit opens.
  REQUIRE(f.breaker.admit(kT0) == Admission::Admitted);
  REQUIRE(f.breaker.admit(kT0) == Admission::Admitted);
  f.open_at(kT0 + 1s);

  SECTION("a late failure while open does not prolong the open period") {
    f.breaker.record(Admission::Admitted, Verdict::Failure, kT0 + 20s);
    CHECK(f.breaker.admit(kT0 + 1s + kRecovery) == Admission::Trial);
  }
  SECTION("a late success while open does not close it") {
    f.breaker.record(Admission::Admitted, Verdict::Success, kT0 + 2s);
    CHECK(f.breaker.state(kT0 + 2s) == CircuitState::Open);
    CHECK(f.breaker.admit(kT0 + 2s) == Admission::Rejected);
  }
  SECTION("late results while half-open leave the trial in charge") {
    REQUIRE(f.breaker.admit(kT0 + 1s + kRecovery) == Admission::Trial);
    f.breaker.record(Admission::Admitted, Verdict::Success, kT0 + 40s);
    f.breaker.record(Admission::Admitted, Verdict::Failure, kT0 + 40s);
    CHECK(f.breaker.state(kT0 + 40s) == CircuitState::HalfOpen);
    CHECK(f.breaker.trial_in_flight());
    CHECK(f.breaker.admit(kT0 + 40s) == Admission::Rejected);
  }
  CHECK(f.transitions.front() == Transition{CircuitState::Closed, CircuitState::Open});
}

TEST_CASE("with epochs, requests from before the circuit opened cannot reopen it",
          "[breaker][late]") {
  Fixture f;
  REQUIRE(f.breaker.admit(kT0) == Admission::Admitted);
  const std::uint64_t stale_epoch = f.breaker.epoch();
  f.open_at(kT0);
  CHECK(f.breaker.epoch() == stale_epoch + 1);
  REQUIRE(f.breaker.admit(kT0 + kRecovery) == Admission::Trial);
  f.breaker.record(Admission::Trial, Verdict::Success, kT0 + kRecovery);
  REQUIRE(f.breaker.state(kT0 + kRecovery) == CircuitState::Closed);

  f.breaker.record(Admission::Admitted, Verdict::Failure, kT0 + 40s, stale_epoch);
  CHECK(f.breaker.consecutive_failures() == 0);
  // The same failure from a request admitted after closing counts.
  f.breaker.record(Admission::Admitted, Verdict::Failure, kT0 + 40s, f.breaker.epoch());
  CHECK(f.breaker.consecutive_failures() == 1);
  // The three-argument form always counts in the current closed period.
  f.breaker.record(Admission::Admitted, Verdict::Failure, kT0 + 40s);
  CHECK(f.breaker.consecutive_failures() == 2);
}

TEST_CASE("duplicate trial results and rejected records change nothing", "[breaker]") {
  Fixture f;
  f.open_at(kT0);
  REQUIRE(f.breaker.admit(kT0 + kRecovery) == Admission::Trial);
  f.breaker.record(Admission::Trial, Verdict::Success, kT0 + kRecovery);
  f.breaker.record(Admission::Trial, Verdict::Failure, kT0 + kRecovery);  // duplicate
  CHECK(f.breaker.state(kT0 + kRecovery) == CircuitState::Closed);
  f.breaker.record(Admission::Rejected, Verdict::Failure, kT0 + kRecovery);
  CHECK(f.breaker.consecutive_failures() == 0);
}

TEST_CASE("the breaker works with invented instants before the clock's epoch", "[breaker]") {
  CircuitBreaker b(CircuitBreakerConfig{1, 250ms});
  const TimePoint t = TimePoint{} - 10s;
  REQUIRE(b.admit(t) == Admission::Admitted);
  b.record(Admission::Admitted, Verdict::Failure, t);
  CHECK(b.state(t + 249ms) == CircuitState::Open);
  CHECK(b.state(t + 250ms) == CircuitState::HalfOpen);
  CHECK(b.admit(t + 250ms) == Admission::Trial);
}

TEST_CASE("state() read from another thread is always a consistent snapshot",
          "[breaker][threads]") {
  // The reader asks about a fixed instant R while the writer opens the circuit at R - 10 s
  // (reads Open) or R - 40 s (reads HalfOpen), half-opens it and closes it, over and over.
  // Every read must be a valid state; run under TSan, this also proves the accesses
  // race-free. Catch2 assertions are not thread-safe, so the reader only counts.
  CircuitBreaker b(CircuitBreakerConfig{1, kRecovery});
  const TimePoint reader_now = kT0 + 1000s;
  std::atomic<bool> started{false}, done{false};
  int seen[3] = {0, 0, 0};
  int invalid = 0;
  std::thread reader([&] {
    for (int i = 0; i < 200'000 && !done.load(std::memory_order_relaxed); ++i) {
      if (i == 1) started = true;
      const auto s = static_cast<int>(b.state(reader_now));
      if (s < 0 || s > 2 || b.consecutive_failures() < 0) {
        ++invalid;
      } else {
        ++seen[s];
      }
    }
  });
  // Overlap the two threads; bounded, in case the reader never gets scheduled.
  const auto give_up_at = std::chrono::steady_clock::now() + 10s;
  while (!started && std::chrono::steady_clock::now() < give_up_at) std::this_thread::yield();
  for (int i = 0; i < 20'000; ++i) {
    const TimePoint opened = reader_now - (i % 2 == 0 ? 10s : 40s);
    REQUIRE(b.admit(opened) == Admission::Admitted);
    b.record(Admission::Admitted, Verdict::Failure, opened);
    REQUIRE(b.admit(opened + kRecovery) == Admission::Trial);
    b.record(Admission::Trial, Verdict::Success, opened + kRecovery);
  }
  done = true;
  reader.join();
  CHECK(invalid == 0);
  CHECK(seen[0] + seen[1] + seen[2] > 0);
  CHECK(b.state(reader_now) == CircuitState::Closed);
}

TEST_CASE("admissions and verdicts have readable names", "[breaker]") {
  CHECK(std::string(to_string(Admission::Trial)) == "trial");
  CHECK(std::string(to_string(Verdict::Ignored)) == "ignored");
}
