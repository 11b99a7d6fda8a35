// Hedging against the failure-injection server (docs/hedging.md): its first-attempt delay
// makes the first attempt of each request late, so a hedge decides the outcome. Times are
// asserted with generous bounds only; the tail-latency figures live in the benchmark.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "client_config.hpp"

using namespace std::chrono_literals;
using rhc::test_server::Slowness;
using rhc::test_server::TestServer;

namespace {

constexpr auto kSlow = std::chrono::milliseconds(1500);  // the late first attempt

rhc::ClientConfig hedged_config(const std::string& base_url) {
  rhc::ClientConfig c = rhc::testing::quiet_config(base_url);
  c.hedging.enabled = true;
  c.hedging.delay = 50ms;
  return c;
}

void slow_first_attempts(TestServer& server) { server.set_slowness(Slowness{1.0, kSlow, 1, true}); }

struct KindCounter : rhc::Listener {
  std::atomic<int> hedges{0}, losers{0};
  void on_event(const rhc::Event& e) override {
    if (e.kind == rhc::EventKind::Hedge) ++hedges;
    if (e.kind == rhc::EventKind::AttemptEnd && e.error == "CancelledError") ++losers;
  }
};

template <typename F>
bool eventually(F done) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
  return done();
}

}  // namespace

TEST_CASE(
    "a hedged GET beats its late first attempt; the server sees 2 attempts, the loser "
    "is aborted",
    "[hedging]") {
  TestServer server;
  server.start();
  slow_first_attempts(server);
  auto client = rhc::create_resilient_client(hedged_config(server.base_url()));
  auto counter = std::make_shared<KindCounter>();
  client->add_listener(counter);
  const auto start = std::chrono::steady_clock::now();
  const rhc::Response r = client->get("/msg").get();
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.status_code == 200);
  CHECK(r.attempts == 2);
  CHECK(took < kSlow);  // about delay + service time, far below the late attempt
  CHECK(server.attempts_for(r.request_id) == 2);
  CHECK(eventually([&] { return server.stats().client_gone == 1; }));  // the loser went away
  const rhc::ClientStats s = client->stats();
  CHECK(s.hedges == 1);
  CHECK(s.attempts == 2);
  client->close();
  CHECK(counter->hedges == 1);
  CHECK(counter->losers == 1);
}

TEST_CASE("a POST is not hedged without a key and an opt-in", "[hedging]") {
  TestServer server;
  server.start();
  slow_first_attempts(server);
  rhc::ClientConfig c = hedged_config(server.base_url());
  auto client = rhc::create_resilient_client(c);
  const rhc::Response plain = client->post("/msg").get();
  CHECK(plain.attempts == 1);
  CHECK(server.attempts_for(plain.request_id) == 1);

  rhc::RequestOptions opt_in;
  opt_in.hedge = true;
  CHECK_THROWS_AS(client->post("/msg", opt_in).get(), rhc::ConfigError);

  rhc::RequestOptions keyed = opt_in;
  keyed.idempotency_key = "order-1";
  const rhc::Response hedged = client->post("/msg", keyed).get();
  CHECK(hedged.attempts == 2);
}

TEST_CASE("cancel and timeout.total stop pending hedges", "[hedging]") {
  TestServer server;
  server.start();
  SECTION("cancel before the hedge is due") {
    slow_first_attempts(server);
    rhc::ClientConfig c = hedged_config(server.base_url());
    c.hedging.delay = 300ms;
    auto client = rhc::create_resilient_client(c);
    rhc::CancelToken token;
    rhc::RequestOptions o;
    o.cancel = token;
    o.request_id = "cancelled";
    auto f = client->get("/msg", o);
    std::this_thread::sleep_for(50ms);
    token.cancel();
    CHECK_THROWS_AS(f.get(), rhc::CancelledError);
    std::this_thread::sleep_for(500ms);  // past the hedge's time
    CHECK(server.attempts_for("cancelled") == 1);
  }
  SECTION("timeout.total ends every attempt and the hedges to come") {
    server.set_slowness(Slowness{1.0, kSlow, 1, false});  // every attempt is late
    rhc::ClientConfig c = hedged_config(server.base_url());
    c.hedging.delay = 100ms;
    c.hedging.max_hedged_attempts = 4;
    c.retry.max_attempts = 10;
    c.timeout.total = 0.35s;
    auto client = rhc::create_resilient_client(c);
    rhc::RequestOptions o;
    o.request_id = "deadline";
    CHECK_THROWS_AS(client->get("/msg", o).get(), rhc::APITimeoutError);
    std::this_thread::sleep_for(300ms);
    const std::uint64_t seen = server.attempts_for("deadline");
    CHECK(seen >= 2);
    CHECK(seen <= 4);  // the first, and hedges at ~100, ~200, ~300 ms: none after 350 ms
  }
}
