// The Python guide's endpoints, exactly: /health, /msg, /fail/count/{n}, /fail/reset, and /stats.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "http_client.hpp"
#include "server_fixture.hpp"
#include "slack.hpp"

using namespace rhc::test_server::testing;

TEST_CASE("health answers 200 with status ok", "[server][health]") {
  ServerFixture fixture;
  const Reply reply = fetch(fixture.url("/health"));
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  CHECK(reply.headers.at("content-type") == "application/json");
  CHECK(std::string(reply.json()["status"].GetString()) == "ok");
}

TEST_CASE("msg answers every method with a fresh uuid message_id", "[server][msg]") {
  ServerFixture fixture;
  std::set<std::string> ids;
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    Call call;
    call.method = method;
    const Reply reply = fetch(fixture.url("/msg"), call);
    INFO(method);
    REQUIRE(reply.code == CURLE_OK);
    CHECK(reply.status == 200);
    const auto json = reply.json();
    const std::string id = json["message_id"].GetString();
    CHECK(id.size() == 36);
    CHECK(id[14] == '4');
    CHECK(std::string(json["method"].GetString()) == method);
    ids.insert(id);
  }
  CHECK(ids.size() == 5);
}

TEST_CASE("msg waits for the delay it is asked for", "[server][msg]") {
  ServerFixture fixture;
  const Reply reply = fetch(fixture.url("/msg?delay=300"));
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  CHECK(reply.elapsed.count() >= 290);
  CHECK(reply.elapsed < rhc::testing::slack(std::chrono::milliseconds(3000)));
  CHECK(reply.json()["delay_ms"].GetInt() == 300);
}

TEST_CASE("msg rejects a delay that is not a number", "[server][msg]") {
  ServerFixture fixture;
  const Reply reply = fetch(fixture.url("/msg?delay=soon"));
  CHECK(reply.status == 400);
  CHECK(reply.json().HasMember("error"));
}

TEST_CASE("an unknown path gets a JSON 404", "[server]") {
  ServerFixture fixture;
  const Reply reply = fetch(fixture.url("/nope"));
  CHECK(reply.status == 404);
  CHECK(reply.json().HasMember("error"));
}

TEST_CASE("fail count makes exactly the next n msg requests fail with 500", "[server][fail]") {
  ServerFixture fixture;
  const Reply control = post(fixture.url("/fail/count/2"));
  REQUIRE(control.status == 200);
  CHECK(control.json()["plan"][0]["remaining"].GetInt() == 2);

  // Control and health requests do not use up the count.
  CHECK(fetch(fixture.url("/health")).status == 200);
  CHECK(fetch(fixture.url("/stats")).status == 200);
  CHECK(fetch(fixture.url("/msg")).status == 500);
  CHECK(fetch(fixture.url("/msg")).status == 500);
  CHECK(fetch(fixture.url("/msg")).status == 200);
}

TEST_CASE("fail count set again replaces the remaining count", "[server][fail]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/5")).status == 200);
  REQUIRE(post(fixture.url("/fail/count/1")).status == 200);
  CHECK(fetch(fixture.url("/msg")).status == 500);
  CHECK(fetch(fixture.url("/msg")).status == 200);
}

TEST_CASE("fail count zero clears the plan", "[server][fail]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/3")).status == 200);
  REQUIRE(post(fixture.url("/fail/count/0")).status == 200);
  CHECK(fetch(fixture.url("/msg")).status == 200);
}

TEST_CASE("fail reset clears failures, the idempotency cache and the counters", "[server][fail]") {
  ServerFixture fixture;
  Call with_id;
  with_id.headers = {"X-Request-ID: kept"};
  const std::string first = fetch(fixture.url("/msg"), with_id).json()["message_id"].GetString();
  REQUIRE(post(fixture.url("/fail/count/3")).status == 200);
  REQUIRE(post(fixture.url("/fail/probability?p=1&seed=1")).status == 200);

  const Reply reset = post(fixture.url("/fail/reset"));
  REQUIRE(reset.status == 200);
  CHECK(reset.json()["plan"].Empty());
  CHECK(reset.json()["chaos"]["probability"].GetDouble() == 0.0);

  const Reply after = fetch(fixture.url("/msg"), with_id);
  CHECK(after.status == 200);
  CHECK(std::string(after.json()["message_id"].GetString()) != first);

  const auto stats = fetch(fixture.url("/stats")).json();
  CHECK(stats["msg"]["requests"].GetInt() == 1);
  CHECK(stats["msg"]["successes"].GetInt() == 1);
  CHECK(stats["faults_injected"].ObjectEmpty());
  CHECK(stats["request_ids"]["attempts"]["kept"].GetInt() == 1);
}

TEST_CASE("stats counts msg requests apart from control requests", "[server][stats]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?status=503")).status == 200);
  CHECK(fetch(fixture.url("/health")).status == 200);
  CHECK(fetch(fixture.url("/msg")).status == 503);
  CHECK(fetch(fixture.url("/msg")).status == 200);

  const auto stats = fetch(fixture.url("/stats")).json();
  CHECK(stats["msg"]["requests"].GetInt() == 2);
  CHECK(stats["msg"]["successes"].GetInt() == 1);
  CHECK(stats["msg"]["failures"].GetInt() == 1);
  CHECK(stats["msg"]["in_flight"].GetInt() == 0);
  CHECK(stats["faults_injected"]["status_503"].GetInt() == 1);
  CHECK(stats["requests_by_endpoint"]["/msg"].GetInt() == 2);
  CHECK(stats["requests_by_endpoint"]["/health"].GetInt() == 1);
  CHECK(stats["requests_by_endpoint"]["/fail"].GetInt() == 1);
  CHECK(stats["requests_by_endpoint"]["/stats"].GetInt() == 1);
  CHECK(stats["requests_total"].GetInt() == 5);
}

TEST_CASE("stats counts attempts per X-Request-ID", "[server][stats]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/2")).status == 200);
  Call call;
  call.headers = {"X-Request-ID: retry-me"};
  CHECK(fetch(fixture.url("/msg"), call).status == 500);
  CHECK(fetch(fixture.url("/msg"), call).status == 500);
  const Reply third = fetch(fixture.url("/msg"), call);
  CHECK(third.status == 200);
  CHECK(third.json()["attempt"].GetInt() == 3);
  CHECK(fetch(fixture.url("/msg")).status == 200);  // no id: not tracked

  const auto stats = fetch(fixture.url("/stats")).json();
  CHECK(stats["request_ids"]["tracked"].GetInt() == 1);
  CHECK(stats["request_ids"]["attempts"]["retry-me"].GetInt() == 3);
  CHECK(fixture.server.attempts_for("retry-me") == 3);
  CHECK(fixture.server.attempts_for("never-seen") == 0);
}
