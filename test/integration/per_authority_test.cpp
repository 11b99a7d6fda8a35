// The production breaker and bulkhead settings end to end, against two real test servers (two
// authorities): breaker scope, failure-rate mode, half-open probes, open backoff
// (docs/circuit-breaker.md) and adaptive concurrency (docs/bulkhead.md). Checked from the
// client (errors, circuit_state(url), the breaker's logged transitions) and from the server
// (/stats: what really arrived).
//
// Time: the open-backoff test reads lower bounds from the clock (an open period never ends
// early, however slow the build) and upper bounds widened by slack(); the others wait for
// events with bounded waits and use delays only to keep requests in flight.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "breaker_log.hpp"
#include "client_config.hpp"
#include "outcomes.hpp"
#include "slack.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;
using rhc::CircuitState;
using rhc::test_server::Fault;
using rhc::test_server::TestServer;
using rhc::testing::BreakerLog;
using rhc::testing::error_of;
using rhc::testing::eventually;
using rhc::testing::slack;
using Clock = std::chrono::steady_clock;
using Futures = std::vector<std::future<rhc::Response>>;

namespace {

struct Server {
  TestServer server;
  Server() { server.start(); }
};

// One attempt per request (the server's counts are requests), a breaker that only opens when
// a test means it to, and logging at INFO under `logger_name`, where the breaker logs its
// transitions for BreakerLog.
rhc::ClientConfig one_attempt(const std::string& base_url, const std::string& logger_name) {
  rhc::ClientConfig c = rhc::testing::quiet_config(base_url);
  c.retry.max_attempts = 1;
  c.circuit_breaker.failure_threshold = 1000;
  c.circuit_breaker.recovery_timeout = 60s;  // open means open for the rest of a test
  c.logging.level = "INFO";
  c.logging.logger_name = logger_name;
  return c;
}

rhc::RequestOptions delayed(std::chrono::milliseconds ms) {
  rhc::RequestOptions o;
  o.params = {{"delay", std::to_string(ms.count())}};
  return o;
}

// How many of `futures` resolved with a 200 within a generous bound; fails the test on any
// other outcome.
int successes(Futures& futures) {
  int n = 0;
  for (auto& f : futures) {
    REQUIRE(f.wait_for(slack(30s)) == std::future_status::ready);
    try {
      if (f.get().status_code == 200) ++n;
    } catch (const std::exception& e) {
      FAIL("unexpected error: " << e.what());
    }
  }
  return n;
}

int ready(const Futures& futures) {
  int n = 0;
  for (const auto& f : futures) n += f.wait_for(0s) == std::future_status::ready ? 1 : 0;
  return n;
}

// Runs one request per letter of `plan`, one after the other: 'F' is answered 500 by the
// server, '.' 200. Checks each outcome.
void run_plan(rhc::ResilientClient& client, TestServer& server, const std::string& plan) {
  for (char step : plan) {
    if (step == 'F') server.fail_next(1, Fault::status_code(500));
    auto f = client.get(server.base_url() + "/msg");
    if (step == 'F') {
      CHECK(error_of<rhc::ServerError>(f).attempts() == 1);
    } else {
      REQUIRE(f.wait_for(slack(30s)) == std::future_status::ready);
      CHECK(f.get().status_code == 200);
    }
  }
}

// A dead host (every /msg answered 500) and a healthy one, and a client whose base_url is the
// dead one, opened after 3 failed requests.
struct DeadAndHealthy {
  Server dead, healthy;
  const std::string dead_url = dead.server.base_url();
  const std::string healthy_url = healthy.server.base_url();

  rhc::ClientConfig config(rhc::BreakerScope scope, const std::string& logger_name) const {
    rhc::ClientConfig c = one_attempt(dead_url, logger_name);
    c.circuit_breaker.scope = scope;
    c.circuit_breaker.failure_threshold = 3;
    return c;
  }

  // Fails 3 requests at the dead host, which opens the circuit that judges it.
  void open_dead_circuit(rhc::ResilientClient& client) {
    dead.server.fail_next(100'000, Fault::status_code(500));
    for (int i = 0; i < 3; ++i) {
      CHECK(client.circuit_state(dead_url) == CircuitState::Closed);
      CHECK(error_of<rhc::ServerError>(client.get(dead_url + "/msg")).attempts() == 1);
    }
    REQUIRE(client.circuit_state(dead_url) == CircuitState::Open);
    REQUIRE(dead.server.stats().msg_requests == 3);
  }

  // 50 requests to the healthy host and 25 to the dead one, interleaved.
  void call_both(rhc::ResilientClient& client, Futures& to_healthy, Futures& to_dead) {
    for (int i = 0; i < 50; ++i) {
      to_healthy.push_back(client.get(healthy_url + "/msg"));
      if (i % 2 == 0) to_dead.push_back(client.get(dead_url + "/msg"));
    }
  }
};

void check_refused(Futures& futures) {
  for (auto& f : futures) CHECK(error_of<rhc::CircuitOpenError>(f).attempts() == 0);
}

}  // namespace

TEST_CASE("with authority scope, a dead host's open circuit never blocks a healthy host",
          "[breaker][authority]") {
  DeadAndHealthy hosts;
  BreakerLog log("pa-authority");
  rhc::ResilientClient client(hosts.config(rhc::BreakerScope::Authority, "pa-authority"));
  hosts.open_dead_circuit(client);

  Futures to_healthy, to_dead;
  hosts.call_both(client, to_healthy, to_dead);
  CHECK(successes(to_healthy) == 50);  // every one
  check_refused(to_dead);
  CHECK(hosts.dead.server.stats().msg_requests == 3);  // nothing reached it while open
  CHECK(hosts.healthy.server.stats().msg_requests == 50);

  CHECK(client.circuit_state(hosts.dead_url) == CircuitState::Open);
  CHECK(client.circuit_state(hosts.healthy_url) == CircuitState::Closed);
  CHECK(client.circuit_state() == CircuitState::Open);  // base_url is the dead host
  // Any URL on the authority reads the same breaker.
  CHECK(client.circuit_state(hosts.dead_url + "/any/path") == CircuitState::Open);
  CHECK(client.circuit_state(hosts.dead_url + "/msg?x=1#f") == CircuitState::Open);
  const std::string port = std::to_string(hosts.dead.server.port());
  CHECK(client.circuit_state("HTTP://127.0.0.1:" + port + "/Any") == CircuitState::Open);
  CHECK(client.circuit_state(hosts.healthy_url + "/any/path") == CircuitState::Closed);
  CHECK(client.circuit_state("http://127.0.0.1:1") == CircuitState::Closed);  // never called

  CHECK(log.count_for(hosts.dead_url, "CLOSED -> OPEN") == 1);
  CHECK(log.all_for(hosts.dead_url).size() == 1);
  CHECK(log.all_for(hosts.healthy_url).empty());
  CHECK(log.all_for("").empty());  // the client-wide breaker plays no part
}

TEST_CASE("with client scope, the dead host's open circuit refuses the healthy host too",
          "[breaker][authority]") {
  DeadAndHealthy hosts;
  BreakerLog log("pa-client");
  rhc::ResilientClient client(hosts.config(rhc::BreakerScope::Client, "pa-client"));
  hosts.open_dead_circuit(client);

  Futures to_healthy, to_dead;
  hosts.call_both(client, to_healthy, to_dead);
  check_refused(to_healthy);
  check_refused(to_dead);
  CHECK(hosts.dead.server.stats().msg_requests == 3);
  CHECK(hosts.healthy.server.stats().msg_requests == 0);

  // One breaker, whatever the URL asks about.
  CHECK(client.circuit_state(hosts.dead_url) == CircuitState::Open);
  CHECK(client.circuit_state(hosts.healthy_url) == CircuitState::Open);
  CHECK(client.circuit_state("http://127.0.0.1:1/x") == CircuitState::Open);
  CHECK(client.circuit_state() == CircuitState::Open);
  CHECK(log.count_for("", "CLOSED -> OPEN") == 1);
  CHECK(log.all().size() == 1);
}

TEST_CASE("circuit_state refuses what is not an absolute http or https URL",
          "[breaker][authority]") {
  const auto scope = GENERATE(rhc::BreakerScope::Client, rhc::BreakerScope::Authority);
  INFO("scope " << rhc::to_string(scope));
  Server s;
  rhc::ClientConfig c = one_attempt(s.server.base_url(), "pa-bad-argument");
  c.circuit_breaker.scope = scope;
  rhc::ResilientClient client(c);
  for (const char* bad : {"not a url", "ftp://x", "", "/msg"}) {
    INFO("argument '" << bad << "'");
    CHECK_THROWS_AS(client.circuit_state(bad), rhc::ConfigError);
  }
  CHECK(client.circuit_state(s.server.base_url()) == CircuitState::Closed);
}

TEST_CASE("failure-rate mode judges the share of failed calls once minimum_calls ended",
          "[breaker][failure-rate]") {
  Server s;
  TestServer& server = s.server;
  rhc::ClientConfig c = one_attempt(server.base_url(), "pa-rate");
  c.circuit_breaker.mode = rhc::BreakerMode::FailureRate;
  c.circuit_breaker.minimum_calls = 10;
  c.circuit_breaker.failure_rate_threshold = 0.5;
  c.circuit_breaker.window = 60s;  // no call leaves the window during the test
  BreakerLog log("pa-rate");
  rhc::ResilientClient client(c);

  SECTION("60 %: six failures in the first ten calls open it at the tenth, a success") {
    run_plan(client, server, "FFFFFF...");
    CHECK(client.circuit_state() == CircuitState::Closed);  // 6 of 9: too few calls to judge
    run_plan(client, server, ".");
    CHECK(client.circuit_state() == CircuitState::Open);  // 6 of 10 >= 0.5
    CHECK(error_of<rhc::CircuitOpenError>(client.get("/msg")).attempts() == 0);
    CHECK(server.stats().msg_requests == 10);
    CHECK(log.count("CLOSED -> OPEN") == 1);
  }
  SECTION("exactly at the threshold opens: five failures in ten") {
    run_plan(client, server, ".....FFFF");
    CHECK(client.circuit_state() == CircuitState::Closed);
    run_plan(client, server, "F");
    CHECK(client.circuit_state() == CircuitState::Open);
  }
  SECTION("20 %: one failure in five stays closed over 40 calls") {
    for (int i = 0; i < 8; ++i) {
      run_plan(client, server, "....F");
      CHECK(client.circuit_state() == CircuitState::Closed);
    }
    const auto stats = server.stats();
    CHECK(stats.msg_requests == 40);
    CHECK(stats.msg_failures == 8);
    CHECK(log.all().empty());
  }
  SECTION("40 %: four failures in the first ten, in a row, stay closed") {
    run_plan(client, server, "FFFF......");
    CHECK(client.circuit_state() == CircuitState::Closed);
    CHECK(server.stats().msg_requests == 10);
  }
  SECTION("a server failing 60 % at random (fixed seed) gets the circuit opened") {
    server.set_chaos({0.6, 7, {Fault::status_code(500)}});
    bool opened = false;
    for (int i = 0; i < 100 && !opened; ++i) {
      auto f = client.get("/msg");
      REQUIRE(f.wait_for(slack(30s)) == std::future_status::ready);
      try {
        f.get();
      } catch (const rhc::CircuitOpenError& e) {
        CHECK(e.attempts() == 0);
        opened = true;
      } catch (const rhc::ServerError&) {
      }
    }
    REQUIRE(opened);
    // It opened on the call that brought the window (every call so far) to the threshold.
    const auto stats = server.stats();
    INFO("calls " << stats.msg_requests << ", failures " << stats.msg_failures);
    CHECK(stats.msg_requests >= 10);
    CHECK(2 * stats.msg_failures >= stats.msg_requests);
    CHECK(log.count("CLOSED -> OPEN") == 1);
  }
}

TEST_CASE("half-open admits half_open_probes trials at once and refuses the next",
          "[breaker][probes]") {
  Server s;
  TestServer& server = s.server;
  rhc::ClientConfig c = one_attempt(server.base_url(), "pa-probes");
  c.circuit_breaker.failure_threshold = 1;
  c.circuit_breaker.half_open_probes = 3;
  // Far longer than a trial takes (300 ms at the server): a trial that outlives
  // recovery_timeout gives its place away, and a fourth request would be let in.
  c.circuit_breaker.recovery_timeout = 1500ms;
  BreakerLog log("pa-probes");
  rhc::ResilientClient client(c);

  server.fail_next(1, Fault::status_code(500));
  CHECK_THROWS_AS(client.get("/msg").get(), rhc::ServerError);
  REQUIRE(client.circuit_state() == CircuitState::Open);
  REQUIRE(eventually([&] { return client.circuit_state() == CircuitState::HalfOpen; }, slack(10s)));

  const bool one_fails = GENERATE(false, true);
  INFO("one trial fails: " << one_fails);
  if (one_fails) server.fail_next(1, Fault::status_code(500));
  Futures trials;
  for (int i = 0; i < 3; ++i) trials.push_back(client.get("/msg", delayed(300ms)));
  // The three trials are still at the server (300 ms): no fourth place.
  CHECK(error_of<rhc::CircuitOpenError>(client.get("/msg", delayed(300ms))).attempts() == 0);

  int ok = 0, failed = 0;
  for (auto& f : trials) {
    REQUIRE(f.wait_for(slack(30s)) == std::future_status::ready);
    try {
      ok += f.get().status_code == 200 ? 1 : 0;
    } catch (const rhc::ServerError&) {
      ++failed;
    }
  }
  CHECK(server.stats().msg_requests == 1 + 3);  // the opening failure and the three trials
  CHECK(log.count("OPEN -> HALF_OPEN") == 1);
  if (one_fails) {
    CHECK(ok == 2);
    CHECK(failed == 1);
    CHECK(client.circuit_state() == CircuitState::Open);  // any trial failure reopens
    CHECK(log.count("HALF_OPEN -> OPEN") == 1);
    CHECK(log.count("HALF_OPEN -> CLOSED") == 0);
  } else {
    CHECK(ok == 3);
    CHECK(client.circuit_state() == CircuitState::Closed);  // three successes close
    CHECK(log.count("HALF_OPEN -> CLOSED") == 1);
  }
}

TEST_CASE("each consecutive opening lasts recovery_multiplier times longer, up to the cap",
          "[breaker][backoff]") {
  Server s;
  TestServer& server = s.server;
  rhc::ClientConfig c = one_attempt(server.base_url(), "pa-backoff");
  c.circuit_breaker.failure_threshold = 1;
  c.circuit_breaker.recovery_timeout = 200ms;
  c.circuit_breaker.recovery_multiplier = 4;  // 200 ms, 800 ms, then 3.2 s capped to 2 s
  c.circuit_breaker.max_recovery_timeout = 2s;
  rhc::ResilientClient client(c);

  // One failed request (the opening failure, or a failed trial); returns when it was sent,
  // which is before the circuit (re)opened.
  auto fail_one = [&] {
    server.fail_next(1, Fault::status_code(500));
    const auto sent = Clock::now();
    CHECK(error_of<rhc::ServerError>(client.get("/msg")).attempts() == 1);
    CHECK(client.circuit_state() == CircuitState::Open);
    return sent;
  };
  // How long after `sent` the circuit was first seen half-open. Polled every millisecond, so
  // any half-open reading before the period's end would come out shorter than the period.
  auto open_for = [&](Clock::time_point sent) {
    REQUIRE(eventually([&] { return client.circuit_state() == CircuitState::HalfOpen; }, slack(10s),
                       1ms));
    return Clock::now() - sent;
  };

  const auto first = open_for(fail_one());
  CHECK(first >= 200ms);
  const auto second = open_for(fail_one());  // the trial fails: the second opening
  CHECK(second >= 800ms);                    // still open where the first period ended
  const auto third = open_for(fail_one());
  CHECK(third >= 2s);
  CHECK(third < slack(3200ms));  // the cap, not 200 ms * 4^2

  // A successful trial closes it and starts the count over: the next opening is 200 ms.
  REQUIRE(client.get("/msg").get().status_code == 200);
  REQUIRE(client.circuit_state() == CircuitState::Closed);
  const auto after_close = open_for(fail_one());
  CHECK(after_close >= 200ms);
  CHECK(after_close < slack(800ms));
}

TEST_CASE("adaptive concurrency: an authority at its limit holds its own requests only",
          "[bulkhead][adaptive][authority]") {
  Server a, b;
  const std::string url_a = a.server.base_url(), url_b = b.server.base_url();
  rhc::ClientConfig c = one_attempt(url_a, "pa-adaptive");
  c.bulkhead.adaptive.enabled = true;
  c.bulkhead.adaptive.initial_limit = 4;
  c.bulkhead.max_concurrency = 50;  // the ceiling; each authority's limit is what binds
  c.bulkhead.acquisition_timeout = 60s;
  rhc::ResilientClient client(c);

  // A keeps its requests 1.5 s at the server; B answers at once. B's requests are made after
  // A's waiters queued and must be answered while those still wait: B's round trip is also
  // the proof that the loop had every chance to send A's waiters, had their limit let it.
  constexpr auto kHeld = 1500ms;
  auto b_answers_while_a_waits = [&] {
    Futures to_b;
    for (int i = 0; i < 10; ++i) to_b.push_back(client.get(url_b + "/msg"));
    CHECK(successes(to_b) == 10);
  };

  SECTION("20 calls at once: exactly the initial limit of 4 reaches the server") {
    Futures to_a;
    for (int i = 0; i < 20; ++i) to_a.push_back(client.get(url_a + "/msg", delayed(kHeld)));
    REQUIRE(eventually([&] { return a.server.stats().msg_in_flight == 4; }, slack(10s)));
    b_answers_while_a_waits();
    const auto stats = a.server.stats();
    CHECK(stats.msg_requests == 4);
    CHECK(stats.msg_max_in_flight == 4);
    CHECK(ready(to_a) == 0);
    CHECK(b.server.stats().msg_requests == 10);
    // The rest go as places free up (the limit may grow meanwhile: it is in use).
    CHECK(successes(to_a) == 20);
    CHECK(a.server.stats().msg_requests == 20);
  }
  SECTION("a burst of 503s is one cut per round trip: 4 -> 3, not 4 -> 1") {
    a.server.fail_next(4, Fault::status_code(503));
    Futures burst;  // all four start before any answer comes
    for (int i = 0; i < 4; ++i) burst.push_back(client.get(url_a + "/msg", delayed(300ms)));
    for (auto& f : burst) CHECK(error_of<rhc::ServiceUnavailableError>(f).status_code() == 503);
    REQUIRE(a.server.stats().msg_requests == 4);

    Futures to_a;
    for (int i = 0; i < 8; ++i) to_a.push_back(client.get(url_a + "/msg", delayed(kHeld)));
    REQUIRE(eventually([&] { return a.server.stats().msg_in_flight == 3; }, slack(10s)));
    b_answers_while_a_waits();
    CHECK(a.server.stats().msg_requests == 4 + 3);
    CHECK(ready(to_a) == 0);
    CHECK(successes(to_a) == 8);
  }
}
