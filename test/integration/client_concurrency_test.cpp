// Many threads on one client, close() under load, and callbacks that throw.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <rhc/rhc.hpp>

#include "echo_server.hpp"
#include "slack.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using rhc::testing::slack;

TEST_CASE("32 threads x 500 requests share one client", "[client][concurrency]") {
  rhc::testing::EchoServer server;
  rhc::ClientConfig config;
  config.base_url = server.base_url();
  config.logging.level = "WARNING";
  config.bulkhead.max_concurrency = 64;
  // Every request must succeed, however slow the build: no timeout may get in the way.
  config.timeout = rhc::TimeoutConfig::all(60s);
  config.bulkhead.acquisition_timeout = 120s;
  rhc::ResilientClient client(config);
  constexpr int kThreads = 32, kPerThread = 500;
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      // Each thread keeps a window of requests in flight, as a busy service would.
      std::vector<std::future<rhc::Response>> window;
      for (int i = 0; i < kPerThread; ++i) {
        window.push_back(client.get("/echo"));
        if (window.size() == 8) {
          for (auto& f : window) {
            try {
              if (f.get().status_code == 200) ++ok;
            } catch (...) {
              ++failed;
            }
          }
          window.clear();
        }
      }
      for (auto& f : window) {
        try {
          if (f.get().status_code == 200) ++ok;
        } catch (...) {
          ++failed;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == kThreads * kPerThread);
  CHECK(failed == 0);
  CHECK(server.requests_seen() == static_cast<std::size_t>(kThreads * kPerThread));
}

TEST_CASE("close() with 1,000 requests in flight to a silent server resolves them all promptly",
          "[client][close]") {
  rhc::testing::SilentServer silent;
  rhc::ClientConfig config;
  config.base_url = silent.base_url();
  config.logging.level = "ERROR";
  config.bulkhead.max_concurrency = 1000;
  config.timeout = rhc::TimeoutConfig::all(60s);
  auto client = std::make_unique<rhc::ResilientClient>(config);
  std::vector<std::future<rhc::Response>> futures;
  std::atomic<int> callbacks{0};
  for (int i = 0; i < 500; ++i) futures.push_back(client->get("/never"));
  for (int i = 0; i < 500; ++i) {
    client->get("/never", {}, [&](rhc::Outcome o) {
      if (!o.ok()) ++callbacks;
    });
  }
  // Close under load: once (almost) every request is on the wire. Bounded; if a slow build
  // has not got there in time, close() still has plenty to do.
  rhc::testing::eventually([&] { return silent.accepted() >= 900; }, slack(10s), 10ms);
  const auto start = Clock::now();
  client->close();
  const auto took = Clock::now() - start;
  CHECK(took < slack(3s));  // the promise is 3 s; a sanitizer build gets slack
  int closed = 0;
  for (auto& f : futures) {
    REQUIRE(f.wait_for(0s) == std::future_status::ready);
    try {
      f.get();
    } catch (const rhc::ClientClosedError&) {
      ++closed;
    }
  }
  CHECK(closed == 500);
  CHECK(callbacks == 500);  // close() returns after the executor ran every callback
  client->close();          // idempotent
  CHECK_THROWS_AS(client->get("/after").get(), rhc::ClientClosedError);
  client.reset();
}

TEST_CASE("a throwing callback does not hurt the loop or the executor", "[client][callbacks]") {
  rhc::testing::EchoServer server;
  rhc::ClientConfig config;
  config.base_url = server.base_url();
  config.logging.level = "ERROR";
  config.executor_threads = 1;
  rhc::ResilientClient client(config);
  std::atomic<int> ran{0};
  for (int i = 0; i < 20; ++i) {
    client.get("/echo", {}, [&](rhc::Outcome) {
      ++ran;
      throw std::runtime_error("user bug");
    });
  }
  auto after = client.get("/echo");
  CHECK(after.get().status_code == 200);
  // The callback only records; the test's thread asserts (Catch2 is not thread-safe).
  std::promise<bool> last_ok;
  client.get("/echo", {}, [&](rhc::Outcome o) { last_ok.set_value(o.ok()); });
  auto last = last_ok.get_future();
  REQUIRE(last.wait_for(slack(5s)) == std::future_status::ready);
  CHECK(last.get());
  CHECK(rhc::testing::eventually([&] { return ran == 20; }, slack(5s)));
}

TEST_CASE("destroying a client with requests pending resolves them", "[client][close]") {
  rhc::testing::SilentServer silent;
  std::future<rhc::Response> f;
  {
    rhc::ClientConfig config;
    config.base_url = silent.base_url();
    config.logging.level = "ERROR";
    rhc::ResilientClient client(config);
    f = client.get("/never");
  }
  REQUIRE(f.wait_for(0s) == std::future_status::ready);
  CHECK_THROWS_AS(f.get(), rhc::ClientClosedError);
}
