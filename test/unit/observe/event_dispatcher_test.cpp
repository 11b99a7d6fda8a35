#include "observe/event_dispatcher.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace rhc::detail;
using namespace std::chrono_literals;

namespace {

constexpr auto kBound = std::chrono::seconds(10);  // every wait is bounded

rhc::LoggingConfig quiet() {
  rhc::LoggingConfig c;
  c.level = "ERROR";
  c.sink = [](const rhc::LogRecord&) {};
  return c;
}

// Records what it receives: the attempt numbers, in order, and the threads it ran on.
struct Recorder : rhc::Listener {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<int> seen;
  std::vector<std::thread::id> threads;
  std::atomic<int> inside{0}, most_inside{0};
  void on_event(const rhc::Event& e) override {
    const int now_inside = ++inside;
    if (now_inside > most_inside) most_inside = now_inside;
    {
      std::lock_guard<std::mutex> lock(mutex);
      seen.push_back(e.attempt);
      threads.push_back(std::this_thread::get_id());
    }
    --inside;
    cv.notify_all();
  }
  bool wait_for(std::size_t n) {
    std::unique_lock<std::mutex> lock(mutex);
    return cv.wait_for(lock, kBound, [&] { return seen.size() >= n; });
  }
};

// Blocks in on_event until released.
struct Gate : rhc::Listener {
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  std::atomic<int> received{0};
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

std::vector<EventRecord> batch(int first, int n) {
  std::vector<EventRecord> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(i)].attempt = first + i;
  return out;
}

void publish(EventDispatcher& d, std::vector<EventRecord> records) {
  d.publish(records, Clock::now(), std::chrono::system_clock::now());
  CHECK(records.empty());
}

}  // namespace

TEST_CASE("no listener: nothing is wanted and no thread runs", "[observe]") {
  EventDispatcher d{rhc::detail::Logger(quiet())};
  CHECK_FALSE(d.gate().wanted.load());
  d.shutdown();
}

TEST_CASE(
    "events reach every listener in publication order, on one thread that is not the "
    "publisher's, never concurrently",
    "[observe]") {
  EventDispatcher d{rhc::detail::Logger(quiet())};
  auto a = std::make_shared<Recorder>();
  auto b = std::make_shared<Recorder>();
  d.add(a);
  d.add(b);
  CHECK(d.gate().wanted.load());
  std::vector<int> expected;
  for (int round = 0; round < 50; ++round) {
    publish(d, batch(round * 10, 10));
    for (int i = 0; i < 10; ++i) expected.push_back(round * 10 + i);
  }
  REQUIRE(a->wait_for(expected.size()));
  REQUIRE(b->wait_for(expected.size()));
  CHECK(a->seen == expected);
  CHECK(b->seen == expected);
  CHECK(a->most_inside.load() == 1);
  for (auto id : a->threads) {
    CHECK(id == a->threads.front());
    CHECK(id != std::this_thread::get_id());
  }
  CHECK(d.dropped() == 0);
}

TEST_CASE("a full queue drops the newest records and counts them; the publisher never waits",
          "[observe]") {
  EventDispatcher d{rhc::detail::Logger(quiet()), 8};
  auto gate = std::make_shared<Gate>();
  d.add(gate);
  publish(d, batch(1, 1));  // taken by the listener, which blocks on it
  const auto deadline = std::chrono::steady_clock::now() + kBound;
  while (gate->received == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  REQUIRE(gate->received == 1);
  // The record being delivered still counts against the bound: 7 places left.
  publish(d, batch(2, 5));
  publish(d, batch(7, 5));
  CHECK(d.dropped() == 3);
  gate->release();
  d.shutdown();  // delivers what was queued, then joins
  CHECK(gate->received == 8);
}

TEST_CASE("shutdown delivers everything queued; a throwing listener keeps receiving", "[observe]") {
  struct Thrower : rhc::Listener {
    int calls = 0;
    void on_event(const rhc::Event&) override {
      ++calls;
      throw std::runtime_error("listener bug");
    }
  };
  EventDispatcher d{rhc::detail::Logger(quiet())};
  auto thrower = std::make_shared<Thrower>();
  auto recorder = std::make_shared<Recorder>();
  d.add(thrower);
  d.add(recorder);
  for (int i = 0; i < 20; ++i) publish(d, batch(i * 100, 100));
  d.shutdown();
  CHECK(thrower->calls == 2000);
  CHECK(recorder->seen.size() == 2000);
  // After shutdown: nothing is wanted, a publish is dropped quietly, a listener never called.
  CHECK_FALSE(d.gate().wanted.load());
  auto late = std::make_shared<Recorder>();
  d.add(late);
  std::vector<EventRecord> more = batch(0, 3);
  d.publish(more, Clock::now(), std::chrono::system_clock::now());
  CHECK(late->seen.empty());
}

TEST_CASE("a listener may shut the dispatcher down, and destroy it, from its own thread",
          "[observe]") {
  struct Closer : rhc::Listener {
    std::unique_ptr<EventDispatcher> owned;
    std::promise<void> done;
    void on_event(const rhc::Event&) override {
      if (owned) {
        owned->shutdown();
        owned.reset();  // the dispatcher dies; its thread finishes on its own
        done.set_value();
      }
    }
  };
  auto closer = std::make_shared<Closer>();
  auto d = std::make_unique<EventDispatcher>(rhc::detail::Logger(quiet()));
  EventDispatcher* raw = d.get();
  closer->owned = std::move(d);
  raw->add(closer);
  std::future<void> done = closer->done.get_future();
  std::vector<EventRecord> one = batch(1, 1);
  raw->publish(one, Clock::now(), std::chrono::system_clock::now());
  CHECK(done.wait_for(kBound) == std::future_status::ready);
}

TEST_CASE("a record becomes an Event: labels copied, the loop's clock mapped to the wall clock",
          "[observe]") {
  EventRecord r;
  r.kind = rhc::EventKind::RetryScheduled;
  r.at = TimePoint(std::chrono::seconds(100));
  r.labels =
      std::make_shared<const EventLabels>(EventLabels{"http://a:80", "id-1", "GET", "http://a/x"});
  r.attempt = 2;
  r.status_code = 503;
  r.error = "ServiceUnavailableError";
  r.reason = "HTTP 503";
  r.wait = 1500ms;
  const auto to_wall = std::chrono::system_clock::duration(std::chrono::seconds(1'000'000));
  const rhc::Event e = EventDispatcher::to_event(r, to_wall);
  CHECK(e.kind == rhc::EventKind::RetryScheduled);
  CHECK(e.at.time_since_epoch() == std::chrono::seconds(1'000'100));
  CHECK(e.authority == "http://a:80");
  CHECK(e.request_id == "id-1");
  CHECK(e.method == "GET");
  CHECK(e.url == "http://a/x");
  CHECK(e.attempt == 2);
  CHECK(e.status_code == 503);
  CHECK(e.error == "ServiceUnavailableError");
  CHECK(e.reason == "HTTP 503");
  CHECK(e.wait.count() == Approx(1.5));
  CHECK(std::string(rhc::to_string(rhc::EventKind::LimitChanged)) == "LimitChanged");
}
