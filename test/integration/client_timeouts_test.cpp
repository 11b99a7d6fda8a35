// The four transport timeouts, each against a server that makes exactly it fire, and
// cancellation of a stalled request. Durations are small; bounds are generous.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <string>

#include <rhc/rhc.hpp>

#include "client_config.hpp"
#include "echo_server.hpp"
#include "outcomes.hpp"
#include "slack.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using rhc::testing::slack;

namespace {

using rhc::testing::timeout_of;

rhc::ClientConfig one_attempt(const std::string& base_url) {
  auto c = rhc::testing::quiet_config(base_url);
  c.retry.max_attempts = 1;
  c.timeout = rhc::TimeoutConfig::all(10s);
  return c;
}

}  // namespace

TEST_CASE("read timeout fires when the server accepts and never answers", "[client][timeout]") {
  rhc::testing::SilentServer silent;
  auto config = one_attempt(silent.base_url());
  config.timeout.read = 300ms;
  rhc::ResilientClient client(config);
  const auto start = Clock::now();
  auto e = timeout_of(client.get("/anything"));
  CHECK(e.which() == rhc::TimeoutKind::Read);
  CHECK(std::string(e.what()).find("read timeout") != std::string::npos);
  CHECK(Clock::now() - start >= 250ms);
  CHECK(Clock::now() - start < slack(5s));
}

TEST_CASE("connect timeout fires when the server never accepts", "[client][timeout]") {
  rhc::testing::SilentServer full_backlog(/*accept_connections=*/false);
  auto config = one_attempt(full_backlog.base_url());
  config.timeout.connect = 300ms;
  rhc::ResilientClient client(config);
  auto e = timeout_of(client.get("/anything"));
  CHECK(e.which() == rhc::TimeoutKind::Connect);
}

TEST_CASE("write timeout fires when the server stops reading the body", "[client][timeout]") {
  rhc::testing::SilentServer silent;
  auto config = one_attempt(silent.base_url());
  config.timeout.write = 300ms;
  config.timeout.read = 10s;
  rhc::ResilientClient client(config);
  rhc::RequestOptions o;
  o.body = std::string(64 << 20, 'x');  // far more than the socket buffers hold
  auto e = timeout_of(client.post("/upload", o));
  CHECK(e.which() == rhc::TimeoutKind::Write);
}

TEST_CASE("pool timeout fires when the connection limit is reached", "[client][timeout]") {
  rhc::testing::SilentServer silent;
  auto config = one_attempt(silent.base_url());
  config.max_host_connections = 1;
  config.timeout.pool = 300ms;
  config.timeout.read = 60s;  // the holder must still be stalled when the waiter gives up
  rhc::ResilientClient client(config);
  auto holder = client.get("/hold");  // takes the only connection and stalls
  auto waiter = client.get("/wait");  // cannot get a connection
  auto e = timeout_of(std::move(waiter));
  CHECK(e.which() == rhc::TimeoutKind::Pool);
  CHECK(holder.wait_for(0s) == std::future_status::timeout);
}

TEST_CASE("a per-request timeout overrides the client's", "[client][timeout]") {
  rhc::testing::SilentServer silent;
  rhc::ResilientClient client(one_attempt(silent.base_url()));
  rhc::RequestOptions o;
  o.timeout = rhc::TimeoutConfig::all(200ms);
  auto e = timeout_of(client.get("/x", o));
  CHECK(e.which() == rhc::TimeoutKind::Read);
}

TEST_CASE("timeout.total bounds the request, retries included", "[client][timeout]") {
  rhc::testing::SilentServer silent;
  auto config = one_attempt(silent.base_url());
  config.retry.max_attempts = 10;
  config.timeout.read = 200ms;
  config.timeout.total = 500ms;
  config.retry.min_wait = 10ms;
  rhc::ResilientClient client(config);
  const auto start = Clock::now();
  auto e = timeout_of(client.get("/x"));
  CHECK(Clock::now() - start < slack(5s));
  CHECK(e.attempts() >= 1);
  CHECK(e.attempts() <= 3);
}

TEST_CASE("cancel ends a stalled request promptly with CancelledError", "[client][cancel]") {
  rhc::testing::SilentServer silent;
  rhc::ResilientClient client(one_attempt(silent.base_url()));
  rhc::CancelToken token;
  rhc::RequestOptions o;
  o.cancel = token;
  auto f = client.get("/x", o);
  // Cancel once the request is on the wire and stalled (not a fixed sleep).
  REQUIRE(rhc::testing::eventually([&] { return silent.accepted() >= 1; }, slack(5s)));
  token.cancel();
  REQUIRE(f.wait_for(slack(5s)) == std::future_status::ready);
  CHECK_THROWS_AS(f.get(), rhc::CancelledError);
  rhc::RequestOptions again;
  again.cancel = token;  // already cancelled: fails at once
  CHECK_THROWS_AS(client.get("/x", again).get(), rhc::CancelledError);
}
