#include "exec/thread_pool.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "capture_sink.hpp"

using rhc::detail::ThreadPool;

namespace {

// Every wait in these tests is bounded, so a bug shows as a failure rather than a hang.
constexpr auto kBound = std::chrono::seconds(10);

// Spins (yielding) until `done()` or kBound passes; returns done().
template <typename F>
bool eventually(F done) {
  const auto deadline = std::chrono::steady_clock::now() + kBound;
  while (!done() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  return done();
}

}  // namespace

TEST_CASE("every task runs exactly once when many threads post concurrently", "[exec]") {
  constexpr int kPosters = 8;
  constexpr int kPerPoster = 2000;
  std::vector<std::atomic<int>> runs(kPosters * kPerPoster);
  std::atomic<int> refused{0};  // Catch2 assertions are not thread-safe: count, check later
  {
    ThreadPool pool(4);
    std::vector<std::thread> posters;
    for (int p = 0; p < kPosters; ++p) {
      posters.emplace_back([&pool, &runs, &refused, p] {
        for (int i = 0; i < kPerPoster; ++i) {
          auto& slot = runs[static_cast<std::size_t>(p * kPerPoster + i)];
          if (!pool.post([&slot] { slot.fetch_add(1, std::memory_order_relaxed); })) {
            refused.fetch_add(1);
          }
        }
      });
    }
    for (auto& t : posters) t.join();
    pool.shutdown();
  }
  CHECK(refused.load() == 0);
  int wrong = 0;
  for (auto& r : runs) wrong += r.load() == 1 ? 0 : 1;
  CHECK(wrong == 0);
}

TEST_CASE("tasks posted from one thread run in posting order on a one-thread pool", "[exec]") {
  std::vector<int> order;
  {
    ThreadPool pool(1);
    for (int i = 0; i < 100; ++i) pool.post([&order, i] { order.push_back(i); });
  }
  REQUIRE(order.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("shutdown runs every task already queued before it returns", "[exec]") {
  ThreadPool pool(1);
  std::promise<void> gate;
  auto gate_open = gate.get_future().share();
  REQUIRE(pool.post([gate_open] { gate_open.wait_for(kBound); }));
  std::atomic<int> ran{0};
  for (int i = 0; i < 100; ++i) REQUIRE(pool.post([&ran] { ran.fetch_add(1); }));

  std::thread closer([&pool] { pool.shutdown(); });
  // Once post() refuses, shutdown() has begun while the 100 tasks are still queued.
  CHECK(eventually([&pool] { return !pool.post([] {}); }));
  CHECK(ran.load() == 0);
  gate.set_value();
  closer.join();
  CHECK(ran.load() == 100);
}

TEST_CASE("post after shutdown returns false and never runs the task", "[exec]") {
  ThreadPool pool(2);
  pool.shutdown();
  bool ran = false;
  CHECK_FALSE(pool.post([&ran] { ran = true; }));
  pool.shutdown();  // idempotent
  CHECK_FALSE(ran);
}

TEST_CASE("a throwing task is logged and does not kill its worker", "[exec]") {
  rhc::test::CaptureSink sink;
  std::atomic<int> ran{0};
  {
    rhc::LoggingConfig logging;
    logging.logger_name = "pool";
    ThreadPool pool(1, rhc::detail::Logger(logging));
    pool.post([] { throw std::runtime_error("boom"); });
    pool.post([] { throw 42; });
    pool.post([&ran] { ran.fetch_add(1); });
  }
  CHECK(ran.load() == 1);

  int logged = 0;
  for (const auto& line : sink.lines()) {
    if (line.severity != google::GLOG_ERROR) continue;
    ++logged;
    CHECK(line.text.rfind("[pool] a callback threw", 0) == 0);
  }
  CHECK(logged == 2);
}

TEST_CASE("on_pool_thread is true only on that pool's own workers", "[exec]") {
  ThreadPool a(2);
  ThreadPool b(1);
  CHECK_FALSE(a.on_pool_thread());

  std::promise<std::pair<bool, bool>> seen;
  auto result = seen.get_future();
  a.post([&] { seen.set_value({a.on_pool_thread(), b.on_pool_thread()}); });
  REQUIRE(result.wait_for(kBound) == std::future_status::ready);
  auto [on_a, on_b] = result.get();
  CHECK(on_a);
  CHECK_FALSE(on_b);
}

TEST_CASE("concurrent shutdown calls all return after the workers are joined", "[exec]") {
  ThreadPool pool(3);
  std::atomic<int> ran{0};
  for (int i = 0; i < 1000; ++i) pool.post([&ran] { ran.fetch_add(1); });
  std::vector<std::thread> closers;
  std::atomic<int> saw_all{0};
  for (int i = 0; i < 4; ++i) {
    closers.emplace_back([&] {
      pool.shutdown();
      if (ran.load() == 1000) saw_all.fetch_add(1);
    });
  }
  for (auto& t : closers) t.join();
  CHECK(saw_all.load() == 4);
}

TEST_CASE("a task may shut down and destroy its own pool", "[exec]") {
  auto pool = std::make_unique<ThreadPool>(3);
  std::atomic<int> ran{0};
  for (int i = 0; i < 50; ++i) pool->post([&ran] { ran.fetch_add(1); });

  // Shared, so the promise outlives this test however late the detached worker lets go.
  auto done = std::make_shared<std::promise<int>>();
  auto result = done->get_future();
  // The task waits until post() has returned: destroying the pool while this thread is
  // still inside one of its calls would be the test's bug, not the pool's.
  std::promise<void> posted;
  auto posted_future = posted.get_future().share();
  pool->post([&pool, &ran, done, posted_future] {
    posted_future.wait_for(kBound);
    bool was_on_pool = pool->on_pool_thread();
    pool.reset();  // ~ThreadPool on a pool thread: joins the other workers, detaches this one
    done->set_value(was_on_pool ? ran.load() : -1);
  });
  posted.set_value();
  REQUIRE(result.wait_for(kBound) == std::future_status::ready);
  CHECK(result.get() == 50);  // queued before it, so run by the time shutdown returned
}

TEST_CASE("a task may shut down the only thread of its pool, running the queue first", "[exec]") {
  ThreadPool pool(1);
  auto done = std::make_shared<std::promise<void>>();
  auto result = done->get_future();
  auto after = std::make_shared<std::atomic<int>>(0);
  auto ran_before_return = std::make_shared<std::atomic<int>>(-1);
  auto refused = std::make_shared<std::atomic<bool>>(false);
  pool.post([&pool, done, after, ran_before_return, refused] {
    pool.post([after] { after->fetch_add(1); });
    pool.shutdown();  // runs the task above, here, before returning
    *ran_before_return = after->load();
    *refused = !pool.post([] {});
    done->set_value();
  });
  REQUIRE(result.wait_for(kBound) == std::future_status::ready);
  CHECK(ran_before_return->load() == 1);
  CHECK(refused->load());
  pool.shutdown();  // from outside now: returns at once, the joiner already finished
}

TEST_CASE("a pool needs at least one thread", "[exec]") {
  CHECK_THROWS_AS(ThreadPool(0), std::invalid_argument);
  CHECK_THROWS_AS(ThreadPool(-3), std::invalid_argument);
  CHECK(ThreadPool(1).size() == 1);
}

TEST_CASE("the default thread count is between one and four", "[exec]") {
  int n = ThreadPool::default_threads();
  CHECK(n >= 1);
  CHECK(n <= 4);
}

TEST_CASE("post_all queues a whole batch: every task runs once, slow ones side by side", "[exec]") {
  ThreadPool pool(2);
  std::atomic<int> runs{0};
  std::atomic<int> running{0};
  std::atomic<int> most_at_once{0};
  std::vector<std::function<void()>> batch;
  for (int i = 0; i < 6; ++i) {
    batch.emplace_back([&] {
      const int now = ++running;
      int seen = most_at_once.load();
      while (now > seen && !most_at_once.compare_exchange_weak(seen, now)) {
      }
      // Hold the worker until two tasks have run side by side (bounded): only a second woken
      // worker can make that happen, however slow the build.
      const auto deadline = std::chrono::steady_clock::now() + kBound;
      while (most_at_once.load() < 2 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::yield();
      }
      --running;
      ++runs;
    });
  }
  // Both workers are waiting, so the batch must wake both.
  REQUIRE(eventually([&] { return pool.idle_workers() == 2; }));
  REQUIRE(pool.post_all(batch));
  CHECK(batch.empty());
  REQUIRE(eventually([&] { return runs.load() == 6; }));
  CHECK(most_at_once.load() == 2);

  pool.shutdown();
  std::vector<std::function<void()>> late;
  late.emplace_back([&] { ++runs; });
  CHECK_FALSE(pool.post_all(late));
  CHECK(late.size() == 1);  // refused: left with the caller to run or drop
  CHECK(runs.load() == 6);
}
