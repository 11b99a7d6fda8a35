// Every scenario of the Python guide -- the usage guide of the Python library that rhc ports:
// its quick start, retries, circuit breaker, bulkhead, idempotency, failure-injection
// walk-through and error classes -- in C++, against the failure-injection server, checked
// from both sides: what the client returned and what the server saw (/stats). (The file
// keeps its old name, from when that guide was called "the seed"; meson names the test
// "guide scenarios", and its cases carry the tag [guide].)
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "slack.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;
using rhc::test_server::Fault;
using rhc::test_server::TestServer;
using Clock = std::chrono::steady_clock;

namespace {

struct Server {
  TestServer server;
  Server() { server.start(); }
};

// The Python guide's configuration with waits shrunk so the suite stays fast.
rhc::ClientConfig guide_config(const TestServer& server) {
  rhc::ClientConfig c;
  c.base_url = server.base_url();
  c.retry.min_wait = 10ms;
  c.retry.max_wait = 100ms;
  c.logging.level = "WARNING";
  return c;
}

std::string message_id(const rhc::Response& r) { return r.json()["message_id"].GetString(); }

}  // namespace

TEST_CASE("quick start: GET /msg returns a message_id", "[guide][quickstart]") {
  Server s;
  auto client = rhc::create_resilient_client(guide_config(s.server));
  auto response = client->get("/msg").get();
  CHECK(response.status_code == 200);
  CHECK(message_id(response).size() == 36);
  CHECK(response.attempts == 1);
  CHECK(s.server.attempts_for(response.request_id) == 1);
}

TEST_CASE("retries recover from /fail/count/2 with one X-Request-ID on every attempt",
          "[guide][retry]") {
  Server s;
  s.server.fail_next(2);
  rhc::ResilientClient client(guide_config(s.server));
  auto response = client.get("/msg").get();
  CHECK(response.status_code == 200);
  CHECK(response.attempts == 3);
  // Server side: exactly as many attempts as the client says, all under the same id.
  CHECK(s.server.attempts_for(response.request_id) == 3);
  auto stats = s.server.stats();
  CHECK(stats.msg_requests == 3);
  CHECK(stats.msg_failures == 2);
  CHECK(stats.msg_successes == 1);
}

TEST_CASE("the circuit breaker opens after three ServerErrors, fails fast, then recovers",
          "[guide][breaker]") {
  Server s;
  auto config = guide_config(s.server);
  config.retry.max_attempts = 3;
  config.circuit_breaker.failure_threshold = 3;
  // Long enough that a slow (sanitizer) build still checks the fail-fast call while the circuit
  // is open; the wait below polls for HALF_OPEN instead of sleeping a fixed time.
  config.circuit_breaker.recovery_timeout = 1s;
  s.server.fail_next(10);
  rhc::ResilientClient client(config);

  for (int i = 0; i < 3; ++i) CHECK_THROWS_AS(client.get("/msg").get(), rhc::ServerError);
  CHECK(client.circuit_state() == rhc::CircuitState::Open);
  CHECK(s.server.stats().msg_requests == 9);

  try {
    client.get("/msg").get();
    FAIL("expected the circuit to be open");
  } catch (const rhc::APIConnectionError& e) {
    CHECK(std::string(e.what()).find("Circuit breaker is OPEN") != std::string::npos);
    CHECK(dynamic_cast<const rhc::CircuitOpenError*>(&e) != nullptr);
    CHECK(e.attempts() == 0);
  }
  CHECK(s.server.stats().msg_requests == 9);  // failing fast did no I/O

  rhc::testing::eventually([&] { return client.circuit_state() != rhc::CircuitState::Open; }, 30s,
                           10ms);
  CHECK(client.circuit_state() == rhc::CircuitState::HalfOpen);
  // The trial meets the tenth injected failure, retries, and succeeds: the circuit closes.
  auto trial = client.get("/msg").get();
  CHECK(trial.attempts == 2);
  CHECK(client.circuit_state() == rhc::CircuitState::Closed);
  CHECK(client.get("/msg").get().status_code == 200);
}

TEST_CASE("the bulkhead runs 5 of 10 slow requests and times the others out", "[guide][bulkhead]") {
  Server s;
  auto config = guide_config(s.server);
  config.bulkhead.max_concurrency = 5;
  config.bulkhead.acquisition_timeout = 300ms;
  rhc::ResilientClient client(config);
  std::vector<std::future<rhc::Response>> tasks;
  rhc::RequestOptions slow;
  // Far longer than the acquisition timeout, so the five waiting requests time out before a
  // slot frees up even when a sanitizer build runs the timers late.
  slow.params = {{"delay", "3000"}};
  for (int i = 0; i < 10; ++i) tasks.push_back(client.get("/msg", slow));
  int successes = 0, pool_timeouts = 0;
  for (auto& t : tasks) {
    try {
      if (t.get().status_code == 200) ++successes;
    } catch (const rhc::PoolTimeoutError& e) {
      ++pool_timeouts;
      CHECK(e.attempts() == 0);
    }
  }
  CHECK(successes == 5);
  CHECK(pool_timeouts == 5);
  auto stats = s.server.stats();
  CHECK(stats.msg_requests == 5);
  CHECK(stats.msg_max_in_flight <= 5);
}

TEST_CASE("a custom request id makes repeated calls idempotent", "[guide][idempotency]") {
  Server s;
  rhc::ResilientClient client(guide_config(s.server));
  rhc::RequestOptions o;
  o.request_id = "test-idempotent-123";
  o.json = R"({"item":"widget"})";
  auto first = client.post("/msg", o).get();
  auto second = client.post("/msg", o).get();
  CHECK(first.request_id == "test-idempotent-123");
  CHECK(message_id(first) == message_id(second));
  CHECK(s.server.attempts_for("test-idempotent-123") == 2);
}

TEST_CASE("retried attempts reach the server with one id and get one message_id",
          "[guide][idempotency]") {
  Server s;
  s.server.fail_next(2);
  rhc::ResilientClient client(guide_config(s.server));
  auto r = client.post("/msg").get();
  rhc::RequestOptions again;
  again.request_id = r.request_id;
  CHECK(message_id(client.post("/msg", again).get()) == message_id(r));
  CHECK(s.server.attempts_for(r.request_id) == 4);
}

TEST_CASE("the failure-injection walk-through of the Python guide", "[guide][failure-injection]") {
  Server s;
  s.server.reset();
  rhc::ResilientClient client(guide_config(s.server));
  CHECK(client.get("/msg").get().status_code == 200);  // 1: success
  s.server.fail_next(2);
  CHECK(client.get("/msg").get().status_code == 200);  // 2: recovers through retries
  rhc::RequestOptions o;
  o.request_id = "test-idempotent-123";
  auto r1 = client.get("/msg", o).get();  // 3: idempotency
  auto r2 = client.get("/msg", o).get();
  CHECK(message_id(r1) == message_id(r2));
}

TEST_CASE("each exception type from the failure that causes it", "[guide][errors]") {
  Server s;
  auto config = guide_config(s.server);
  config.retry.max_attempts = 2;
  config.circuit_breaker.failure_threshold = 1000;
  // Every request here but the hang must be answered: the client's timeouts are many seconds,
  // so a slow (sanitizer) build never turns an answer into a timeout. The hang gets its own
  // client with a short read timeout, facing a hang a hundred times longer.
  config.timeout = rhc::TimeoutConfig::all(60s);
  rhc::ResilientClient client(config);
  auto impatient_config = config;
  impatient_config.timeout.read = 300ms;
  rhc::ResilientClient impatient(impatient_config);
  auto status = [&](int code) {
    s.server.fail_next(2, Fault::status_code(code));
    return client.get("/msg");
  };
  CHECK_THROWS_AS(status(401).get(), rhc::AuthenticationError);
  s.server.reset();
  CHECK_THROWS_AS(status(403).get(), rhc::AuthenticationError);
  s.server.reset();
  CHECK_THROWS_AS(status(404).get(), rhc::NotFoundError);
  s.server.reset();
  CHECK_THROWS_AS(status(400).get(), rhc::InvalidRequestError);
  s.server.reset();
  CHECK_THROWS_AS(status(422).get(), rhc::InvalidRequestError);
  s.server.reset();
  CHECK_THROWS_AS(status(408).get(), rhc::ServerTimeoutError);
  CHECK_THROWS_AS(status(429).get(), rhc::RateLimitError);
  CHECK_THROWS_AS(status(500).get(), rhc::ServerError);
  CHECK_THROWS_AS(status(502).get(), rhc::ServiceUnavailableError);
  CHECK_THROWS_AS(status(503).get(), rhc::ServiceUnavailableError);
  CHECK_THROWS_AS(status(504).get(), rhc::ServiceUnavailableError);

  s.server.fail_next(2, Fault::hang(30s));  // released when the server stops
  try {
    impatient.get("/msg").get();
    FAIL("expected a timeout");
  } catch (const rhc::APITimeoutError& e) {
    CHECK(e.which() == rhc::TimeoutKind::Read);
    CHECK(e.attempts() == 2);
  }
  // Both timed-out attempts must have taken their hang before the next plan replaces it; in a
  // slow build the server may see them after the client gave up on them.
  auto hangs_taken = [&] {
    auto injected = s.server.stats().faults_injected;
    return injected.count("hang") ? injected.at("hang") : 0;
  };
  REQUIRE(rhc::testing::eventually([&] { return hangs_taken() >= 2; }, 30s, 10ms));
  REQUIRE(hangs_taken() == 2);
  s.server.fail_next(2, Fault::reset());
  CHECK_THROWS_AS(client.get("/msg").get(), rhc::APIConnectionError);
  s.server.fail_next(2, Fault::truncate());
  CHECK_THROWS_AS(client.get("/msg").get(), rhc::APIConnectionError);
  // One reset then a success: the retry hides the fault.
  s.server.fail_next(1, Fault::reset());
  CHECK(client.get("/msg").get().attempts == 2);
}

TEST_CASE("Retry-After on a 429 is honoured, in seconds and as an HTTP-date", "[guide][retry]") {
  Server s;
  rhc::ResilientClient client(guide_config(s.server));
  auto config = guide_config(s.server);
  config.retry.max_wait = 5s;
  rhc::ResilientClient patient(config);
  s.server.fail_next(1, Fault::status_code(429, 1s));
  auto start = Clock::now();
  auto r = patient.get("/msg").get();
  CHECK(r.attempts == 2);
  CHECK(Clock::now() - start >= 900ms);

  s.server.fail_next(1, Fault::status_code(503, 2s, /*http_date=*/true));
  start = Clock::now();
  r = patient.get("/msg").get();
  CHECK(r.attempts == 2);
  CHECK(Clock::now() - start >= 900ms);  // HTTP-dates have one-second resolution

  // Asking for more than max_wait (100 ms here) fails at once instead of waiting: far sooner
  // than the ten minutes asked for, even with a sanitizer's slack.
  s.server.fail_next(1, Fault::status_code(429, 600s));
  start = Clock::now();
  CHECK_THROWS_AS(client.get("/msg").get(), rhc::RateLimitError);
  CHECK(Clock::now() - start < rhc::testing::slack(5s));
}

TEST_CASE("health check through the client", "[guide][health]") {
  Server s;
  rhc::ResilientClient client(guide_config(s.server));
  CHECK(client.get("/health").get().status_code == 200);
}
