// Per-authority adaptive limits inside the bulkhead, driven exactly through the chain
// (docs/bulkhead.md "Adaptive concurrency"): who starts, who waits, a cut once per round
// trip, growth, and Retry-After holds, with one authority never blocking another.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "chain_harness.hpp"

using namespace std::chrono_literals;
using namespace rhc::detail;
using namespace rhc::testing::chain;

namespace {

rhc::ClientConfig adaptive_config(int initial_limit, double ratio = 0.5) {
  rhc::ClientConfig c = config_with(1);  // one attempt: each outcome ends its request
  c.bulkhead.max_concurrency = 10;
  c.bulkhead.acquisition_timeout = 10s;
  c.bulkhead.adaptive.enabled = true;
  c.bulkhead.adaptive.initial_limit = initial_limit;
  c.bulkhead.adaptive.backoff_ratio = ratio;
  c.circuit_breaker.failure_threshold = 1000;
  return c;
}

auto to(const char* authority) {
  return [authority](Request& r) { r.authority = authority; };
}

}  // namespace

TEST_CASE("a request waits while its authority is at its limit; another authority's does not",
          "[chain][adaptive]") {
  Harness h(adaptive_config(2));
  auto a1 = h.submit("a1", to("http://a:80"));
  Request* ra1 = h.last;
  h.submit("a2", to("http://a:80"));
  auto a3 = h.submit("a3", to("http://a:80"));
  CHECK(h.transport.started.size() == 2);  // a3 waits: a's limit is 2
  auto b1 = h.submit("b1", to("http://b:80"));
  CHECK(h.transport.started.size() == 3);  // b1 goes past a3: b has room
  CHECK(h.transport.started.back()->request_id == "b1");
  h.succeed(*ra1);
  REQUIRE(h.transport.started.size() == 4);  // a1's end makes room for a3
  CHECK(h.transport.started.back()->request_id == "a3");
  CHECK(a1.get().status_code == 200);
}

TEST_CASE("drops of one round trip cut the limit once", "[chain][adaptive]") {
  Harness h(adaptive_config(4));
  for (int i = 0; i < 6; ++i) h.submit("a" + std::to_string(i), to("http://a:80"));
  REQUIRE(h.transport.started.size() == 4);
  std::vector<Request*> first(h.transport.started.begin(), h.transport.started.end());
  for (Request* r : first) h.fail_status(*r, 503);  // four drops, started together
  // 4 * 0.5 = 2: the two waiters start, and no more.
  CHECK(h.transport.started.size() == 6);
  h.submit("a6", to("http://a:80"));
  CHECK(h.transport.started.size() == 6);
}

TEST_CASE("successes with the limit in use grow it by one per round trip", "[chain][adaptive]") {
  Harness h(adaptive_config(2));
  for (int i = 0; i < 4; ++i) h.submit("a" + std::to_string(i), to("http://a:80"));
  REQUIRE(h.transport.started.size() == 2);
  // Two successes with 2 and 1 in flight at limit 2: each counts (2 * in_flight >= 2), and
  // together they are one round trip's worth: the limit becomes 3.
  h.succeed(*h.transport.started[0]);
  CHECK(h.transport.started.size() == 3);  // a2 takes a0's place
  h.succeed(*h.transport.started[1]);
  CHECK(h.transport.started.size() == 5 - 1);  // a3 starts: limit 3, 2 in flight
}

TEST_CASE("a Retry-After holds new admissions to its authority until it passes",
          "[chain][adaptive]") {
  Harness h(adaptive_config(5));
  h.submit("a0", to("http://a:80"));
  h.fail_status(*h.last, 429, "2");  // one attempt: fails, and holds a for 2 s
  auto held = h.submit("a1", to("http://a:80"));
  auto other = h.submit("b1", to("http://b:80"));
  CHECK(h.transport.started.size() == 2);  // b1 started, a1 waits
  h.advance(1999ms);
  CHECK(h.transport.started.size() == 2);
  h.advance(1ms);
  REQUIRE(h.transport.started.size() == 3);
  CHECK(h.transport.started.back()->request_id == "a1");
}

TEST_CASE("a waiter held too long fails with PoolTimeoutError", "[chain][adaptive]") {
  rhc::ClientConfig c = adaptive_config(5);
  c.bulkhead.acquisition_timeout = 1s;
  Harness h(c);
  h.submit("a0", to("http://a:80"));
  h.fail_status(*h.last, 503, "5");
  auto f = h.submit("a1", to("http://a:80"));
  h.advance(1s);
  CHECK(rhc::testing::error_of<rhc::PoolTimeoutError>(f, 0s).attempts() == 0);
}

TEST_CASE("with adaptive off the bulkhead is the plain FIFO", "[chain][adaptive]") {
  rhc::ClientConfig c = adaptive_config(1);
  c.bulkhead.adaptive.enabled = false;
  c.bulkhead.max_concurrency = 1;
  Harness h(c);
  h.submit("a0", to("http://a:80"));
  h.submit("a1", to("http://a:80"));
  h.submit("b1", to("http://b:80"));
  CHECK(h.transport.started.size() == 1);
  h.succeed(*h.transport.started[0]);
  CHECK(h.transport.started.back()->request_id == "a1");  // first come, whatever authority
}

TEST_CASE("with BreakerScope::Authority a dead host's open breaker never blocks a healthy host",
          "[chain][breaker-scope]") {
  rhc::ClientConfig c = config_with(1);
  c.circuit_breaker.failure_threshold = 2;
  c.circuit_breaker.scope = rhc::BreakerScope::Authority;
  Harness h(c);
  for (int i = 0; i < 2; ++i) {
    h.submit("a" + std::to_string(i), to("http://a:80"));
    h.fail_status(*h.last, 500);
  }
  CHECK(h.chain->circuit_state("http://a:80", h.now) == rhc::CircuitState::Open);
  CHECK(h.chain->circuit_state("http://b:80", h.now) == rhc::CircuitState::Closed);
  const std::size_t started = h.transport.started.size();
  auto refused = h.submit("a2", to("http://a:80"));
  CHECK(rhc::testing::error_of<rhc::CircuitOpenError>(refused, 0s).attempts() == 0);
  auto fine = h.submit("b0", to("http://b:80"));
  REQUIRE(h.transport.started.size() == started + 1);
  h.succeed(*h.last);
  CHECK(fine.get().status_code == 200);
}

TEST_CASE("with BreakerScope::Client one host's failures open the breaker for all",
          "[chain][breaker-scope]") {
  rhc::ClientConfig c = config_with(1);
  c.circuit_breaker.failure_threshold = 2;
  Harness h(c);
  for (int i = 0; i < 2; ++i) {
    h.submit("a" + std::to_string(i), to("http://a:80"));
    h.fail_status(*h.last, 500);
  }
  CHECK(h.chain->circuit_state("http://b:80", h.now) == rhc::CircuitState::Open);
  auto refused = h.submit("b0", to("http://b:80"));
  CHECK(rhc::testing::error_of<rhc::CircuitOpenError>(refused, 0s).attempts() == 0);
}

TEST_CASE("failure-rate mode: a slow call is a slow final attempt, never backoff or queueing",
          "[chain][breaker-mode]") {
  rhc::ClientConfig c = config_with(2);
  c.circuit_breaker.mode = rhc::BreakerMode::FailureRate;
  c.circuit_breaker.minimum_calls = 2;
  c.circuit_breaker.failure_rate_threshold = 1.0;
  c.circuit_breaker.slow_call_duration = rhc::Seconds{1};
  c.circuit_breaker.slow_call_rate_threshold = 0.5;
  Harness h(c);
  for (int i = 0; i < 2; ++i) {  // 1.2 s each, but 1 s of it is the backoff
    h.submit("fast" + std::to_string(i));
    h.advance(100ms);
    h.fail_status(*h.last, 500);
    h.advance(1s);
    h.advance(100ms);
    h.succeed(*h.last);
  }
  CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::Closed);
  h.submit("slow");
  h.advance(1s);  // the attempt itself takes 1 s: slow
  h.succeed(*h.last);
  // 1 slow of 3 calls: under 0.5.
  CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::Closed);
  h.submit("slow2");
  h.advance(1500ms);
  h.succeed(*h.last);
  CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::Open);  // 2 of 4
}

TEST_CASE("half-open admits half_open_probes trials through the chain", "[chain][breaker-mode]") {
  rhc::ClientConfig c = config_with(1);
  c.circuit_breaker.failure_threshold = 1;
  c.circuit_breaker.recovery_timeout = rhc::Seconds{10};
  c.circuit_breaker.half_open_probes = 2;
  Harness h(c);
  h.submit("down");
  h.fail_status(*h.last, 500);
  h.advance(10s);
  h.submit("probe1");
  Request* p1 = h.last;
  h.submit("probe2");
  Request* p2 = h.last;
  auto third = h.submit("third");
  CHECK(rhc::testing::error_of<rhc::CircuitOpenError>(third, 0s).attempts() == 0);
  h.succeed(*p1);
  CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::HalfOpen);
  h.succeed(*p2);
  CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::Closed);
}
