// Each error class from the status or failure that causes it, with what every error carries.
#include <catch2/catch.hpp>

#include <future>
#include <string>

#include <rhc/rhc.hpp>

#include "client_config.hpp"
#include "echo_server.hpp"
#include "outcomes.hpp"

using namespace std::chrono_literals;

namespace {

using rhc::testing::error_of;

// Attempts of their own, and a breaker that never opens: these tests are about error classes.
rhc::ClientConfig fast_config(const std::string& base_url, int attempts) {
  auto c = rhc::testing::quiet_config(base_url);
  c.retry.max_attempts = attempts;
  c.circuit_breaker.failure_threshold = 1000;
  return c;
}

template <class E>
void check_status(rhc::ResilientClient& client, int status, int expected_attempts) {
  INFO("status " << status);
  auto e = error_of<E>(client.get("/status/" + std::to_string(status)));
  CHECK(e.status_code() == status);
  CHECK(e.attempts() == expected_attempts);
  CHECK_FALSE(e.request_id().empty());
  REQUIRE(e.response() != nullptr);
  CHECK(e.response()->text == R"({"error":"injected"})");
  const std::string what = e.what();
  CHECK(what.find("GET ") != std::string::npos);
  CHECK(what.find("/status/" + std::to_string(status)) != std::string::npos);
  CHECK(what.find(e.request_id()) != std::string::npos);
  CHECK(what.find("HTTP " + std::to_string(status)) != std::string::npos);
}

}  // namespace

TEST_CASE("4xx statuses map to their error classes and are not retried", "[client][errors]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(fast_config(server.base_url(), 3));
  check_status<rhc::InvalidRequestError>(client, 400, 1);
  check_status<rhc::AuthenticationError>(client, 401, 1);
  check_status<rhc::AuthenticationError>(client, 403, 1);
  check_status<rhc::NotFoundError>(client, 404, 1);
  check_status<rhc::InvalidRequestError>(client, 422, 1);
  check_status<rhc::APIStatusError>(client, 418, 1);
  CHECK(server.requests_seen() == 6);
}

TEST_CASE("408, 429 and 5xx map to their error classes after every retry", "[client][errors]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(fast_config(server.base_url(), 3));
  check_status<rhc::ServerTimeoutError>(client, 408, 3);
  check_status<rhc::RateLimitError>(client, 429, 3);
  check_status<rhc::ServerError>(client, 500, 3);
  check_status<rhc::ServiceUnavailableError>(client, 502, 3);
  check_status<rhc::ServiceUnavailableError>(client, 503, 3);
  check_status<rhc::ServiceUnavailableError>(client, 504, 3);
  check_status<rhc::ServerError>(client, 507, 3);
  CHECK(server.requests_seen() == 21);
}

TEST_CASE("retryable errors are APIConnectionErrors, 4xx are APIStatusErrors", "[client][errors]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(fast_config(server.base_url(), 1));
  CHECK_THROWS_AS(client.get("/status/503").get(), rhc::APIConnectionError);
  CHECK_THROWS_AS(client.get("/status/404").get(), rhc::APIStatusError);
  CHECK_THROWS_AS(client.get("/status/404").get(), rhc::Error);
}

TEST_CASE("a refused connection is an APIConnectionError after retries", "[client][errors]") {
  std::string url;
  {
    rhc::testing::EchoServer gone;  // bind a port, then free it
    url = gone.base_url();
  }
  rhc::ResilientClient client(fast_config(url, 2));
  auto e = error_of<rhc::APIConnectionError>(client.get("/echo"));
  CHECK(e.attempts() == 2);
  CHECK(e.status_code() == 0);
  CHECK(e.response() == nullptr);
}

TEST_CASE("an invalid configuration is a ConfigError at construction", "[client][config]") {
  rhc::ClientConfig c;
  c.retry.max_attempts = 0;
  CHECK_THROWS_AS(rhc::ResilientClient(c), rhc::ConfigError);
  rhc::ClientConfig ftp;
  ftp.base_url = "ftp://example.com";
  CHECK_THROWS_AS(rhc::create_resilient_client(ftp), rhc::ConfigError);
}

TEST_CASE(
    "bad request options are a ConfigError through the future or the callback, "
    "and nothing is sent",
    "[client][config]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(fast_config(server.base_url(), 3));
  rhc::RequestOptions crlf;
  crlf.headers = {{"X-Evil", "a\r\nInjected: 1"}};
  CHECK_THROWS_AS(client.get("/echo", crlf).get(), rhc::ConfigError);
  rhc::RequestOptions both;
  both.json = "{}";
  both.body = "x";
  CHECK_THROWS_AS(client.post("/echo", both).get(), rhc::ConfigError);
  CHECK_THROWS_AS(client.get("ftp://example.com/").get(), rhc::ConfigError);
  CHECK_THROWS_AS(client.request("BAD METHOD", "/echo").get(), rhc::ConfigError);

  std::promise<rhc::Outcome> got;
  client.get("/echo", crlf, [&](rhc::Outcome o) { got.set_value(std::move(o)); });
  auto got_outcome = got.get_future();
  REQUIRE(got_outcome.wait_for(rhc::testing::slack(30s)) == std::future_status::ready);
  auto outcome = got_outcome.get();
  CHECK_FALSE(outcome.ok());
  CHECK_THROWS_AS(outcome.value(), rhc::ConfigError);
  CHECK(server.requests_seen() == 0);
}
