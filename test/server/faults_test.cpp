// Each fault kind, seen from a plain libcurl client.
#include <catch2/catch.hpp>
#include <chrono>
#include <ctime>
#include <string>
#include <thread>

#include "http_client.hpp"
#include "server_fixture.hpp"
#include "slack.hpp"

using namespace rhc::test_server::testing;

TEST_CASE("an injected failure can use any of the retryable statuses", "[server][fail]") {
  const int status = GENERATE(408, 429, 500, 502, 503, 504);
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?status=" + std::to_string(status))).status == 200);
  const Reply reply = fetch(fixture.url("/msg"));
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == status);
  CHECK(std::string(reply.json()["fault"].GetString()) == "status_" + std::to_string(status));
  CHECK(reply.headers.count("retry-after") == 0);
  const std::string key = "status_" + std::to_string(status);
  CHECK(fetch(fixture.url("/stats")).json()["faults_injected"][key.c_str()].GetInt() == 1);
}

TEST_CASE("a 429 carries Retry-After in seconds when asked", "[server][fail][retry-after]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?status=429&retry_after=2")).status == 200);
  const Reply reply = fetch(fixture.url("/msg"));
  CHECK(reply.status == 429);
  CHECK(reply.headers.at("retry-after") == "2");
}

TEST_CASE("Retry-After can be an HTTP-date that far in the future", "[server][fail][retry-after]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?status=503&retry_after=30&retry_after_format=http-date"))
              .status == 200);
  const Reply reply = fetch(fixture.url("/msg"));
  CHECK(reply.status == 503);
  const std::string date = reply.headers.at("retry-after");
  INFO(date);
  const time_t when = curl_getdate(date.c_str(), nullptr);
  REQUIRE(when > 0);
  const auto ahead = when - std::time(nullptr);
  CHECK(ahead >= 28);
  CHECK(ahead <= 31);
  CHECK(date.size() == 29);  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
}

TEST_CASE("a reset fault closes the connection before any response byte", "[server][fail][reset]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?kind=reset")).status == 200);
  const Reply reply = fetch(fixture.url("/msg"));
  INFO(curl_easy_strerror(reply.code));
  CHECK((reply.code == CURLE_RECV_ERROR || reply.code == CURLE_GOT_NOTHING));
  CHECK(reply.status == 0);
  CHECK(reply.body.empty());
  CHECK(fetch(fixture.url("/msg")).status == 200);
  CHECK(fetch(fixture.url("/stats")).json()["faults_injected"]["reset"].GetInt() == 1);
}

TEST_CASE("a truncate fault sends fewer body bytes than Content-Length",
          "[server][fail][truncate]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?kind=truncate&body_bytes=400")).status == 200);
  const Reply reply = fetch(fixture.url("/msg"));
  INFO(curl_easy_strerror(reply.code));
  CHECK(reply.code == CURLE_PARTIAL_FILE);
  CHECK(reply.status == 200);
  CHECK(reply.headers.at("content-length") == "400");
  CHECK(reply.body.size() == 200);
}

TEST_CASE("a hang fault never answers, so the client times out", "[server][fail][hang]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?kind=hang")).status == 200);
  Call call;
  call.timeout = std::chrono::milliseconds(400);
  const Reply reply = fetch(fixture.url("/msg"), call);
  CHECK(reply.code == CURLE_OPERATION_TIMEDOUT);
  CHECK(reply.status == 0);
  CHECK(reply.elapsed.count() >= 390);
  // The client gave up; wait until the server has taken the hang (a slow build may read the
  // request late), so the next request cannot be the one that takes it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!fetch(fixture.url("/stats")).json()["faults_injected"].HasMember("hang") &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(fetch(fixture.url("/msg")).status == 200);  // other connections are unaffected
}

TEST_CASE("a hang ends with a reset after hang_ms", "[server][fail][hang]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?kind=hang&hang_ms=300")).status == 200);
  const Reply reply = fetch(fixture.url("/msg"));
  INFO(curl_easy_strerror(reply.code));
  CHECK((reply.code == CURLE_RECV_ERROR || reply.code == CURLE_GOT_NOTHING));
  CHECK(reply.elapsed.count() >= 290);
  CHECK(reply.elapsed < rhc::testing::slack(std::chrono::milliseconds(3000)));
}

TEST_CASE("a slow body arrives complete, chunk by chunk", "[server][fail][slow]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?kind=slow_body&body_bytes=400&chunk_bytes=100"
                           "&chunk_interval_ms=100"))
              .status == 200);
  const Reply reply = fetch(fixture.url("/msg"));
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  CHECK(reply.body.size() == 400);
  CHECK(reply.elapsed.count() >= 390);  // four chunks, each after a 100 ms pause
  CHECK(reply.json().HasMember("message_id"));
  const auto stats = fetch(fixture.url("/stats")).json();
  CHECK(stats["faults_injected"]["slow_body"].GetInt() == 1);
  CHECK(stats["msg"]["successes"].GetInt() == 1);
  CHECK(stats["msg"]["failures"].GetInt() == 0);
}

TEST_CASE("a slow body trips a client read timeout after the headers", "[server][fail][slow]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?kind=slow_body&body_bytes=1000&chunk_bytes=10"
                           "&chunk_interval_ms=100"))
              .status == 200);
  Call call;  // the headers and first chunks must beat it; the whole body takes 10 s
  call.timeout = std::chrono::milliseconds(2500);
  const Reply reply = fetch(fixture.url("/msg"), call);
  CHECK(reply.code == CURLE_OPERATION_TIMEDOUT);
  CHECK(reply.status == 200);  // the headers came at once
  CHECK(reply.body.size() > 0);
  CHECK(reply.body.size() < 1000);
}

TEST_CASE("appended fault plans run one after the other", "[server][fail]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?status=503")).status == 200);
  REQUIRE(post(fixture.url("/fail/count/1?kind=reset&append=true")).status == 200);
  REQUIRE(post(fixture.url("/fail/count/1?status=429&append=1")).status == 200);
  CHECK(fetch(fixture.url("/fail")).json()["plan"].Size() == 3);
  CHECK(fetch(fixture.url("/msg")).status == 503);
  CHECK(fetch(fixture.url("/msg")).code == CURLE_RECV_ERROR);
  CHECK(fetch(fixture.url("/msg")).status == 429);
  CHECK(fetch(fixture.url("/msg")).status == 200);
}

TEST_CASE("a failure with a delay waits first, then fails", "[server][fail]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/count/1?status=502")).status == 200);
  const Reply reply = fetch(fixture.url("/msg?delay=200"));
  CHECK(reply.status == 502);
  CHECK(reply.elapsed.count() >= 190);
}

TEST_CASE("bad fault parameters are refused with 400 and change nothing", "[server][fail]") {
  ServerFixture fixture;
  const char* bad[] = {"/fail/count/1?status=200",
                       "/fail/count/1?kind=explode",
                       "/fail/count/1?kind=reset&status=503",
                       "/fail/count/1?retry_after=soon",
                       "/fail/probability?p=1.5",
                       "/fail/probability",
                       "/fail/probability?p=0.5&faults=,",
                       "/fail/count/99999999999999999999999"};
  for (const char* path : bad) {
    const Reply reply = post(fixture.url(path));
    INFO(path << " -> " << reply.body);
    CHECK(reply.status == 400);
    CHECK(reply.json().HasMember("error"));
  }
  CHECK(fetch(fixture.url("/msg")).status == 200);
}
