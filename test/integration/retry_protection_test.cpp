// Retries that protect the server, counted from the server's side (docs/retry.md,
// docs/idempotency.md): method safety, the per-authority retry budget against two test
// servers, and an idempotency key that turns a timed-out POST into exactly one execution.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "client_config.hpp"
#include "echo_server.hpp"
#include "outcomes.hpp"
#include "slack.hpp"

using namespace std::chrono_literals;
using rhc::test_server::Fault;
using rhc::test_server::TestServer;
using rhc::testing::error_of;

namespace {

rhc::ClientConfig five_attempts(const std::string& base_url) {
  rhc::ClientConfig c = rhc::testing::quiet_config(base_url);
  c.retry.max_attempts = 5;
  c.circuit_breaker.failure_threshold = 1000;
  return c;
}

// Attempts the server saw for one request that fails 5 times in a row with a 500.
std::uint64_t server_attempts(TestServer& server, rhc::ResilientClient& client,
                              const std::string& method, const std::string& id) {
  server.fail_next(5, Fault::status_code(500));
  rhc::RequestOptions o;
  o.request_id = id;
  try {
    client.request(method, "/msg", o).get();
  } catch (const rhc::ServerError&) {
  }
  return server.attempts_for(id);
}

bool mentions(const std::exception& e, const std::string& text) {
  return std::string(e.what()).find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("POST vs GET under each unsafe_methods value, as the server counts attempts",
          "[retry][method-safety]") {
  TestServer server;
  server.start();
  rhc::ClientConfig c = five_attempts(server.base_url());
  struct Row {
    rhc::UnsafeRetry setting;
    std::uint64_t post, get;
  };
  for (const Row& row : {Row{rhc::UnsafeRetry::Always, 5, 5}, Row{rhc::UnsafeRetry::WhenSafe, 1, 5},
                         Row{rhc::UnsafeRetry::Never, 1, 5}}) {
    c.retry.unsafe_methods = row.setting;
    rhc::ResilientClient client(c);
    const std::string name = rhc::to_string(row.setting);
    INFO("unsafe_methods = " << name);
    CHECK(server_attempts(server, client, "POST", "post-" + name) == row.post);
    CHECK(server_attempts(server, client, "PATCH", "patch-" + name) == row.post);
    CHECK(server_attempts(server, client, "GET", "get-" + name) == row.get);
    CHECK(server_attempts(server, client, "PUT", "put-" + name) == row.get);
  }
}

TEST_CASE("a refused connection is retried under when_safe, budget or not",
          "[retry][method-safety][budget]") {
  std::string url;
  {
    rhc::testing::EchoServer gone;  // bind a port, then free it
    url = gone.base_url();
  }
  rhc::ClientConfig c = rhc::testing::quiet_config(url);
  c.retry.unsafe_methods = rhc::UnsafeRetry::WhenSafe;
  c.retry.budget.ratio = 0;  // a budget that allows no retry: refusals are exempt
  c.retry.budget.min_retries_per_second = 0;
  rhc::ResilientClient client(c);
  auto e = error_of<rhc::APIConnectionError>(client.post("/msg"));
  CHECK(e.attempts() == 3);
  CHECK_FALSE(mentions(e, "retry budget"));
}

TEST_CASE("each authority has its own retry budget", "[retry][budget]") {
  TestServer dead;
  TestServer alive;
  dead.start();
  alive.start();
  rhc::ClientConfig c = five_attempts("");
  c.retry.budget.ratio = 0;
  c.retry.budget.min_retries_per_second = 0.1;  // one retry per 10 s, per authority
  rhc::ResilientClient client(c);

  dead.fail_next(100, Fault::status_code(500));
  auto first = error_of<rhc::ServerError>(client.get(dead.base_url() + "/msg"));
  CHECK(first.attempts() == 2);  // the one retry in the dead server's budget
  auto second = error_of<rhc::ServerError>(client.get(dead.base_url() + "/msg"));
  CHECK(second.attempts() == 1);
  CHECK(mentions(second, "retry budget exhausted for " + dead.base_url()));
  CHECK(dead.stats().msg_requests == 3);

  alive.fail_next(1, Fault::status_code(500));
  auto r = client.get(alive.base_url() + "/msg").get();
  CHECK(r.attempts == 2);  // its own budget, untouched by the dead server's
}

TEST_CASE("RequestOptions::max_attempts overrides the client's for one request", "[retry]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(rhc::testing::quiet_config(server.base_url()));  // 3 attempts
  server.fail_next(10, Fault::status_code(500));
  rhc::RequestOptions more;
  more.max_attempts = 6;
  CHECK(error_of<rhc::ServerError>(client.get("/msg", more)).attempts() == 6);
  rhc::RequestOptions none;
  none.max_attempts = 1;
  CHECK(error_of<rhc::ServerError>(client.get("/msg", none)).attempts() == 1);
  rhc::RequestOptions bad;
  bad.max_attempts = 0;
  CHECK(error_of<rhc::ConfigError>(client.get("/msg", bad)).attempts() == 0);
  CHECK(server.stats().msg_requests == 7);
}

TEST_CASE(
    "a POST that timed out while the server kept working: 409, then the replay, one "
    "execution",
    "[retry][idempotency]") {
  TestServer server;
  server.start();
  rhc::ClientConfig c = rhc::testing::quiet_config(server.base_url());
  c.idempotency.key_header = "Idempotency-Key";
  c.retry.unsafe_methods = rhc::UnsafeRetry::Never;  // the key alone makes it retryable
  c.retry.max_attempts = 100;
  c.retry.min_wait = 250ms;
  c.retry.max_wait = 250ms;
  c.retry.jitter = false;
  c.timeout.read = rhc::Seconds{0.3};  // the first attempt gives up long before the work ends
  rhc::ResilientClient client(c);

  rhc::RequestOptions o;
  o.idempotency_key = "payment-7";
  o.json = R"({"amount": 5})";
  auto r = client.post("/idempotent?work_ms=2000", o).get();
  CHECK(r.status_code == 200);
  CHECK(r.replayed);
  CHECK(r.attempts >= 3);  // the timeout, at least one 409, the replay
  CHECK(server.executions_for_key("payment-7") == 1);
  const auto stats = server.stats();
  CHECK(stats.idempotent_conflicts >= 1);
  CHECK(stats.idempotent_replays == 1);

  SECTION("the same key with another payload: IdempotencyKeyReusedError, not retried") {
    rhc::RequestOptions other;
    other.idempotency_key = "payment-7";
    other.json = R"({"amount": 6})";
    auto e = error_of<rhc::IdempotencyKeyReusedError>(client.post("/idempotent", other));
    CHECK(e.attempts() == 1);
    CHECK(e.status_code() == 422);
    CHECK(server.executions_for_key("payment-7") == 1);
  }
}

TEST_CASE("without a key configured, a 409 is a plain APIStatusError", "[retry][idempotency]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(rhc::testing::quiet_config(server.base_url()));
  server.fail_next(1, Fault::status_code(409));
  auto e = error_of<rhc::APIStatusError>(client.post("/msg"));
  CHECK(e.status_code() == 409);
  CHECK(e.attempts() == 1);
}
