// Events and stats through the public API, against the failure-injection server
// (docs/observability.md): order under concurrent submitters, a listener that blocks, stats
// snapshots taken while requests run, and counters that agree with the server's own.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "client_config.hpp"

using namespace std::chrono_literals;
using rhc::test_server::ChaosSettings;
using rhc::test_server::Fault;
using rhc::test_server::TestServer;

namespace {

constexpr auto kBound = std::chrono::seconds(60);  // every wait is bounded

// Keeps every event, and checks it is never called concurrently with itself.
struct Collector : rhc::Listener {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<rhc::Event> events;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::size_t request_ends = 0;

  void on_event(const rhc::Event& e) override {
    if (++inside > 1) overlapped = true;
    {
      std::lock_guard<std::mutex> lock(mutex);
      events.push_back(e);
      if (e.kind == rhc::EventKind::RequestEnd) ++request_ends;
    }
    --inside;
    cv.notify_all();
  }
  bool wait_for_ends(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, kBound, [&] { return request_ends >= n; });
  }
};

// Blocks every call until opened.
struct Gate : rhc::Listener {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  std::atomic<std::uint64_t> received{0};
  void on_event(const rhc::Event&) override {
    ++received;
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait_for(lock, kBound, [&] { return open; });
  }
  void release() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      open = true;
    }
    cv.notify_all();
  }
};

}  // namespace

TEST_CASE("8 submitting threads: each request's events arrive in order, never concurrently",
          "[observability][events]") {
  TestServer server;
  server.start();
  server.set_chaos(ChaosSettings{0.3, 7, {Fault::status_code(500)}});
  rhc::ClientConfig c = rhc::testing::quiet_config(server.base_url());
  c.circuit_breaker.failure_threshold = 100000;
  auto client = rhc::create_resilient_client(c);
  auto collector = std::make_shared<Collector>();
  client->add_listener(collector);

  constexpr int kThreads = 8, kEach = 40;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        rhc::RequestOptions o;
        o.request_id = "t" + std::to_string(t) + "-" + std::to_string(i);
        try {
          client->get("/msg", o).get();
        } catch (const rhc::Error&) {
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  REQUIRE(collector->wait_for_ends(kThreads * kEach));
  CHECK_FALSE(collector->overlapped);

  std::lock_guard<std::mutex> lock(collector->mutex);
  std::map<std::string, std::vector<const rhc::Event*>> by_request;
  auto previous = collector->events.front().at;
  for (const rhc::Event& e : collector->events) {
    CHECK_FALSE(e.at < previous);  // delivered in the order they happened
    previous = e.at;
    if (!e.request_id.empty()) by_request[e.request_id].push_back(&e);
  }
  REQUIRE(by_request.size() == kThreads * kEach);
  for (const auto& [id, events] : by_request) {
    INFO(id);
    // AttemptStart, AttemptEnd, then per retry RetryScheduled, AttemptStart, AttemptEnd; then
    // RetrySuppressed when retries ran out; RequestEnd last.
    REQUIRE(events.front()->kind == rhc::EventKind::AttemptStart);
    REQUIRE(events.back()->kind == rhc::EventKind::RequestEnd);
    int attempt = 0;
    for (const rhc::Event* e : events) {
      CHECK(e->method == "GET");
      CHECK(e->authority == server.base_url() + "");
      if (e->kind == rhc::EventKind::AttemptStart) CHECK(e->attempt == ++attempt);
      if (e->kind == rhc::EventKind::AttemptEnd) CHECK(e->attempt == attempt);
    }
    CHECK(events.back()->attempt == attempt);
  }
}

TEST_CASE("a listener that blocks does not hold up transfers; it gets every event later",
          "[observability][events]") {
  TestServer server;
  server.start();
  rhc::ClientConfig c = rhc::testing::quiet_config(server.base_url());
  c.bulkhead.max_concurrency = 200;  // no waits: exactly 3 events per request
  auto client = rhc::create_resilient_client(c);
  auto gate = std::make_shared<Gate>();
  client->add_listener(gate);
  std::vector<std::future<rhc::Response>> futures;
  for (int i = 0; i < 200; ++i) futures.push_back(client->get("/msg"));
  for (auto& f : futures) {
    REQUIRE(f.wait_for(kBound) == std::future_status::ready);
    CHECK(f.get().status_code == 200);
  }
  CHECK(gate->received <= 1);  // the listener is still stuck in its first event
  const rhc::ClientStats s = client->stats();
  CHECK(s.requests == 200);
  CHECK(s.events_dropped == 0);  // 600 events fit in the queue
  gate->release();
  client->close();  // delivers what is queued
  CHECK(gate->received == 600);
}

TEST_CASE("stats() from another thread while 16 threads submit: consistent and monotonic",
          "[observability][stats]") {
  TestServer server;
  server.start();
  rhc::ClientConfig c = rhc::testing::quiet_config(server.base_url());
  c.bulkhead.max_concurrency = 8;
  auto client = rhc::create_resilient_client(c);
  constexpr int kThreads = 16, kEach = 25;
  std::atomic<bool> done{false};
  std::atomic<int> snapshots{0};
  std::thread reader([&] {
    std::uint64_t last_requests = 0;
    while (!done) {
      const rhc::ClientStats s = client->stats();
      CHECK(s.requests >= last_requests);
      CHECK(s.requests == s.successes + s.failures);
      CHECK(s.request_duration.count == s.requests);
      CHECK(s.bulkhead_in_use <= 8);
      CHECK(s.attempts >= s.requests);
      last_requests = s.requests;
      ++snapshots;
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) client->get("/msg").get();
    });
  }
  for (auto& th : threads) th.join();
  done = true;
  reader.join();
  CHECK(snapshots > 0);
  const rhc::ClientStats s = client->stats();
  CHECK(s.requests == kThreads * kEach);
  CHECK(s.successes == kThreads * kEach);
  CHECK(s.in_progress == 0);
  CHECK(s.bulkhead_in_use == 0);
  REQUIRE(s.authorities.size() == 1);
  CHECK(s.authorities[0].authority == server.base_url());
  CHECK(s.authorities[0].requests == kThreads * kEach);
}

TEST_CASE("the client's counters equal the server's own counts", "[observability][stats]") {
  TestServer server;
  server.start();
  server.set_chaos(ChaosSettings{0.4, 11, {Fault::status_code(500), Fault::status_code(503)}});
  rhc::ClientConfig c = rhc::testing::quiet_config(server.base_url());
  c.circuit_breaker.failure_threshold = 100000;
  c.retry.budget.enabled = false;
  auto client = rhc::create_resilient_client(c);
  std::vector<std::future<rhc::Response>> futures;
  for (int i = 0; i < 300; ++i) futures.push_back(client->get("/msg"));
  std::uint64_t ok = 0, failed = 0;
  for (auto& f : futures) {
    try {
      f.get();
      ++ok;
    } catch (const rhc::Error&) {
      ++failed;
    }
  }
  const rhc::ClientStats s = client->stats();
  const auto server_stats = server.stats();
  CHECK(s.attempts == server_stats.msg_requests);
  CHECK(s.successes == server_stats.msg_successes);
  CHECK(s.successes == ok);
  CHECK(s.failures == failed);
  CHECK(s.retries == server_stats.msg_requests - 300);  // every attempt past a first
  CHECK(s.attempts - s.successes == server_stats.msg_failures);
  std::uint64_t by_error = 0;
  for (const auto& [name, n] : s.failures_by_error) by_error += n;
  CHECK(by_error == failed);
  CHECK(s.retries_suppressed == failed);  // each failure ran out of attempts
}

TEST_CASE("close() delivers the events of the requests it ended; stats stay readable after",
          "[observability][events][stats]") {
  TestServer server;
  server.start();
  server.fail_next(100, Fault::hang(10s));
  auto client = rhc::create_resilient_client(rhc::testing::quiet_config(server.base_url()));
  auto collector = std::make_shared<Collector>();
  client->add_listener(collector);
  CHECK_THROWS_AS(client->add_listener(nullptr), rhc::ConfigError);
  auto hung = client->get("/msg");
  while (client->stats().attempts == 0) std::this_thread::sleep_for(1ms);
  client->close();
  CHECK_THROWS_AS(hung.get(), rhc::ClientClosedError);
  {
    std::lock_guard<std::mutex> lock(collector->mutex);
    REQUIRE_FALSE(collector->events.empty());
    CHECK(collector->events.back().kind == rhc::EventKind::RequestEnd);
    CHECK(collector->events.back().error == "ClientClosedError");
  }
  const rhc::ClientStats s = client->stats();
  CHECK(s.requests == 1);
  CHECK(s.failures_by_error.at("ClientClosedError") == 1);
}
