// Request options the client's configuration would refuse are refused per request too, on
// the caller's thread, before anything is sent (issue #19): a ConfigError with no attempt,
// never a wedged loop thread, a hung future or a close() that does not return.
#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <limits>
#include <string>

#include <rhc/rhc.hpp>

#include "client_config.hpp"
#include "echo_server.hpp"
#include "outcomes.hpp"
#include "slack.hpp"

using namespace std::chrono_literals;
using rhc::testing::slack;

namespace {

using rhc::testing::quiet_config;

// The future resolves promptly with a ConfigError for which nothing was attempted.
void expect_refused(std::future<rhc::Response> f, const std::string& cause) {
  const auto e = rhc::testing::error_of<rhc::ConfigError>(f, 5s);
  CHECK(e.attempts() == 0);
  CHECK(std::string(e.what()).find(cause) != std::string::npos);
}

rhc::RequestOptions timeout_options(void (*set)(rhc::TimeoutConfig&)) {
  rhc::RequestOptions o;
  rhc::TimeoutConfig t;
  set(t);
  o.timeout = t;
  return o;
}

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("infinite or huge per-request timeouts are a ConfigError, and the client lives on",
          "[options][timeout]") {
  rhc::testing::EchoServer server;
  auto client = std::make_unique<rhc::ResilientClient>(quiet_config(server.base_url()));

  // Before the fix, read/write of +inf or 1e10 s never resolved and spun the loop thread;
  // total of +inf failed at once with "exceeded inf s"; connect and pool passed.
  expect_refused(
      client->get("/echo", timeout_options([](auto& t) { t.read = rhc::Seconds(kInf); })),
      "timeout.read must be a finite number (got inf)");
  expect_refused(
      client->get("/echo", timeout_options([](auto& t) { t.read = rhc::Seconds(1e10); })),
      "timeout.read must be <= 1000000000 (got 10000000000)");
  expect_refused(
      client->post("/echo", timeout_options([](auto& t) { t.write = rhc::Seconds(kInf); })),
      "timeout.write must be a finite number");
  expect_refused(
      client->get("/echo", timeout_options([](auto& t) { t.total = rhc::Seconds(kInf); })),
      "timeout.total must be a finite number");
  expect_refused(
      client->get("/echo", timeout_options([](auto& t) { t.connect = rhc::Seconds(kInf); })),
      "timeout.connect must be a finite number");
  expect_refused(
      client->get("/echo", timeout_options([](auto& t) { t.pool = rhc::Seconds(kInf); })),
      "timeout.pool must be a finite number");
  expect_refused(client->get("/echo", timeout_options([](auto& t) {
                               t.read = rhc::Seconds(std::numeric_limits<double>::quiet_NaN());
                             })),
                 "timeout.read must be a finite number (got nan)");
  CHECK(server.requests_seen() == 0);

  // The loop thread is free: an ordinary request works, and close() returns.
  auto ok = client->get("/echo");
  REQUIRE(ok.wait_for(slack(10s)) == std::future_status::ready);
  CHECK(ok.get().status_code == 200);
  auto closed = std::async(std::launch::async, [&client] { client->close(); });
  REQUIRE(closed.wait_for(slack(10s)) == std::future_status::ready);
  client.reset();
}

TEST_CASE("the largest valid per-request timeouts work like any other", "[options][timeout]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(quiet_config(server.base_url()));
  rhc::RequestOptions o;
  o.timeout = rhc::TimeoutConfig::all(rhc::Seconds(1e9));
  o.timeout->total = rhc::Seconds(1e9);
  auto f = client.get("/echo", std::move(o));
  REQUIRE(f.wait_for(slack(10s)) == std::future_status::ready);
  CHECK(f.get().status_code == 200);
}

TEST_CASE("a 1 MiB header value or path is a ConfigError, never sent nor retried",
          "[options][limits]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient client(quiet_config(server.base_url()));
  const std::string mib(1 << 20, 'a');
  rhc::RequestOptions header;
  header.headers = {{"X-Big", mib}};
  expect_refused(client.get("/echo", std::move(header)),
                 "header \"X-Big\" is longer than 65536 bytes");
  expect_refused(client.get("/echo/" + mib), "invalid URL: longer than 65536 bytes");
  rhc::RequestOptions params;
  params.params = {{"q", mib}};
  expect_refused(client.get("/echo", std::move(params)), "invalid URL: longer than 65536 bytes");
  CHECK(server.requests_seen() == 0);
}

TEST_CASE("lenient absolute URLs are refused: one slash, three slashes, port 0", "[options][url]") {
  rhc::testing::EchoServer server;
  rhc::ResilientClient no_base(quiet_config(""));
  const std::string port = std::to_string(server.port());
  // libcurl alone would have sent the first one to 127.0.0.1.
  expect_refused(no_base.get("http:/127.0.0.1:" + port + "/echo"), "scheme:// (two slashes)");
  expect_refused(no_base.get("http:///echo"), "scheme:// (two slashes)");
  expect_refused(no_base.get("http://127.0.0.1:0/echo"), "port must be 1 to 65535 (got 0)");
  CHECK(server.requests_seen() == 0);
  auto f = no_base.get("http://127.0.0.1:" + port + "/echo");
  REQUIRE(f.wait_for(slack(10s)) == std::future_status::ready);
  CHECK(f.get().status_code == 200);

  rhc::ClientConfig bad = quiet_config("http:/127.0.0.1:" + port);
  CHECK_THROWS_AS(rhc::ResilientClient(bad), rhc::ConfigError);
  bad.base_url = "http://127.0.0.1:0";
  CHECK_THROWS_AS(rhc::ResilientClient(bad), rhc::ConfigError);
}
