// Server-level settings beside the faults: Overload (a capacity beyond which requests get 503 at
// once) and Slowness (a seeded random extra delay), each scoped to one server.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "server_fixture.hpp"
#include "slack.hpp"
#include "wait.hpp"

using namespace rhc::test_server;
using namespace rhc::test_server::testing;
using std::chrono::milliseconds;

namespace {

// How long a held request keeps its place: long enough for the test to send more requests
// and get their answers while it runs, in any build.
std::string held_msg_url(const ServerFixture& fixture) {
  return fixture.url("/msg?delay=" +
                     std::to_string(rhc::testing::slack(milliseconds(500)).count()));
}

std::future<Reply> start(const std::string& url, const Call& call = {}) {
  return std::async(std::launch::async, [url, call] { return fetch(url, call); });
}

// Starts `n` held /msg requests and returns once the server runs all of them.
std::vector<std::future<Reply>> hold_msgs(const ServerFixture& fixture, std::uint64_t n) {
  std::vector<std::future<Reply>> held;
  for (std::uint64_t i = 0; i < n; ++i) held.push_back(start(held_msg_url(fixture)));
  const bool running =
      rhc::testing::eventually([&] { return fixture.server.stats().msg_in_flight == n; },
                               rhc::testing::slack(milliseconds(2000)));
  REQUIRE(running);
  return held;
}

Call keyed(const std::string& key) {
  Call call;
  call.method = "POST";
  call.headers = {"Idempotency-Key: " + key};
  return call;
}

std::string header(const Reply& reply, const std::string& name) {
  const auto it = reply.headers.find(name);
  return it == reply.headers.end() ? "" : it->second;
}

bool is_overload_503(const Reply& reply) {
  if (reply.code != CURLE_OK || reply.status != 503) return false;
  const auto json = reply.json();
  return json.HasMember("error") && std::string(json["error"].GetString()) == "server overloaded";
}

// One letter per /msg outcome: 'S' success, 'F' 500, '?' anything else.
std::string chaos_outcomes(const ServerFixture& fixture, int count) {
  std::string seen;
  for (int i = 0; i < count; ++i) {
    const Reply reply = fetch(fixture.url("/msg"));
    seen += reply.status == 200 ? 'S' : reply.status == 500 ? 'F' : '?';
  }
  return seen;
}

// One letter per /msg request: 'x' slowed, '.' not, read from the server's `slowed` counter.
std::string slowness_pattern(const ServerFixture& fixture, int count) {
  std::string seen;
  for (int i = 0; i < count; ++i) {
    const std::uint64_t before = fixture.server.stats().slowed;
    REQUIRE(fetch(fixture.url("/msg")).status == 200);
    seen += fixture.server.stats().slowed > before ? 'x' : '.';
  }
  return seen;
}

}  // namespace

TEST_CASE("a server at capacity answers 503 at once to the requests beyond it",
          "[server][overload]") {
  ServerFixture fixture;
  fixture.server.set_overload(Overload{.max_in_flight = 3, .retry_after = std::nullopt});
  std::vector<std::future<Reply>> held = hold_msgs(fixture, 3);

  std::vector<std::future<Reply>> extra;
  for (int i = 0; i < 3; ++i) extra.push_back(start(fixture.url("/msg")));
  int ok = 0;
  int overloaded = 0;
  for (auto& reply : extra) {
    const Reply answer = reply.get();
    overloaded += is_overload_503(answer);
    CHECK(answer.headers.count("retry-after") == 0);
    CHECK(answer.json()["max_in_flight"].GetInt() == 3);
  }
  // Refused while the three held requests still ran, not after they finished.
  CHECK(fixture.server.stats().msg_in_flight == 3);
  for (auto& reply : held) ok += reply.get().status == 200;
  CHECK(ok == 3);
  CHECK(overloaded == 3);

  // A refused request never reached the handler: it counts as a rejection only.
  const Stats stats = fixture.server.stats();
  CHECK(stats.overload_rejections == 3);
  CHECK(stats.msg_requests == 3);
  CHECK(stats.msg_successes == 3);
  CHECK(stats.msg_failures == 0);
  CHECK(stats.msg_max_in_flight == 3);
  CHECK(stats.faults_injected.empty());
  CHECK(stats.requests_by_endpoint.at("/msg") == 6);

  // The places are free again.
  CHECK(fetch(fixture.url("/msg")).status == 200);
}

TEST_CASE("a refused request draws no fault and no slowness", "[server][overload]") {
  ServerFixture fixture;
  fixture.server.set_overload(Overload{.max_in_flight = 1, .retry_after = std::nullopt});
  std::vector<std::future<Reply>> held = hold_msgs(fixture, 1);
  fixture.server.fail_next(1, Fault::status_code(500));
  fixture.server.set_slowness({.probability = 1.0, .delay = milliseconds(1), .seed = 1});

  CHECK(is_overload_503(fetch(fixture.url("/msg"))));
  CHECK(fetch(fixture.url("/idempotent"), keyed("k")).status == 503);
  CHECK(fixture.server.stats().slowed == 0);
  CHECK(held.front().get().status == 200);

  // The planned fault is still there for the next admitted request.
  CHECK(fetch(fixture.url("/msg")).status == 500);
  CHECK(fetch(fixture.url("/msg")).status == 200);
  const Stats stats = fixture.server.stats();
  CHECK(stats.overload_rejections == 2);
  CHECK(stats.idempotent_requests == 0);
  CHECK(stats.slowed == 2);
}

TEST_CASE("/msg and /idempotent share one capacity", "[server][overload]") {
  ServerFixture fixture;
  fixture.server.set_overload(Overload{.max_in_flight = 1, .retry_after = std::nullopt});
  Call keyed;
  keyed.method = "POST";
  keyed.headers = {"Idempotency-Key: work-1"};
  std::future<Reply> working =
      start(fixture.url("/idempotent?work_ms=" +
                        std::to_string(rhc::testing::slack(milliseconds(500)).count())),
            keyed);
  REQUIRE(
      rhc::testing::eventually([&] { return fixture.server.stats().idempotent_executions == 1; },
                               rhc::testing::slack(milliseconds(2000))));

  CHECK(is_overload_503(fetch(fixture.url("/msg"))));
  CHECK(working.get().status == 200);
  CHECK(fetch(fixture.url("/msg")).status == 200);
  CHECK(fixture.server.stats().overload_rejections == 1);
}

TEST_CASE("overload is set, reported and turned off over HTTP", "[server][overload]") {
  ServerFixture fixture;
  auto settings = fetch(fixture.url("/fail")).json();
  CHECK(settings["overload"].IsNull());

  const Reply set = post(fixture.url("/fail/overload?max_in_flight=1&retry_after=2"));
  REQUIRE(set.status == 200);
  CHECK(set.json()["overload"]["max_in_flight"].GetInt() == 1);
  CHECK(set.json()["overload"]["retry_after"].GetInt() == 2);
  settings = fetch(fixture.url("/fail")).json();
  CHECK(settings["overload"]["max_in_flight"].GetInt() == 1);

  std::vector<std::future<Reply>> held = hold_msgs(fixture, 1);
  const Reply refused = fetch(fixture.url("/msg"));
  CHECK(is_overload_503(refused));
  CHECK(header(refused, "retry-after") == "2");
  CHECK(fetch(fixture.url("/stats")).json()["overload_rejections"].GetInt() == 1);

  // max_in_flight=0 turns it off, even with the held request still running.
  const Reply off = post(fixture.url("/fail/overload?max_in_flight=0"));
  REQUIRE(off.status == 200);
  CHECK(off.json()["overload"].IsNull());
  CHECK(fetch(fixture.url("/msg")).status == 200);

  // Bad parameters change nothing.
  CHECK(post(fixture.url("/fail/overload")).status == 400);
  CHECK(post(fixture.url("/fail/overload?max_in_flight=many")).status == 400);
  CHECK(post(fixture.url("/fail/overload?max_in_flight=2&retry_after=-1")).status == 400);
  CHECK(fetch(fixture.url("/fail")).json()["overload"].IsNull());

  // POST /fail/reset turns it off too.
  REQUIRE(post(fixture.url("/fail/overload?max_in_flight=1")).status == 200);
  CHECK(is_overload_503(fetch(fixture.url("/msg"))));
  REQUIRE(post(fixture.url("/fail/reset")).status == 200);
  CHECK(fetch(fixture.url("/fail")).json()["overload"].IsNull());
  CHECK(fetch(fixture.url("/msg")).status == 200);
  CHECK(held.front().get().status == 200);
}

TEST_CASE("reset turns overload off and zeroes the rejections", "[server][overload]") {
  ServerFixture fixture;
  CHECK_THROWS_AS(
      fixture.server.set_overload(Overload{.max_in_flight = 0, .retry_after = std::nullopt}),
      std::invalid_argument);
  fixture.server.set_overload(Overload{.max_in_flight = 1, .retry_after = std::chrono::seconds(1)});
  std::vector<std::future<Reply>> held = hold_msgs(fixture, 1);
  const Reply refused = fetch(fixture.url("/msg"));
  CHECK(is_overload_503(refused));
  CHECK(header(refused, "retry-after") == "1");
  CHECK(fixture.server.stats().overload_rejections == 1);

  fixture.server.reset();
  CHECK(fixture.server.stats().overload_rejections == 0);
  CHECK(fetch(fixture.url("/msg")).status == 200);

  // set_overload(std::nullopt) turns it off as well.
  fixture.server.set_overload(Overload{.max_in_flight = 1, .retry_after = std::nullopt});
  CHECK(is_overload_503(fetch(fixture.url("/msg"))));
  fixture.server.set_overload(std::nullopt);
  CHECK(fetch(fixture.url("/msg")).status == 200);
  CHECK(held.front().get().status == 200);
}

TEST_CASE("slowness with probability 1 delays every request, 0 none", "[server][slowness]") {
  constexpr milliseconds kDelay{100};
  ServerFixture fixture;
  fixture.server.set_slowness({.probability = 1.0, .delay = kDelay, .seed = 1});
  for (int i = 0; i < 5; ++i) {
    const Reply reply = fetch(fixture.url("/msg"));
    CHECK(reply.status == 200);
    CHECK(reply.elapsed >= kDelay);
    CHECK(reply.elapsed < rhc::testing::slack(milliseconds(5000)));
  }
  const Reply with_key = fetch(fixture.url("/idempotent"), keyed("k"));
  CHECK(with_key.status == 200);
  CHECK(with_key.elapsed >= kDelay);
  CHECK(fixture.server.stats().slowed == 6);

  // Probability 0 with a delay no request could survive: nothing is slowed.
  fixture.server.set_slowness({.probability = 0.0, .delay = milliseconds(60'000), .seed = 1});
  Call quick;
  quick.timeout = rhc::testing::slack(milliseconds(10'000));
  for (int i = 0; i < 10; ++i) REQUIRE(fetch(fixture.url("/msg"), quick).status == 200);
  CHECK(fixture.server.stats().slowed == 6);

  CHECK_THROWS_AS(fixture.server.set_slowness({.probability = 1.5, .delay = kDelay}),
                  std::invalid_argument);
  CHECK_THROWS_AS(fixture.server.set_slowness({.probability = 0.5, .delay = milliseconds(-1)}),
                  std::invalid_argument);
}

TEST_CASE("a fixed slowness seed slows the same requests", "[server][slowness]") {
  const Slowness slowness{.probability = 0.3, .delay = milliseconds(1), .seed = 7};
  ServerFixture first;
  first.server.set_slowness(slowness);
  const std::string a = slowness_pattern(first, 100);

  ServerFixture second;
  second.server.set_slowness(slowness);
  const std::string b = slowness_pattern(second, 100);

  // Setting it again over HTTP restarts the sequence.
  REQUIRE(post(first.url("/fail/slow?p=0.3&delay_ms=1&seed=7")).status == 200);
  const std::string c = slowness_pattern(first, 100);

  INFO(a << '\n' << b << '\n' << c);
  CHECK(a == b);
  CHECK(a == c);
  const auto slowed = std::count(a.begin(), a.end(), 'x');
  // Binomial(100, 0.3): mean 30, sd ~4.6; the seed is fixed, so this cannot flake.
  CHECK(slowed > 10);
  CHECK(slowed < 50);
  CHECK(second.server.stats().slowed == static_cast<std::uint64_t>(slowed));
}

TEST_CASE("slowness does not shift the chaos sequence, and slows faults too",
          "[server][slowness][chaos]") {
  const std::string chaos = "/fail/probability?p=0.5&seed=42";
  ServerFixture plain;
  REQUIRE(post(plain.url(chaos)).status == 200);
  const std::string a = chaos_outcomes(plain, 40);

  ServerFixture slowed;
  REQUIRE(post(slowed.url(chaos)).status == 200);
  REQUIRE(post(slowed.url("/fail/slow?p=0.5&delay_ms=1&seed=9")).status == 200);
  const std::string b = chaos_outcomes(slowed, 40);
  INFO(a << '\n' << b);
  CHECK(a == b);
  CHECK(slowed.server.stats().slowed > 0);

  // A slowed request that drew a failure waits, then fails.
  constexpr milliseconds kDelay{100};
  ServerFixture both;
  both.server.set_chaos({.probability = 1.0, .seed = 1, .faults = {Fault::status_code(503)}});
  both.server.set_slowness({.probability = 1.0, .delay = kDelay, .seed = 1});
  const Reply reply = fetch(both.url("/msg"));
  CHECK(reply.status == 503);
  CHECK(reply.elapsed >= kDelay);
  CHECK(both.server.stats().slowed == 1);
  CHECK(both.server.stats().msg_failures == 1);
}

TEST_CASE("slowness is set, reported and turned off over HTTP", "[server][slowness]") {
  ServerFixture fixture;
  CHECK(fetch(fixture.url("/fail")).json()["slowness"]["probability"].GetDouble() == 0.0);

  const Reply set = post(fixture.url("/fail/slow?probability=1&delay_ms=150&seed=3"));
  REQUIRE(set.status == 200);
  const auto json = set.json();
  CHECK(json["slowness"]["probability"].GetDouble() == 1.0);
  CHECK(json["slowness"]["delay_ms"].GetInt() == 150);
  CHECK(json["slowness"]["seed"].GetUint64() == 3);
  CHECK(fetch(fixture.url("/msg")).elapsed >= milliseconds(150));
  CHECK(fetch(fixture.url("/stats")).json()["slowed"].GetInt() == 1);

  // Bad parameters change nothing.
  CHECK(post(fixture.url("/fail/slow")).status == 400);
  CHECK(post(fixture.url("/fail/slow?p=0.5")).status == 400);  // delay_ms missing
  CHECK(post(fixture.url("/fail/slow?p=1.5&delay_ms=10")).status == 400);
  CHECK(post(fixture.url("/fail/slow?p=0.5&delay_ms=soon")).status == 400);
  CHECK(fetch(fixture.url("/fail")).json()["slowness"]["delay_ms"].GetInt() == 150);

  // Unseeded, it reports the seed it picked; p=0 needs no delay and turns it off.
  CHECK(post(fixture.url("/fail/slow?p=0.1&delay_ms=5")).json()["slowness"]["seed"].IsUint64());
  REQUIRE(post(fixture.url("/fail/slow?p=0")).status == 200);
  REQUIRE(post(fixture.url("/fail/slow?p=1&delay_ms=60000")).status == 200);
  REQUIRE(post(fixture.url("/fail/reset")).status == 200);
  CHECK(fetch(fixture.url("/fail")).json()["slowness"]["probability"].GetDouble() == 0.0);
  CHECK(fetch(fixture.url("/msg")).status == 200);
  CHECK(fixture.server.stats().slowed == 0);
}

TEST_CASE("stop cuts a slowness delay short", "[server][slowness][stop]") {
  ServerFixture fixture;
  fixture.server.set_slowness({.probability = 1.0, .delay = milliseconds(60'000), .seed = 1});
  std::future<Reply> slowed = start(fixture.url("/msg"));
  REQUIRE(rhc::testing::eventually([&] { return fixture.server.stats().msg_in_flight == 1; },
                                   rhc::testing::slack(milliseconds(2000))));

  const auto started = std::chrono::steady_clock::now();
  fixture.server.stop();
  CHECK(std::chrono::steady_clock::now() - started < rhc::testing::slack(milliseconds(1000)));
  const Reply reply = slowed.get();
  CHECK(reply.code != CURLE_OK);
  CHECK(reply.code != CURLE_OPERATION_TIMEDOUT);
}

TEST_CASE("two servers keep their own overload and slowness", "[server][overload][slowness]") {
  ServerFixture first;
  ServerFixture second;
  first.server.set_overload(Overload{.max_in_flight = 1, .retry_after = std::nullopt});
  first.server.set_slowness(
      {.probability = 1.0, .delay = rhc::testing::slack(milliseconds(500)), .seed = 1});
  std::future<Reply> held = start(first.url("/msg"));
  REQUIRE(rhc::testing::eventually([&] { return first.server.stats().msg_in_flight == 1; },
                                   rhc::testing::slack(milliseconds(2000))));

  CHECK(is_overload_503(fetch(first.url("/msg"))));
  std::vector<std::future<Reply>> on_second;
  for (int i = 0; i < 3; ++i) on_second.push_back(start(second.url("/msg")));
  for (auto& reply : on_second) CHECK(reply.get().status == 200);
  CHECK(held.get().status == 200);

  CHECK(first.server.stats().overload_rejections == 1);
  CHECK(first.server.stats().slowed == 1);
  CHECK(second.server.stats().overload_rejections == 0);
  CHECK(second.server.stats().slowed == 0);
  CHECK(fetch(second.url("/fail")).json()["overload"].IsNull());
}
