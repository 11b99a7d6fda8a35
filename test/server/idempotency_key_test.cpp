// /idempotent and its Idempotency-Key header (draft-ietf-httpapi-idempotency-key-header): each
// key executes once, retries are replayed or refused, faults execute nothing, and each server
// keeps its own faults and keys.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <future>
#include <string>

#include "http_client.hpp"
#include "server_fixture.hpp"
#include "slack.hpp"
#include "wait.hpp"

using namespace rhc::test_server;
using namespace rhc::test_server::testing;
using std::chrono::milliseconds;

namespace {

Call with_key(const std::string& key, const std::string& body = R"({"amount":10})",
              const std::string& method = "POST") {
  Call call;
  call.method = method;
  call.headers = {"Idempotency-Key: " + key, "Content-Type: application/json"};
  call.body = body;
  return call;
}

std::string message_id(const Reply& reply) {
  REQUIRE(reply.status == 200);
  return reply.json()["message_id"].GetString();
}

std::string error_of(const Reply& reply) { return reply.json()["error"].GetString(); }

// Long enough for a second request to arrive while the first still works, in any build.
std::string working_url(const ServerFixture& fixture) {
  return fixture.url("/idempotent?work_ms=" +
                     std::to_string(rhc::testing::slack(milliseconds(500)).count()));
}

// Starts a request that works for a while and returns once the server has begun executing it.
std::future<Reply> start_working(const ServerFixture& fixture, const std::string& key) {
  const std::uint64_t before = fixture.server.stats().idempotent_executions;
  std::future<Reply> first = std::async(
      std::launch::async, [url = working_url(fixture), key] { return fetch(url, with_key(key)); });
  const bool executing = rhc::testing::eventually(
      [&] { return fixture.server.stats().idempotent_executions > before; },
      rhc::testing::slack(milliseconds(2000)));
  REQUIRE(executing);
  return first;
}

}  // namespace

TEST_CASE("idempotent refuses a request without an Idempotency-Key", "[server][idempotency-key]") {
  ServerFixture fixture;
  Call call;
  call.method = "POST";
  const Reply reply = fetch(fixture.url("/idempotent"), call);
  CHECK(reply.status == 400);
  CHECK(reply.headers.at("content-type") == "application/json");
  CHECK(error_of(reply) == "the Idempotency-Key header is required");

  const Stats stats = fixture.server.stats();
  CHECK(stats.idempotent_requests == 1);
  CHECK(stats.idempotent_executions == 0);
  CHECK(stats.requests_by_endpoint.at("/idempotent") == 1);
}

TEST_CASE("idempotent executes a new key once and answers with its message_id",
          "[server][idempotency-key]") {
  ServerFixture fixture;
  const Reply reply = fetch(fixture.url("/idempotent"), with_key("order-1"));
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  CHECK(message_id(reply).size() == 36);
  CHECK(std::string(reply.json()["idempotency_key"].GetString()) == "order-1");
  CHECK(reply.headers.count("idempotent-replayed") == 0);
  CHECK(fixture.server.executions_for_key("order-1") == 1);
  CHECK(fixture.server.executions_for_key("never-seen") == 0);
  CHECK(fixture.server.stats().idempotent_executions == 1);
}

TEST_CASE("idempotent answers every method and reads the header name in any case",
          "[server][idempotency-key]") {
  ServerFixture fixture;
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    INFO(method);
    Call call;
    call.method = method;
    call.headers = {std::string("idempotency-key: m-") + method};
    CHECK(fetch(fixture.url("/idempotent"), call).status == 200);
    CHECK(fixture.server.executions_for_key(std::string("m-") + method) == 1);
  }
}

TEST_CASE("idempotent replays a finished key: same message_id, no second execution",
          "[server][idempotency-key]") {
  ServerFixture fixture;
  const Reply first = fetch(fixture.url("/idempotent"), with_key("pay-7"));
  // The query is not part of the fingerprint: a retry may ask for different work.
  const Reply again = fetch(fixture.url("/idempotent?work_ms=1"), with_key("pay-7"));
  CHECK(again.status == 200);
  CHECK(message_id(again) == message_id(first));
  CHECK(again.body == first.body);
  CHECK(again.headers.at("idempotent-replayed") == "true");
  CHECK(fixture.server.executions_for_key("pay-7") == 1);

  const auto stats = fetch(fixture.url("/stats")).json();
  CHECK(stats["idempotent"]["requests"].GetInt() == 2);
  CHECK(stats["idempotent"]["executions"].GetInt() == 1);
  CHECK(stats["idempotent"]["replays"].GetInt() == 1);
  CHECK(stats["idempotency_keys"]["executions"]["pay-7"].GetInt() == 1);
  CHECK(stats["idempotency_keys"]["tracked"].GetInt() == 1);
  CHECK(stats["requests_by_endpoint"]["/idempotent"].GetInt() == 2);
}

TEST_CASE("idempotent refuses the same key while its first request is in progress with 409",
          "[server][idempotency-key]") {
  ServerFixture fixture;
  std::future<Reply> first = start_working(fixture, "slow-1");
  const Reply second = fetch(fixture.url("/idempotent"), with_key("slow-1"));
  CHECK(second.status == 409);
  CHECK(error_of(second) == "request with this Idempotency-Key is still in progress");

  const Reply finished = first.get();
  CHECK(finished.status == 200);
  const Reply third = fetch(fixture.url("/idempotent"), with_key("slow-1"));
  CHECK(message_id(third) == message_id(finished));
  CHECK(third.headers.at("idempotent-replayed") == "true");

  const Stats stats = fixture.server.stats();
  CHECK(stats.idempotent_conflicts == 1);
  CHECK(stats.idempotent_replays == 1);
  CHECK(fixture.server.executions_for_key("slow-1") == 1);
}

TEST_CASE("idempotent refuses a key reused with a different request with 422",
          "[server][idempotency-key]") {
  ServerFixture fixture;
  REQUIRE(fetch(fixture.url("/idempotent"), with_key("k", R"({"amount":10})")).status == 200);

  const Reply other_body = fetch(fixture.url("/idempotent"), with_key("k", R"({"amount":99})"));
  CHECK(other_body.status == 422);
  CHECK(error_of(other_body) == "Idempotency-Key reused with a different request");
  const Reply other_method =
      fetch(fixture.url("/idempotent"), with_key("k", R"({"amount":10})", "PUT"));
  CHECK(other_method.status == 422);

  // Also while the first request is still in progress: a different request is never a 409.
  std::future<Reply> working = start_working(fixture, "busy");
  CHECK(fetch(fixture.url("/idempotent"), with_key("busy", "{}")).status == 422);
  CHECK(working.get().status == 200);

  const Stats stats = fixture.server.stats();
  CHECK(stats.idempotent_mismatches == 3);
  CHECK(stats.idempotent_conflicts == 0);
  CHECK(fixture.server.executions_for_key("k") == 1);
}

TEST_CASE("reset clears the key store and its counters", "[server][idempotency-key]") {
  ServerFixture fixture;
  const std::string before = message_id(fetch(fixture.url("/idempotent"), with_key("r")));
  REQUIRE(post(fixture.url("/fail/reset")).status == 200);
  CHECK(fixture.server.executions_for_key("r") == 0);
  CHECK(fixture.server.stats().idempotent_requests == 0);

  const Reply after = fetch(fixture.url("/idempotent"), with_key("r", "a different body"));
  CHECK(message_id(after) != before);
  CHECK(after.headers.count("idempotent-replayed") == 0);
  CHECK(fixture.server.executions_for_key("r") == 1);
}

TEST_CASE("a request still working when reset arrives stores nothing",
          "[server][idempotency-key]") {
  ServerFixture fixture;
  std::future<Reply> working = start_working(fixture, "cut");
  fixture.server.reset();
  const Reply first = working.get();
  CHECK(first.status == 200);
  const Reply retry = fetch(fixture.url("/idempotent"), with_key("cut"));
  CHECK(message_id(retry) != message_id(first));
  CHECK(retry.headers.count("idempotent-replayed") == 0);
  CHECK(fixture.server.executions_for_key("cut") == 1);  // counted since the reset
}

TEST_CASE("a fault on /idempotent executes and stores nothing", "[server][idempotency-key]") {
  ServerFixture fixture;
  fixture.server.fail_next(1, Fault::status_code(503));
  const Reply faulted = fetch(fixture.url("/idempotent"), with_key("f"));
  CHECK(faulted.status == 503);
  CHECK(std::string(faulted.json()["fault"].GetString()) == "status_503");
  CHECK(fixture.server.executions_for_key("f") == 0);

  const Reply retry = fetch(fixture.url("/idempotent"), with_key("f"));
  CHECK(retry.status == 200);
  CHECK(retry.headers.count("idempotent-replayed") == 0);
  CHECK(fixture.server.executions_for_key("f") == 1);

  const Stats stats = fixture.server.stats();
  CHECK(stats.idempotent_requests == 2);
  CHECK(stats.idempotent_executions == 1);
  CHECK(stats.faults_injected.at("status_503") == 1);
  CHECK(stats.msg_requests == 0);
  CHECK(stats.msg_failures == 0);
}

TEST_CASE("a reset fault on /idempotent sends nothing and a retry executes",
          "[server][idempotency-key]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?kind=reset")).status == 200);
  const Reply faulted = fetch(fixture.url("/idempotent"), with_key("rst"));
  CHECK(faulted.status == 0);
  CHECK(fixture.server.executions_for_key("rst") == 0);
  CHECK(fetch(fixture.url("/idempotent"), with_key("rst")).status == 200);
  CHECK(fixture.server.executions_for_key("rst") == 1);
}

TEST_CASE("/msg and /idempotent draw faults from one plan in arrival order",
          "[server][idempotency-key]") {
  ServerFixture fixture;
  fixture.server.fail_next(2, Fault::status_code(500));
  CHECK(fetch(fixture.url("/msg")).status == 500);
  CHECK(fetch(fixture.url("/idempotent"), with_key("shared")).status == 500);
  CHECK(fetch(fixture.url("/idempotent"), with_key("shared")).status == 200);
  CHECK(fetch(fixture.url("/msg")).status == 200);
  CHECK(fixture.server.stats().faults_injected.at("status_500") == 2);
}

TEST_CASE("a slow body on /idempotent is a late success: the key is stored",
          "[server][idempotency-key][slow]") {
  ServerFixture fixture;
  fixture.server.fail_next(1, Fault::slow_body(200, 50, milliseconds(10)));
  const Reply slow = fetch(fixture.url("/idempotent"), with_key("late"));
  CHECK(slow.code == CURLE_OK);
  CHECK(slow.status == 200);
  CHECK(slow.body.size() == 200);
  const Reply retry = fetch(fixture.url("/idempotent"), with_key("late"));
  CHECK(message_id(retry) == message_id(slow));
  CHECK(fixture.server.executions_for_key("late") == 1);
  CHECK(fixture.server.stats().faults_injected.at("slow_body") == 1);
}

TEST_CASE("the key store evicts the least recently used finished key, never one in progress",
          "[server][idempotency-key]") {
  ServerOptions options;
  options.idempotency_key_capacity = 2;
  ServerFixture fixture(options);
  const std::string a = message_id(fetch(fixture.url("/idempotent"), with_key("a")));
  const std::string b = message_id(fetch(fixture.url("/idempotent"), with_key("b")));
  CHECK(message_id(fetch(fixture.url("/idempotent"), with_key("a"))) == a);  // a is now recent
  message_id(fetch(fixture.url("/idempotent"), with_key("c")));              // evicts b
  CHECK(message_id(fetch(fixture.url("/idempotent"), with_key("a"))) == a);
  CHECK(message_id(fetch(fixture.url("/idempotent"), with_key("b"))) != b);
  CHECK(fixture.server.executions_for_key("b") == 2);

  // With the store full of finished keys, a key in progress survives two newer keys.
  std::future<Reply> working = start_working(fixture, "pinned");
  CHECK(fetch(fixture.url("/idempotent"), with_key("x")).status == 200);
  CHECK(fetch(fixture.url("/idempotent"), with_key("y")).status == 200);
  CHECK(fetch(fixture.url("/idempotent"), with_key("pinned")).status == 409);
  CHECK(working.get().status == 200);
  CHECK(fixture.server.executions_for_key("pinned") == 1);
}

TEST_CASE("stop cuts the work short and the client sees no answer", "[server][idempotency-key]") {
  ServerFixture fixture;
  std::future<Reply> working = std::async(
      std::launch::async,
      [url = fixture.url("/idempotent?work_ms=60000")] { return fetch(url, with_key("stopped")); });
  REQUIRE(
      rhc::testing::eventually([&] { return fixture.server.stats().idempotent_executions == 1; },
                               rhc::testing::slack(milliseconds(2000))));
  const auto started = std::chrono::steady_clock::now();
  fixture.server.stop();
  CHECK(std::chrono::steady_clock::now() - started < rhc::testing::slack(milliseconds(1000)));
  const Reply reply = working.get();
  CHECK(reply.code != CURLE_OK);
  CHECK(reply.status == 0);
}

TEST_CASE("two servers keep their own faults and keys", "[server][idempotency-key][api]") {
  ServerFixture first;
  ServerFixture second;
  first.server.fail_next(1);
  const Reply on_second = fetch(second.url("/idempotent"), with_key("k"));
  CHECK(on_second.status == 200);
  CHECK(fetch(first.url("/idempotent"), with_key("k")).status == 500);
  const Reply on_first = fetch(first.url("/idempotent"), with_key("k"));
  CHECK(on_first.status == 200);
  CHECK(on_first.headers.count("idempotent-replayed") == 0);  // the key is new on this server
  CHECK(message_id(on_first) != message_id(on_second));

  CHECK(first.server.executions_for_key("k") == 1);
  CHECK(second.server.executions_for_key("k") == 1);
  CHECK(first.server.stats().faults_injected.at("status_500") == 1);
  CHECK(second.server.stats().faults_injected.empty());
  CHECK(second.server.stats().idempotent_requests == 1);
}
