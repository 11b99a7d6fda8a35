// X-Request-ID: the work is done once, failed attempts store nothing, and the cache is bounded.
#include <catch2/catch.hpp>
#include <string>

#include "http_client.hpp"
#include "server_fixture.hpp"

using namespace rhc::test_server;
using namespace rhc::test_server::testing;

namespace {

Call with_request_id(const std::string& id, const std::string& method = "GET") {
  Call call;
  call.method = method;
  call.headers = {"X-Request-ID: " + id};
  return call;
}

std::string message_id(const Reply& reply) {
  REQUIRE(reply.status == 200);
  return reply.json()["message_id"].GetString();
}

}  // namespace

TEST_CASE("a repeated X-Request-ID gets the same message_id back", "[server][idempotency]") {
  ServerFixture fixture;
  const Reply first = fetch(fixture.url("/msg"), with_request_id("order-1", "POST"));
  const Reply again = fetch(fixture.url("/msg"), with_request_id("order-1", "POST"));
  CHECK(message_id(first) == message_id(again));
  CHECK_FALSE(first.json()["replayed"].GetBool());
  CHECK(again.json()["replayed"].GetBool());
  CHECK(message_id(fetch(fixture.url("/msg"), with_request_id("order-2"))) != message_id(first));

  const auto stats = fetch(fixture.url("/stats")).json();
  CHECK(stats["msg"]["successes"].GetInt() == 3);
  CHECK(stats["msg"]["replays"].GetInt() == 1);
}

TEST_CASE("requests without X-Request-ID always get a new message_id", "[server][idempotency]") {
  ServerFixture fixture;
  CHECK(message_id(fetch(fixture.url("/msg"))) != message_id(fetch(fixture.url("/msg"))));
}

TEST_CASE("failed attempts store nothing, so the retry that succeeds gets one fresh id",
          "[server][idempotency]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/2?status=503")).status == 200);
  CHECK(fetch(fixture.url("/msg"), with_request_id("pay-7")).status == 503);
  CHECK(fetch(fixture.url("/msg"), with_request_id("pay-7")).status == 503);
  const Reply success = fetch(fixture.url("/msg"), with_request_id("pay-7"));
  CHECK_FALSE(success.json()["replayed"].GetBool());
  CHECK(success.json()["attempt"].GetInt() == 3);
  CHECK(message_id(fetch(fixture.url("/msg"), with_request_id("pay-7"))) == message_id(success));
}

TEST_CASE("a slow body counts as done: a retry after a client timeout replays it",
          "[server][idempotency][slow]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?kind=slow_body&body_bytes=2000&chunk_bytes=10"
                           "&chunk_interval_ms=50"))
              .status == 200);
  Call impatient = with_request_id("slow-1");
  // Long enough for the server to answer the headers (the work is done by then) in any build;
  // the whole body takes 10 s.
  impatient.timeout = std::chrono::milliseconds(2500);
  const Reply cut = fetch(fixture.url("/msg"), impatient);
  CHECK(cut.code == CURLE_OPERATION_TIMEDOUT);
  CHECK(cut.status == 200);
  const Reply retry = fetch(fixture.url("/msg"), with_request_id("slow-1"));
  CHECK(retry.json()["replayed"].GetBool());
}

TEST_CASE("the idempotency cache forgets the least recently used id beyond its capacity",
          "[server][idempotency]") {
  ServerOptions options;
  options.idempotency_cache_capacity = 2;
  options.request_id_stats_capacity = 2;
  ServerFixture fixture(options);
  const std::string a = message_id(fetch(fixture.url("/msg"), with_request_id("a")));
  const std::string b = message_id(fetch(fixture.url("/msg"), with_request_id("b")));
  CHECK(message_id(fetch(fixture.url("/msg"), with_request_id("a"))) == a);  // a is now recent
  message_id(fetch(fixture.url("/msg"), with_request_id("c")));              // evicts b
  CHECK(message_id(fetch(fixture.url("/msg"), with_request_id("a"))) == a);
  CHECK(message_id(fetch(fixture.url("/msg"), with_request_id("b"))) != b);

  const auto stats = fetch(fixture.url("/stats")).json();
  CHECK(stats["request_ids"]["tracked"].GetInt() == 2);
  CHECK(stats["request_ids"]["capacity"].GetInt() == 2);
}
