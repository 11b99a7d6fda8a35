// The chain's composition, driven exactly: a scripted transport stands in for libcurl, a
// manual clock for time, and callbacks run inline. No sockets, no sleeps.
#include <catch2/catch.hpp>

#include <chrono>
#include <vector>

#include "chain_harness.hpp"

using namespace std::chrono_literals;
using namespace rhc::detail;
using namespace rhc::testing::chain;

TEST_CASE("a successful first attempt resolves with attempts 1 and the request id", "[chain]") {
  Harness h(config_with(3));
  auto f = h.submit("abc");
  REQUIRE(h.transport.started.size() == 1);
  h.advance(250ms);
  h.succeed(*h.last);
  auto r = f.get();
  CHECK(r.status_code == 200);
  CHECK(r.attempts == 1);
  CHECK(r.request_id == "abc");
  CHECK(r.elapsed == rhc::Seconds(0.25));
  CHECK(h.chain->live_count() == 0);
}

TEST_CASE("retries wait min_wait * multiplier^(k-1) between attempts, then succeed",
          "[chain][retry]") {
  Harness h(config_with(4));
  auto f = h.submit();
  Request* r = h.last;
  h.fail_status(*r, 500);
  h.advance(999ms);
  CHECK(h.transport.started.size() == 1);
  h.advance(1ms);  // 1 s after the first failure
  CHECK(h.transport.started.size() == 2);
  h.fail_status(*r, 503);
  h.advance(1999ms);
  CHECK(h.transport.started.size() == 2);
  h.advance(1ms);  // 2 s
  CHECK(h.transport.started.size() == 3);
  h.succeed(*r);
  auto resp = f.get();
  CHECK(resp.attempts == 3);
}

TEST_CASE("the last attempt's own error surfaces after max_attempts", "[chain][retry]") {
  Harness h(config_with(3));
  auto f = h.submit();
  Request* r = h.last;
  h.fail_status(*r, 500);
  h.advance(1s);
  h.fail_connection(*r);
  h.advance(2s);
  h.fail_status(*r, 502);
  auto e = error_of<rhc::ServiceUnavailableError>(f, 0s);
  CHECK(e.attempts() == 3);
  CHECK(e.status_code() == 502);
  CHECK(e.request_id() == "req");
  CHECK(h.transport.started.size() == 3);
}

TEST_CASE("attempts are counted in the chain, the transport's re-sends included",
          "[chain][retry]") {
  Harness h(config_with(5));
  auto f = h.submit();
  Request* r = h.last;
  CHECK(h.transport.sends_allowed == std::vector<int>{5});  // the first attempt may use all
  h.fail_connection(*r, /*resends=*/2, Reach::Sent);  // libcurl re-sent twice on dead connections
  CHECK(r->attempts == 3);
  h.advance(4s);  // the backoff after attempt 3: 1 s * 2^2
  REQUIRE(h.transport.started.size() == 2);
  CHECK(h.transport.sends_allowed.back() == 2);  // attempt 4 of 5: itself and one re-send
  h.fail_connection(*r, /*resends=*/1, Reach::Sent);
  auto e = error_of<rhc::APIConnectionError>(f, 0s);
  CHECK(e.attempts() == 5);
}

TEST_CASE("re-sends of an aborted attempt still count", "[chain][cancel]") {
  Harness h(config_with(3));
  auto f = h.submit();
  h.transport.resends_on_abort = 1;
  h.tokens.back().cancel();
  h.chain->cancel(*h.cancels.pending.front());
  auto e = error_of<rhc::CancelledError>(f, 0s);
  CHECK(e.attempts() == 2);
}

TEST_CASE("a 4xx is not retried and keeps its response", "[chain][retry]") {
  Harness h(config_with(5));
  auto f = h.submit();
  h.fail_status(*h.last, 404);
  auto e = error_of<rhc::NotFoundError>(f, 0s);
  CHECK(e.attempts() == 1);
  REQUIRE(e.response() != nullptr);
  CHECK(e.response()->status_code == 404);
  CHECK(h.timers.size() == 0);
}

TEST_CASE("Retry-After on a 429 replaces a shorter backoff", "[chain][retry]") {
  Harness h(config_with(3));
  auto f = h.submit();
  h.fail_status(*h.last, 429, "3");
  h.advance(2999ms);
  CHECK(h.transport.started.size() == 1);
  h.advance(1ms);
  CHECK(h.transport.started.size() == 2);
  h.succeed(*h.last);
  CHECK(f.get().attempts == 2);
}

TEST_CASE("Retry-After beyond max_wait fails at once with that response's error",
          "[chain][retry]") {
  Harness h(config_with(3));
  auto f = h.submit();
  h.fail_status(*h.last, 503, "120");
  auto e = error_of<rhc::ServiceUnavailableError>(f, 0s);
  CHECK(e.attempts() == 1);
  CHECK(std::string(e.what()).find("Retry-After") != std::string::npos);
}

TEST_CASE("the breaker opens after failure_threshold failed requests and fails fast",
          "[chain][breaker]") {
  rhc::ClientConfig c = config_with(1);
  c.circuit_breaker.failure_threshold = 3;
  c.circuit_breaker.recovery_timeout = 5s;
  Harness h(c);
  for (int i = 0; i < 3; ++i) {
    auto f = h.submit();
    h.fail_status(*h.last, 500);
    error_of<rhc::ServerError>(f, 0s);
  }
  CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::Open);
  auto rejected = h.submit();
  auto e = error_of<rhc::CircuitOpenError>(rejected, 0s);
  CHECK(std::string(e.what()).find("Circuit breaker is OPEN") != std::string::npos);
  CHECK(e.attempts() == 0);
  CHECK(h.transport.started.size() == 3);  // no I/O for the rejected one
  CHECK(h.chain->bulkhead().in_use() == 0);

  h.advance(5s);
  auto trial = h.submit();
  Request* trial_request = h.last;
  CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::HalfOpen);
  auto during_trial = h.submit();
  error_of<rhc::CircuitOpenError>(during_trial, 0s);
  h.succeed(*trial_request);
  CHECK(trial.get().status_code == 200);
  CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::Closed);
}

TEST_CASE("4xx, pool timeouts and cancellations do not open the breaker", "[chain][breaker]") {
  rhc::ClientConfig c = config_with(1);
  c.circuit_breaker.failure_threshold = 1;
  Harness h(c);
  auto f = h.submit();
  h.fail_status(*h.last, 400);
  error_of<rhc::InvalidRequestError>(f, 0s);
  auto g = h.submit();
  h.tokens.back().cancel();
  REQUIRE(h.cancels.pending.size() == 1);
  h.chain->cancel(*h.cancels.pending.front());
  error_of<rhc::CancelledError>(g, 0s);
  CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::Closed);
}

TEST_CASE("the bulkhead admits max_concurrency, queues the rest in order, times them out",
          "[chain][bulkhead]") {
  rhc::ClientConfig c = config_with(1);
  c.bulkhead.max_concurrency = 1;
  c.bulkhead.acquisition_timeout = 1s;
  Harness h(c);
  auto f1 = h.submit("1");
  Request* r1 = h.last;
  auto f2 = h.submit("2");
  auto f3 = h.submit("3");
  CHECK(h.transport.started.size() == 1);
  h.advance(500ms);
  h.succeed(*r1);
  REQUIRE(h.transport.started.size() == 2);
  CHECK(h.transport.started[1]->request_id == "2");  // first come, first served
  h.advance(500ms);                                  // request 3 has waited its full second
  auto e = error_of<rhc::PoolTimeoutError>(f3, 0s);
  CHECK(e.attempts() == 0);
  h.succeed(*h.transport.started[1]);
  CHECK(f2.get().request_id == "2");
  CHECK(h.chain->bulkhead().in_use() == 0);
}

TEST_CASE("a request keeps its slot through backoff", "[chain][bulkhead]") {
  rhc::ClientConfig c = config_with(2);
  c.bulkhead.max_concurrency = 1;
  c.bulkhead.acquisition_timeout = 10s;
  Harness h(c);
  auto f1 = h.submit("1");
  Request* r1 = h.last;
  auto f2 = h.submit("2");
  h.fail_status(*r1, 500);
  h.advance(1s);  // r1's retry, still holding the slot
  REQUIRE(h.transport.started.size() == 2);
  CHECK(h.transport.started[1] == r1);
  h.succeed(*r1);
  CHECK(h.transport.started.size() == 3);
  h.succeed(*h.transport.started[2]);
  CHECK(f2.get().attempts == 1);
}

TEST_CASE("cancel ends a request in backoff and frees its slot", "[chain][cancel]") {
  rhc::ClientConfig c = config_with(3);
  c.bulkhead.max_concurrency = 1;
  Harness h(c);
  auto f = h.submit();
  Request* r = h.last;
  h.fail_status(*r, 500);
  h.tokens.back().cancel();
  h.chain->cancel(*h.cancels.pending.front());
  auto e = error_of<rhc::CancelledError>(f, 0s);
  CHECK(e.attempts() == 1);
  h.advance(10s);
  CHECK(h.transport.started.size() == 1);  // no retry after cancel
  CHECK(h.chain->bulkhead().in_use() == 0);
}

TEST_CASE("cancel of an attempt in flight aborts the transfer", "[chain][cancel]") {
  Harness h(config_with(3));
  auto f = h.submit();
  Request* r = h.last;
  h.tokens.back().cancel();
  h.chain->cancel(*h.cancels.pending.front());
  error_of<rhc::CancelledError>(f, 0s);
  REQUIRE(h.transport.aborted.size() == 1);
  CHECK(h.transport.aborted[0] == r);
}

TEST_CASE("timeout.total ends the request wherever it is and skips waits past it",
          "[chain][deadline]") {
  rhc::ClientConfig c = config_with(5);
  c.timeout.total = 2500ms;
  Harness h(c);
  auto f = h.submit();
  Request* r = h.last;
  h.fail_status(*r, 500);
  h.advance(1s);
  REQUIRE(h.transport.started.size() == 2);
  h.fail_status(*r, 500);  // next wait would be 2 s: ends past the deadline
  auto e = error_of<rhc::ServerError>(f, 0s);
  CHECK(e.attempts() == 2);

  auto g = h.submit();
  h.advance(2500ms);  // in flight when the budget runs out
  auto t = error_of<rhc::APITimeoutError>(g, 0s);
  CHECK(t.which() == rhc::TimeoutKind::Total);
  CHECK(h.transport.aborted.size() == 1);
}

TEST_CASE("close_all resolves in-flight, waiting and backing-off requests", "[chain][close]") {
  rhc::ClientConfig c = config_with(3);
  c.bulkhead.max_concurrency = 1;
  Harness h(c);
  auto f1 = h.submit("1");
  auto f2 = h.submit("2");
  h.chain->close_all();
  error_of<rhc::ClientClosedError>(f1, 0s);
  error_of<rhc::ClientClosedError>(f2, 0s);
  CHECK(h.chain->live_count() == 0);
  CHECK(h.timers.size() == 0);
  CHECK(h.transport.started.size() == 1);
}
