// A circuit breaker for tests that records its transitions and runs whole requests (admit,
// then record) at invented instants.
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <utility>
#include <vector>

#include "policy/circuit_breaker.hpp"

namespace rhc::test {

using Transition = std::pair<CircuitState, CircuitState>;

struct BreakerHarness {
  explicit BreakerHarness(const CircuitBreakerConfig& config)
      : breaker(config, [this](CircuitState from, CircuitState to) {
          transitions.emplace_back(from, to);
        }) {}

  // Admits one request at `now`, which must be let through as an ordinary call, and records
  // its verdict at `now` with the final attempt's transfer time.
  void call(detail::Verdict verdict, detail::TimePoint now,
            detail::Duration transfer = detail::Duration::zero()) {
    const detail::BreakerTicket ticket = breaker.admit_ticket(now);
    REQUIRE(ticket.admission == detail::Admission::Admitted);
    breaker.record(ticket, verdict, now, transfer);
  }
  void calls(int n, detail::Verdict verdict, detail::TimePoint now,
             detail::Duration transfer = detail::Duration::zero()) {
    for (int i = 0; i < n; ++i) call(verdict, now, transfer);
  }

  // Admits a request at `now` that must become a trial.
  detail::BreakerTicket trial(detail::TimePoint now) {
    const detail::BreakerTicket ticket = breaker.admit_ticket(now);
    REQUIRE(ticket.admission == detail::Admission::Trial);
    return ticket;
  }

  std::vector<Transition> transitions;  // declared first: the breaker's listener uses it
  detail::CircuitBreaker breaker;
};

}  // namespace rhc::test
