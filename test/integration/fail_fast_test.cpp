// Fail fast: a request an open circuit breaker refuses is refused on the caller's thread,
// without a round trip to the event loop, and still counted, per authority too, and reported
// as events (docs/circuit-breaker.md "Fail fast"). Against the failure-injection server.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "client_config.hpp"

using namespace std::chrono_literals;
using rhc::test_server::Fault;
using rhc::test_server::TestServer;

namespace {

constexpr auto kBound = std::chrono::seconds(30);  // every wait is bounded

// A client whose breaker opens after two failed requests and stays open for the test.
rhc::ClientConfig opening_config(const TestServer& server, rhc::BreakerScope scope) {
  rhc::ClientConfig c = rhc::testing::quiet_config(server.base_url());
  c.retry.max_attempts = 1;
  c.circuit_breaker.scope = scope;
  c.circuit_breaker.failure_threshold = 2;
  c.circuit_breaker.recovery_timeout = 60s;
  return c;
}

void open_the_circuit(rhc::ResilientClient& client, TestServer& server) {
  server.fail_next(2, Fault::status_code(500));
  for (int i = 0; i < 2; ++i) CHECK_THROWS_AS(client.get("/msg").get(), rhc::ServerError);
  REQUIRE(client.circuit_state(server.base_url()) == rhc::CircuitState::Open);
}

const rhc::AuthorityStats* stats_of(const rhc::ClientStats& s, const std::string& authority) {
  for (const auto& a : s.authorities) {
    if (a.authority == authority) return &a;
  }
  return nullptr;
}

struct Collector : rhc::Listener {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<rhc::Event> events;
  void on_event(const rhc::Event& e) override {
    {
      std::lock_guard<std::mutex> lock(mutex);
      events.push_back(e);
    }
    cv.notify_all();
  }
  // The events about `request_id`, once its RequestEnd has arrived (empty after kBound).
  std::vector<rhc::Event> of(const std::string& request_id) {
    std::unique_lock<std::mutex> lock(mutex);
    std::vector<rhc::Event> out;
    cv.wait_for(lock, kBound, [&] {
      out.clear();
      for (const auto& e : events) {
        if (e.request_id == request_id) out.push_back(e);
      }
      return !out.empty() && out.back().kind == rhc::EventKind::RequestEnd;
    });
    return out;
  }
};

}  // namespace

TEST_CASE("an open breaker's refusal is ready when the call returns, and counted",
          "[breaker][fail-fast]") {
  const auto scope = GENERATE(rhc::BreakerScope::Client, rhc::BreakerScope::Authority);
  INFO("scope " << (scope == rhc::BreakerScope::Client ? "client" : "authority"));
  TestServer server;
  server.start();
  rhc::ResilientClient client(opening_config(server, scope));
  open_the_circuit(client, server);
  const auto sent_before = server.stats().msg_requests;

  // Ready before the call returns: nothing waits for the loop's turn.
  constexpr int kRefused = 200;  // more than one lazy batch of books (EventLoop)
  for (int i = 0; i < kRefused; ++i) {
    rhc::RequestOptions o;
    o.request_id = "refused-" + std::to_string(i);
    auto f = client.get("/msg", o);
    REQUIRE(f.wait_for(0s) == std::future_status::ready);
    try {
      f.get();
      FAIL("an open circuit let a request through");
    } catch (const rhc::CircuitOpenError& e) {
      CHECK(e.attempts() == 0);
      CHECK(e.request_id() == o.request_id);
    }
  }
  CHECK(server.stats().msg_requests == sent_before);  // nothing reached the server

  // The books: stats() orders after every refusal made before it, even though the loop was
  // not woken for them.
  const rhc::ClientStats s = client.stats();
  CHECK(s.breaker_rejections == kRefused);
  CHECK(s.requests == kRefused + 2);
  CHECK(s.failures == kRefused + 2);
  CHECK(s.failures_by_error.at("CircuitOpenError") == kRefused);
  CHECK(s.request_duration.count == kRefused + 2);
  CHECK(s.in_progress == 0);
  const rhc::AuthorityStats* a = stats_of(s, server.base_url());
  REQUIRE(a != nullptr);
  CHECK(a->breaker_rejections == kRefused);
  CHECK(a->requests == kRefused + 2);
  CHECK(a->breaker_state == rhc::CircuitState::Open);
}

TEST_CASE("a refusal on the caller's thread gives the events the loop's refusal gave",
          "[breaker][fail-fast][observability]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(opening_config(server, rhc::BreakerScope::Client));
  auto collector = std::make_shared<Collector>();
  client.add_listener(collector);
  open_the_circuit(client, server);

  rhc::RequestOptions o;
  o.request_id = "refused-with-a-listener";
  CHECK_THROWS_AS(client.get("/msg", o).get(), rhc::CircuitOpenError);
  const auto events = collector->of(o.request_id.value());
  REQUIRE(events.size() == 2);
  CHECK(events[0].kind == rhc::EventKind::BreakerRejected);
  CHECK(events[1].kind == rhc::EventKind::RequestEnd);
  CHECK(events[1].error == "CircuitOpenError");
  CHECK(events[1].attempt == 0);
  CHECK(events[0].authority == server.base_url());
}

TEST_CASE("callbacks get the refusal too, exactly once, with the books already kept",
          "[breaker][fail-fast]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(opening_config(server, rhc::BreakerScope::Client));
  open_the_circuit(client, server);

  std::promise<std::uint64_t> seen;
  auto rejections = seen.get_future();
  client.get("/msg", {}, [&](rhc::Outcome outcome) {
    CHECK_FALSE(outcome.ok());
    CHECK_THROWS_AS(std::rethrow_exception(outcome.error), rhc::CircuitOpenError);
    seen.set_value(client.stats().breaker_rejections);  // from the callback: counted already
  });
  REQUIRE(rejections.wait_for(kBound) == std::future_status::ready);
  CHECK(rejections.get() == 1);
}

TEST_CASE("a cancelled token still ends as cancelled when the circuit is open",
          "[breaker][fail-fast][cancel]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(opening_config(server, rhc::BreakerScope::Client));
  open_the_circuit(client, server);
  rhc::CancelToken token;
  token.cancel();
  rhc::RequestOptions o;
  o.cancel = token;
  CHECK_THROWS_AS(client.get("/msg", o).get(), rhc::CancelledError);
  CHECK(client.stats().breaker_rejections == 0);
}

TEST_CASE("after the open period the loop decides: the next request is the trial",
          "[breaker][fail-fast]") {
  TestServer server;
  server.start();
  auto config = opening_config(server, rhc::BreakerScope::Client);
  config.circuit_breaker.recovery_timeout = 200ms;
  rhc::ResilientClient client(config);
  open_the_circuit(client, server);
  CHECK_THROWS_AS(client.get("/msg").get(), rhc::CircuitOpenError);
  std::this_thread::sleep_for(300ms);                  // the open period is over: half-open
  CHECK(client.get("/msg").get().status_code == 200);  // the trial, sent and answered
  CHECK(client.circuit_state() == rhc::CircuitState::Closed);
}
