// Failure probability with a seed: random enough for soak runs, reproducible for debugging.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "server_fixture.hpp"

using namespace rhc::test_server::testing;

namespace {

// One letter per /msg outcome: 'S' success, 'F' 500, '3' 503, 'R' reset, '?' anything else.
std::string outcomes(const ServerFixture& fixture, int count) {
  std::string seen;
  for (int i = 0; i < count; ++i) {
    const Reply reply = fetch(fixture.url("/msg"));
    if (reply.code == CURLE_RECV_ERROR || reply.code == CURLE_GOT_NOTHING) {
      seen += 'R';
    } else if (reply.status == 200) {
      seen += 'S';
    } else if (reply.status == 500) {
      seen += 'F';
    } else if (reply.status == 503) {
      seen += '3';
    } else {
      seen += '?';
    }
  }
  return seen;
}

}  // namespace

TEST_CASE("the same seed gives the same sequence of outcomes", "[server][chaos]") {
  const std::string chaos = "/fail/probability?p=0.5&seed=42&faults=500,503,reset";
  ServerFixture first;
  REQUIRE(post(first.url(chaos)).status == 200);
  const std::string a = outcomes(first, 40);

  ServerFixture second;
  REQUIRE(post(second.url(chaos)).status == 200);
  const std::string b = outcomes(second, 40);

  // Setting the same chaos again restarts the sequence on the same server, too.
  REQUIRE(post(first.url(chaos)).status == 200);
  const std::string c = outcomes(first, 40);

  INFO(a << '\n' << b << '\n' << c);
  CHECK(a == b);
  CHECK(a == c);
  CHECK(a.find('S') != std::string::npos);
  CHECK(a.find('F') != std::string::npos);
  CHECK(a.find('3') != std::string::npos);
  CHECK(a.find('R') != std::string::npos);
  CHECK(a.find('?') == std::string::npos);
}

TEST_CASE("different seeds give different sequences", "[server][chaos]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/probability?p=0.5&seed=1")).status == 200);
  const std::string a = outcomes(fixture, 40);
  REQUIRE(post(fixture.url("/fail/probability?p=0.5&seed=2")).status == 200);
  const std::string b = outcomes(fixture, 40);
  CHECK(a != b);
}

TEST_CASE("the failure rate follows the probability", "[server][chaos]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/probability?p=0.25&seed=7")).status == 200);
  const std::string seen = outcomes(fixture, 200);
  const auto failures = std::count(seen.begin(), seen.end(), 'F');
  // Binomial(200, 0.25): mean 50, sd ~6; the seed is fixed, so this cannot flake.
  CHECK(failures > 25);
  CHECK(failures < 75);
  const auto stats = fetch(fixture.url("/stats")).json();
  CHECK(stats["msg"]["failures"].GetInt() == failures);
}

TEST_CASE("probability 1 fails everything and 0 turns chaos off", "[server][chaos]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/probability?p=1&seed=3&faults=503")).status == 200);
  CHECK(outcomes(fixture, 10) == std::string(10, '3'));
  REQUIRE(post(fixture.url("/fail/probability?p=0")).status == 200);
  CHECK(outcomes(fixture, 10) == std::string(10, 'S'));
}

TEST_CASE("counted failures come before chaos", "[server][chaos]") {
  ServerFixture fixture;
  REQUIRE(post(fixture.url("/fail/probability?p=1&seed=3&faults=503")).status == 200);
  REQUIRE(post(fixture.url("/fail/count/2?status=500")).status == 200);
  CHECK(outcomes(fixture, 4) == "FF33");
}

TEST_CASE("an unseeded chaos setting reports the seed it picked", "[server][chaos]") {
  ServerFixture fixture;
  const Reply reply = post(fixture.url("/fail/probability?p=0.1"));
  REQUIRE(reply.status == 200);
  const auto json = reply.json();
  CHECK(json["chaos"]["probability"].GetDouble() == Approx(0.1));
  CHECK(json["chaos"]["seed"].IsUint64());
  CHECK(json["chaos"]["faults"][0]["status"].GetInt() == 500);
}
