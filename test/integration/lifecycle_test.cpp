// Re-entrancy and lifecycle: callbacks that call every public method of their own client
// (request in both forms, circuit_state, config, close, dropping the last owner) while the
// client is open, while another thread closes it, and after it is closed. Uses the public API
// only, as a user would.
//
// Assertions stay on the test's thread: callbacks only record what they saw (atomics, a
// mutex-guarded list), and the test checks the records once every callback has reported.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <rhc/rhc.hpp>

#include "client_config.hpp"
#include "echo_server.hpp"
#include "outcomes.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;

namespace {

// Generous: nothing here is about speed, and a sanitizer build on a loaded machine is slow.
constexpr auto kBound = 60s;

rhc::ClientConfig config_for(const std::string& base_url) {
  auto config = rhc::testing::quiet_config(base_url);
  config.executor_threads = 2;
  return config;
}

// Safe on the callbacks' threads: no assertion, only a yes or no to record.
bool is_closed_error(const rhc::Outcome& o) {
  return rhc::testing::is_error<rhc::ClientClosedError>(o);
}

// Counts callbacks and lets the test wait, bounded, for a number of them.
class Tally {
 public:
  void add() {
    std::lock_guard lock(mutex_);
    ++count_;
    cv_.notify_all();
  }
  bool wait_for(int n) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, kBound, [&] { return count_ >= n; });
  }
  int count() {
    std::lock_guard lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int count_ = 0;
};

// Where a callback's frame sits on its thread's stack: nesting shows as a growing spread.
std::uintptr_t stack_position() {
  volatile char here = 0;
  return reinterpret_cast<std::uintptr_t>(&here);
}

// A callback that issues the next request from inside itself: the polling loop of issue
// #19's crash. It stops at the first ClientClosedError, as the docs tell users to.
struct Poller {
  std::shared_ptr<rhc::ResilientClient> client;
  std::atomic<int> successes{0};
  std::atomic<int> callbacks{0};
  std::atomic<bool> saw_closed{false};
  std::mutex mutex;
  std::vector<std::uintptr_t> positions;  // of the refused callbacks' frames
  std::promise<void> done;

  void poll() {
    client->get("/echo", {}, [this](rhc::Outcome o) {
      ++callbacks;
      if (is_closed_error(o)) {
        saw_closed = true;
        done.set_value();
        return;
      }
      if (o.ok()) ++successes;
      poll();
    });
  }
};

}  // namespace

TEST_CASE("a callback that re-issues its request stops cleanly when another thread closes",
          "[client][lifecycle]") {
  rhc::testing::EchoServer server;
  Poller poller;
  poller.client = std::make_shared<rhc::ResilientClient>(config_for(server.base_url()));
  auto finished = poller.done.get_future();
  poller.poll();
  // Let the loop run for real before closing, so the close lands mid-chain.
  REQUIRE(rhc::testing::eventually([&] { return poller.successes >= 20; }, kBound));
  poller.client->close();
  REQUIRE(finished.wait_for(kBound) == std::future_status::ready);
  CHECK(poller.saw_closed);
}

TEST_CASE("refused callbacks that issue more requests never nest: the stack stays flat",
          "[client][lifecycle]") {
  // Before: every refusal ran its callback inside the caller's callback, so 20,000 of them
  // in a row overflowed the executor thread's stack (SIGSEGV).
  rhc::testing::EchoServer server;
  auto client = std::make_shared<rhc::ResilientClient>(config_for(server.base_url()));
  client->close();
  constexpr int kChain = 20'000;
  std::atomic<int> ran{0}, closed_errors{0};
  std::mutex mutex;
  std::uintptr_t lowest = UINTPTR_MAX, highest = 0;
  std::promise<void> done;
  std::function<void(rhc::Outcome)> next = [&](rhc::Outcome o) {
    if (is_closed_error(o)) ++closed_errors;
    {
      std::lock_guard lock(mutex);
      const std::uintptr_t p = stack_position();
      lowest = std::min(lowest, p);
      highest = std::max(highest, p);
    }
    if (++ran == kChain) return done.set_value();
    client->get("/echo", {}, next);  // unconditionally: a bounded version of a hot poller
  };
  // From a plain thread after close(): the first callback runs on it, the rest after it.
  client->get("/echo", {}, next);
  REQUIRE(done.get_future().wait_for(kBound) == std::future_status::ready);
  CHECK(ran == kChain);
  CHECK(closed_errors == kChain);
  CHECK(highest - lowest < 64 * 1024);  // one frame deep, not 20,000
}

TEST_CASE("callbacks may use every method of their own client while it is open",
          "[client][lifecycle]") {
  rhc::testing::EchoServer server;
  auto client = std::make_shared<rhc::ResilientClient>(config_for(server.base_url()));
  constexpr int kCallbacks = 16;
  Tally tally;
  std::atomic<int> inner_futures_ok{0}, inner_callbacks_ok{0}, states_closed{0}, configs{0};
  Tally inner;
  for (int i = 0; i < kCallbacks; ++i) {
    client->get("/echo", {}, [&, client](rhc::Outcome o) {
      if (o.ok()) {
        // A blocking wait on the executor is allowed: the loop thread fulfils futures.
        if (client->get("/echo").get().status_code == 200) ++inner_futures_ok;
        client->post("/echo", {}, [&](rhc::Outcome inner_outcome) {
          if (inner_outcome.ok()) ++inner_callbacks_ok;
          inner.add();
        });
        if (client->circuit_state() == rhc::CircuitState::Closed) ++states_closed;
        if (client->config().base_url == server.base_url()) ++configs;
      }
      tally.add();
    });
  }
  REQUIRE(tally.wait_for(kCallbacks));
  REQUIRE(inner.wait_for(kCallbacks));
  CHECK(inner_futures_ok == kCallbacks);
  CHECK(inner_callbacks_ok == kCallbacks);
  CHECK(states_closed == kCallbacks);
  CHECK(configs == kCallbacks);
}

TEST_CASE("callbacks may use every method of their own client while another thread closes it",
          "[client][lifecycle]") {
  // Requests to a server that never answers are still in flight when close() starts, so
  // every callback runs during or after close(); each then calls every method again.
  rhc::testing::SilentServer silent;
  auto client = std::make_shared<rhc::ResilientClient>(config_for(silent.base_url()));
  constexpr int kCallbacks = 64;
  Tally tally, inner;
  std::atomic<int> outer_closed{0}, inner_future_closed{0}, inner_callback_closed{0};
  std::atomic<int> inner_callback_runs{0};
  for (int i = 0; i < kCallbacks; ++i) {
    client->get("/never", {}, [&, client](rhc::Outcome o) {
      if (is_closed_error(o)) ++outer_closed;
      try {
        client->get("/again").get();
      } catch (const rhc::ClientClosedError&) {
        ++inner_future_closed;
      } catch (...) {
      }
      client->get("/again", {}, [&](rhc::Outcome inner_outcome) {
        ++inner_callback_runs;
        if (is_closed_error(inner_outcome)) ++inner_callback_closed;
        inner.add();
      });
      (void)client->circuit_state();
      (void)client->config();
      client->close();  // from a callback, while another thread closes too: idempotent
      tally.add();
    });
  }
  std::thread closer([client] { client->close(); });
  closer.join();
  // Every callback has started when close() returns; one that itself called close() may
  // still be finishing (its executor thread is released, not joined), hence a bounded wait.
  REQUIRE(tally.wait_for(kCallbacks));
  REQUIRE(inner.wait_for(kCallbacks));
  CHECK(outer_closed == kCallbacks);
  CHECK(inner_future_closed == kCallbacks);
  CHECK(inner_callback_runs == kCallbacks);  // each exactly once: a second run would exceed it
  CHECK(inner_callback_closed == kCallbacks);
}

TEST_CASE("calls after close() resolve with ClientClosedError, from any thread",
          "[client][lifecycle]") {
  rhc::testing::EchoServer server;
  auto client = std::make_shared<rhc::ResilientClient>(config_for(server.base_url()));
  REQUIRE(client->get("/echo").get().status_code == 200);
  client->close();
  CHECK_THROWS_AS(client->get("/echo").get(), rhc::ClientClosedError);
  std::atomic<int> closed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        client->get("/echo", {}, [&](rhc::Outcome o) {
          if (is_closed_error(o)) ++closed;
        });
        client->close();
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(closed == 400);  // after close(), refused callbacks run before the call returns
  CHECK(client->circuit_state() == rhc::CircuitState::Closed);
}

TEST_CASE("a callback may drop the last owner of its client, at any stage", "[client][lifecycle]") {
  rhc::testing::EchoServer server;
  SECTION("open: the callback destroys the client from an executor thread") {
    auto client = std::make_shared<rhc::ResilientClient>(config_for(server.base_url()));
    std::promise<bool> destroyed;
    auto holder = std::make_shared<std::shared_ptr<rhc::ResilientClient>>(client);
    client->get("/echo", {}, [holder, &destroyed](rhc::Outcome o) {
      const bool ok = o.ok();
      holder->reset();  // the last owner: ~ResilientClient runs here, on this thread
      destroyed.set_value(ok);
    });
    client.reset();  // the callback's holder is now the only owner
    auto f = destroyed.get_future();
    REQUIRE(f.wait_for(kBound) == std::future_status::ready);
    CHECK(f.get());
  }
  SECTION("closing: callbacks drop their references while another thread closes") {
    // During close() the closing thread holds a reference, so the last owner is whoever lets
    // go last: a callback or the closer. Both must be safe.
    rhc::testing::SilentServer silent;
    auto client = std::make_shared<rhc::ResilientClient>(config_for(silent.base_url()));
    std::mutex holder_mutex;
    auto holder = client;  // guarded by holder_mutex
    Tally tally;
    std::atomic<int> refused_inner{0};
    for (int i = 0; i < 8; ++i) {
      client->get("/never", {}, [&, i](rhc::Outcome) {
        std::shared_ptr<rhc::ResilientClient> mine;
        {
          std::lock_guard lock(holder_mutex);
          mine = holder;
          if (i == 0) holder.reset();
        }
        if (mine) {
          mine->get("/again", {}, [&refused_inner](rhc::Outcome o) {
            if (is_closed_error(o)) ++refused_inner;
          });
        }
        tally.add();
      });
    }
    std::thread closer([c = std::move(client)]() mutable {
      c->close();
      c.reset();
    });
    closer.join();
    REQUIRE(tally.wait_for(8));
    {
      std::lock_guard lock(holder_mutex);
      holder.reset();
    }
    CHECK(tally.count() == 8);
  }
  SECTION("closed: a refused call's callback destroys the client") {
    auto client = std::make_shared<rhc::ResilientClient>(config_for(server.base_url()));
    client->close();
    auto holder = std::make_shared<std::shared_ptr<rhc::ResilientClient>>(client);
    bool ran = false;
    client->get("/echo", {}, [holder, &ran](rhc::Outcome o) {
      ran = is_closed_error(o);
      holder->reset();
    });
    client.reset();
    CHECK(ran);
  }
}
