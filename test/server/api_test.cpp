// The C++ controls on TestServer do what the HTTP endpoints do.
#include <catch2/catch.hpp>
#include <stdexcept>

#include "http_client.hpp"
#include "server_fixture.hpp"

using namespace rhc::test_server;
using namespace rhc::test_server::testing;

TEST_CASE("base_url names the loopback address and the ephemeral port", "[server][api]") {
  ServerFixture fixture;
  CHECK(fixture.server.port() > 0);
  CHECK(fixture.server.base_url() == "http://127.0.0.1:" + std::to_string(fixture.server.port()));
}

TEST_CASE("two servers run side by side on different ports", "[server][api]") {
  ServerFixture first;
  ServerFixture second;
  CHECK(first.server.port() != second.server.port());
  first.server.fail_next(1);
  CHECK(fetch(second.url("/msg")).status == 200);
  CHECK(fetch(first.url("/msg")).status == 500);
}

TEST_CASE("a server can be stopped right after it started, twice", "[server][api]") {
  TestServer server;
  server.start();
  server.stop();
  server.stop();
  CHECK(fetch(server.base_url() + "/health").code == CURLE_COULDNT_CONNECT);
}

TEST_CASE("a port already in use makes start throw", "[server][api]") {
  ServerFixture taken;
  ServerOptions options;
  options.port = taken.server.port();
  TestServer second(options);
  CHECK_THROWS_AS(second.start(), std::runtime_error);
}

TEST_CASE("fail_next and then_fail plan faults like POST /fail/count", "[server][api]") {
  ServerFixture fixture;
  fixture.server.fail_next(1, Fault::status_code(429, std::chrono::seconds(1)));
  fixture.server.then_fail(1, Fault::reset());
  const Reply limited = fetch(fixture.url("/msg"));
  CHECK(limited.status == 429);
  CHECK(limited.headers.at("retry-after") == "1");
  CHECK(fetch(fixture.url("/msg")).code == CURLE_RECV_ERROR);
  CHECK(fetch(fixture.url("/msg")).status == 200);

  const Stats stats = fixture.server.stats();
  CHECK(stats.msg_requests == 3);
  CHECK(stats.msg_failures == 2);
  CHECK(stats.faults_injected.at("status_429") == 1);
  CHECK(stats.faults_injected.at("reset") == 1);
}

TEST_CASE("set_chaos with a seed matches the HTTP control with the same seed", "[server][api]") {
  ServerFixture by_api;
  by_api.server.set_chaos({0.5, 99, {Fault::status_code(503)}});
  ServerFixture by_http;
  REQUIRE(post(by_http.url("/fail/probability?p=0.5&seed=99&faults=503")).status == 200);
  for (int i = 0; i < 20; ++i) {
    CHECK(fetch(by_api.url("/msg")).status == fetch(by_http.url("/msg")).status);
  }
}

TEST_CASE("reset clears what the API planned and counted", "[server][api]") {
  ServerFixture fixture;
  fixture.server.fail_next(5);
  CHECK(fetch(fixture.url("/msg")).status == 500);
  fixture.server.reset();
  CHECK(fetch(fixture.url("/msg")).status == 200);
  CHECK(fixture.server.stats().msg_requests == 1);
  CHECK(fixture.server.stats().msg_failures == 0);
}
