// Retries that protect the server, driven exactly through the chain (docs/retry.md): the
// per-authority retry budget, method safety, the per-request max_attempts, and what 409 and
// 422 mean when an idempotency key was sent.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <future>
#include <string>
#include <vector>

#include "chain_harness.hpp"

using namespace std::chrono_literals;
using namespace rhc::detail;
using namespace rhc::testing::chain;

namespace {

rhc::ClientConfig budget_config(double ratio, double reserve_per_second) {
  rhc::ClientConfig c = config_with(5);
  c.retry.min_wait = 10ms;  // every retry lands well inside one budget window
  c.retry.max_wait = 80ms;
  c.retry.budget.ratio = ratio;
  c.retry.budget.min_retries_per_second = reserve_per_second;
  c.retry.budget.window = rhc::Seconds{10};
  c.bulkhead.max_concurrency = 1000;
  c.circuit_breaker.failure_threshold = 1'000'000;  // out of the way
  return c;
}

// Fails every attempt the transport is given, as `fail` says, and lets backoffs pass, until
// no request is live. Returns the attempts made.
template <class Fail>
std::size_t fail_everything(Harness& h, Fail fail) {
  std::size_t done = 0;
  while (h.chain->live_count() > 0) {
    while (done < h.transport.started.size()) fail(*h.transport.started[done++]);
    h.advance(10ms);
  }
  return h.transport.started.size();
}

auto with_method(std::string method, bool idempotent) {
  return [method = std::move(method), idempotent](Request& r) {
    r.method = method;
    r.idempotent = idempotent;
  };
}

}  // namespace

TEST_CASE(
    "a full outage: 200 concurrent requests make at most requests * (1 + ratio) + reserve "
    "attempts",
    "[chain][budget]") {
  Harness h(budget_config(0.2, 10.0));  // reserve: 10/s * 10 s = 100
  std::vector<std::future<rhc::Response>> futures;
  for (int i = 0; i < 200; ++i) futures.push_back(h.submit("r" + std::to_string(i)));
  const std::size_t attempts = fail_everything(h, [&](Request& r) { h.fail_status(r, 503); });
  CHECK(attempts <= 200 * 1.2 + 100);
  CHECK(attempts > 200);  // the budget allows some retries: it limits, it does not forbid
  int exhausted = 0;
  for (auto& f : futures) {
    auto e = rhc::testing::error_of<rhc::ServiceUnavailableError>(f, 0s);
    if (std::string(e.what()).find("retry budget exhausted") != std::string::npos) ++exhausted;
  }
  CHECK(exhausted > 100);
}

TEST_CASE("without the budget the same outage costs max_attempts per request", "[chain][budget]") {
  rhc::ClientConfig c = budget_config(0.2, 10.0);
  c.retry.budget.enabled = false;
  Harness h(c);
  for (int i = 0; i < 200; ++i) h.submit("r" + std::to_string(i));
  CHECK(fail_everything(h, [&](Request& r) { h.fail_status(r, 503); }) == 200 * 5);
}

TEST_CASE("retries of attempts that never reached the server are exempt from the budget",
          "[chain][budget]") {
  Harness h(budget_config(0.0, 0.0));  // a budget that allows no retry at all
  for (int i = 0; i < 20; ++i) h.submit("r" + std::to_string(i));
  CHECK(fail_everything(h, [&](Request& r) { h.fail_connection(r); }) == 20 * 5);
}

TEST_CASE("an attempt that was sent is not exempt", "[chain][budget]") {
  Harness h(budget_config(0.0, 0.0));
  auto f = h.submit();
  h.fail_connection(*h.last, 0, Reach::Sent);
  auto e = rhc::testing::error_of<rhc::APIConnectionError>(f, 0s);
  CHECK(e.attempts() == 1);
  CHECK(std::string(e.what()).find("retry budget exhausted for http://test:80") !=
        std::string::npos);
}

TEST_CASE("the budget is per authority: a spent one does not stop another host's retries",
          "[chain][budget]") {
  Harness h(budget_config(0.0, 0.1));  // one retry per 10 s window, per authority
  auto on_a = [](Request& r) { r.authority = "http://a:80"; };
  auto on_b = [](Request& r) { r.authority = "http://b:80"; };

  auto a = h.submit("a", on_a);
  Request* ra = h.last;
  h.fail_status(*ra, 500);
  h.advance(10ms);
  REQUIRE(h.transport.started.size() == 2);  // the one retry a's budget holds
  h.fail_status(*ra, 500);
  auto ea = rhc::testing::error_of<rhc::ServerError>(a, 0s);
  CHECK(ea.attempts() == 2);
  CHECK(std::string(ea.what()).find("retry budget exhausted for http://a:80") != std::string::npos);

  auto b = h.submit("b", on_b);
  h.fail_status(*h.last, 500);
  h.advance(10ms);
  CHECK(h.transport.started.size() == 4);  // b's own retry
  h.succeed(*h.last);
  CHECK(b.get().attempts == 2);
  CHECK(h.chain->authorities().size() == 2);
}

TEST_CASE("POST under unsafe_methods = when_safe is retried only when provably not processed",
          "[chain][method-safety]") {
  rhc::ClientConfig c = config_with(3);
  c.retry.unsafe_methods = rhc::UnsafeRetry::WhenSafe;
  Harness h(c);
  const auto post = with_method("POST", false);

  SECTION("a 500 may have been processed: not retried, and the error says why") {
    auto f = h.submit("p", post);
    CHECK(h.transport.sends_allowed == std::vector<int>{1});  // no libcurl re-send either
    h.fail_status(*h.last, 500);
    auto e = rhc::testing::error_of<rhc::ServerError>(f, 0s);
    CHECK(e.attempts() == 1);
    CHECK(std::string(e.what()).find("POST is not idempotent (retry.unsafe_methods = when_safe") !=
          std::string::npos);
  }
  SECTION("a connection that failed after the request went out: not retried") {
    auto f = h.submit("p", post);
    h.fail_connection(*h.last, 0, Reach::Sent);
    CHECK(rhc::testing::error_of<rhc::APIConnectionError>(f, 0s).attempts() == 1);
  }
  SECTION("a request that never left the client: retried") {
    auto f = h.submit("p", post);
    h.fail_connection(*h.last, 0, Reach::NotSent);
    h.advance(1s);
    REQUIRE(h.transport.started.size() == 2);
    h.succeed(*h.last);
    CHECK(f.get().attempts == 2);
  }
  SECTION("the server's explicit refusals (408, 429, 503 with Retry-After): retried") {
    auto f = h.submit("p", post);
    h.fail_status(*h.last, 429);
    h.advance(1s);
    REQUIRE(h.transport.started.size() == 2);
    h.fail_status(*h.last, 503, "1");
    h.advance(2s);
    REQUIRE(h.transport.started.size() == 3);
    h.fail_status(*h.last, 408);
    CHECK(rhc::testing::error_of<rhc::ServerTimeoutError>(f, 0s).attempts() == 3);
  }
  SECTION("a 503 without Retry-After is no refusal: not retried") {
    auto f = h.submit("p", post);
    h.fail_status(*h.last, 503);
    CHECK(rhc::testing::error_of<rhc::ServiceUnavailableError>(f, 0s).attempts() == 1);
  }
  SECTION("GET is retried by the usual rules") {
    auto f = h.submit("g");
    CHECK(h.transport.sends_allowed == std::vector<int>{3});
    h.fail_status(*h.last, 500);
    h.advance(1s);
    CHECK(h.transport.started.size() == 2);
  }
  SECTION("a POST that carries an idempotency key is idempotent") {
    auto f = h.submit("p", with_method("POST", true));
    h.fail_status(*h.last, 500);
    h.advance(1s);
    CHECK(h.transport.started.size() == 2);
  }
}

TEST_CASE("POST under unsafe_methods = never is never retried; always is the old rule",
          "[chain][method-safety]") {
  rhc::ClientConfig c = config_with(3);
  SECTION("never") {
    c.retry.unsafe_methods = rhc::UnsafeRetry::Never;
    Harness h(c);
    auto f = h.submit("p", with_method("PATCH", false));
    h.fail_connection(*h.last, 0, Reach::NotSent);
    auto e = rhc::testing::error_of<rhc::APIConnectionError>(f, 0s);
    CHECK(e.attempts() == 1);
    CHECK(std::string(e.what()).find("PATCH is not idempotent (retry.unsafe_methods = never)") !=
          std::string::npos);
  }
  SECTION("always") {
    Harness h(c);
    auto f = h.submit("p", with_method("POST", false));
    CHECK(h.transport.sends_allowed == std::vector<int>{3});
    h.fail_status(*h.last, 500);
    h.advance(1s);
    CHECK(h.transport.started.size() == 2);
  }
}

TEST_CASE("RequestOptions::max_attempts replaces the client's, below or above it",
          "[chain][retry]") {
  SECTION("fewer") {
    Harness h(config_with(5));
    auto f = h.submit("r", [](Request& r) { r.max_attempts = 2; });
    CHECK(h.transport.sends_allowed == std::vector<int>{2});
    h.fail_status(*h.last, 500);
    h.advance(1s);
    h.fail_status(*h.last, 500);
    CHECK(rhc::testing::error_of<rhc::ServerError>(f, 0s).attempts() == 2);
  }
  SECTION("more") {
    Harness h(config_with(2));
    auto f = h.submit("r", [](Request& r) { r.max_attempts = 4; });
    for (int i = 0; i < 4; ++i) {
      h.fail_status(*h.last, 500);
      h.advance(8s);
    }
    CHECK(rhc::testing::error_of<rhc::ServerError>(f, 0s).attempts() == 4);
  }
  SECTION("one: no retry") {
    Harness h(config_with(5));
    auto f = h.submit("r", [](Request& r) { r.max_attempts = 1; });
    h.fail_status(*h.last, 500);
    CHECK(rhc::testing::error_of<rhc::ServerError>(f, 0s).attempts() == 1);
  }
}

TEST_CASE("with an idempotency key sent, 409 is retried and is no breaker failure",
          "[chain][idempotency]") {
  rhc::ClientConfig c = config_with(3);
  c.circuit_breaker.failure_threshold = 1;
  Harness h(c);
  const auto keyed = [](Request& r) {
    r.method = "POST";
    r.sends_idempotency_key = true;
  };
  SECTION("retried until the original finishes") {
    auto f = h.submit("k", keyed);
    h.fail_status(*h.last, 409);
    h.advance(1s);
    REQUIRE(h.transport.started.size() == 2);
    h.succeed(*h.last);
    CHECK(f.get().attempts == 2);
  }
  SECTION("still in progress after every attempt: IdempotencyConflictError, circuit closed") {
    auto f = h.submit("k", keyed);
    h.fail_status(*h.last, 409);
    h.advance(1s);
    h.fail_status(*h.last, 409);
    h.advance(2s);
    h.fail_status(*h.last, 409);
    auto e = rhc::testing::error_of<rhc::IdempotencyConflictError>(f, 0s);
    CHECK(e.attempts() == 3);
    CHECK(e.retryable());
    CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::Closed);
  }
  SECTION("422: the key was reused with another payload, never retried") {
    auto f = h.submit("k", keyed);
    h.fail_status(*h.last, 422);
    auto e = rhc::testing::error_of<rhc::IdempotencyKeyReusedError>(f, 0s);
    CHECK(e.attempts() == 1);
    CHECK(dynamic_cast<const rhc::InvalidRequestError*>(&e) != nullptr);
    CHECK(h.chain->circuit_state("http://test:80", h.now) == rhc::CircuitState::Closed);
  }
  SECTION("without a key, 409 keeps its plain 4xx meaning") {
    auto f = h.submit("k", with_method("POST", false));
    h.fail_status(*h.last, 409);
    auto e = rhc::testing::error_of<rhc::APIStatusError>(f, 0s);
    CHECK(e.attempts() == 1);
  }
}
