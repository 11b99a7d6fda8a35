#include <catch2/catch.hpp>

#include <chrono>
#include <limits>
#include <random>
#include <vector>

#include "timers/timer_queue.hpp"

using namespace std::chrono_literals;
using rhc::detail::Duration;
using rhc::detail::TimePoint;
using rhc::detail::Timer;
using rhc::detail::TimerHandler;
using rhc::detail::TimerQueue;

namespace {

struct Recorder : TimerHandler {
  std::vector<int> fired;
  void on_timer(Timer& t) override { fired.push_back(t.tag()); }
};

}  // namespace

TEST_CASE("timers fire in due order, each once, only when due", "[timer_queue]") {
  TimerQueue q;
  Recorder rec;
  Timer a(&rec, 1), b(&rec, 2), c(&rec, 3);
  const TimePoint t0{};
  q.schedule(c, t0 + 30ms);
  q.schedule(a, t0 + 10ms);
  q.schedule(b, t0 + 20ms);
  REQUIRE(q.next_due() == t0 + 10ms);
  q.run_due(t0 + 5ms);
  CHECK(rec.fired.empty());
  q.run_due(t0 + 20ms);
  CHECK(rec.fired == std::vector<int>{1, 2});
  CHECK_FALSE(a.armed());
  CHECK(c.armed());
  q.run_due(t0 + 1s);
  CHECK(rec.fired == std::vector<int>{1, 2, 3});
  CHECK(q.size() == 0);
  CHECK_FALSE(q.next_due().has_value());
}

TEST_CASE("a cancelled timer never fires and leaves nothing behind", "[timer_queue]") {
  TimerQueue q;
  Recorder rec;
  Timer a(&rec, 1), b(&rec, 2);
  q.schedule(a, TimePoint{} + 10ms);
  q.schedule(b, TimePoint{} + 20ms);
  q.cancel(a);
  q.cancel(a);  // harmless twice
  CHECK(q.size() == 1);
  q.run_due(TimePoint{} + 1s);
  CHECK(rec.fired == std::vector<int>{2});
}

TEST_CASE("rescheduling an armed timer moves it", "[timer_queue]") {
  TimerQueue q;
  Recorder rec;
  Timer a(&rec, 1), b(&rec, 2);
  q.schedule(a, TimePoint{} + 10ms);
  q.schedule(b, TimePoint{} + 20ms);
  q.schedule(a, TimePoint{} + 30ms);
  CHECK(q.size() == 2);
  q.run_due(TimePoint{} + 25ms);
  CHECK(rec.fired == std::vector<int>{2});
}

TEST_CASE("a handler may re-arm its own timer while it fires", "[timer_queue]") {
  TimerQueue q;
  struct Rearm : TimerHandler {
    TimerQueue* q;
    int count = 0;
    void on_timer(Timer& t) override {
      if (++count < 3) q->schedule(t, t.due() + std::chrono::milliseconds(10));
    }
  } h;
  h.q = &q;
  Timer t(&h, 0);
  q.schedule(t, TimePoint{} + 10ms);
  q.run_due(TimePoint{} + 15ms);
  CHECK(h.count == 1);
  q.run_due(TimePoint{} + 100ms);
  CHECK(h.count == 3);
  CHECK_FALSE(t.armed());
}

TEST_CASE("the heap stays ordered under random schedules and cancels", "[timer_queue]") {
  TimerQueue q;
  struct Order : TimerHandler {
    TimePoint last{};
    int fired = 0;
    bool ordered = true;
    void on_timer(Timer& t) override {
      if (t.due() < last) ordered = false;
      last = t.due();
      ++fired;
    }
  } h;
  std::vector<std::unique_ptr<Timer>> timers;
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    timers.push_back(std::make_unique<Timer>(&h, i));
    q.schedule(*timers.back(), TimePoint{} + std::chrono::milliseconds(rng() % 10000));
  }
  int cancelled = 0;
  for (int i = 0; i < 2000; i += 3) {
    q.cancel(*timers[i]);
    ++cancelled;
  }
  q.run_due(TimePoint{} + 20s);
  CHECK(h.ordered);
  CHECK(h.fired == 2000 - cancelled);
  CHECK(q.size() == 0);
}

TEST_CASE("a handler re-arming its timer into the past cannot keep run_due from returning",
          "[timer_queue]") {
  // Issue #19: a stall timer due at an overflowed (past) time re-armed itself forever and
  // spun the loop thread. Within one run_due, time only moves forward.
  TimerQueue q;
  struct Past : TimerHandler {
    TimerQueue* q;
    int count = 0;
    void on_timer(Timer& t) override {
      ++count;
      q->schedule(t, TimePoint{});
    }
  } h;
  h.q = &q;
  Timer t(&h, 0);
  q.schedule(t, TimePoint{} + 10ms);
  q.run_due(TimePoint{} + 1s);
  CHECK(h.count == 1);
  CHECK(t.armed());  // due again: it fires on the next call
  q.run_due(TimePoint{} + 1s);
  CHECK(h.count == 2);
}

TEST_CASE("seconds become a Duration saturated to [0, 100 years]", "[timer_queue][clock]") {
  using rhc::Seconds;
  using rhc::detail::kMaxDuration;
  using rhc::detail::to_duration;
  CHECK(to_duration(Seconds(1.5)) == 1500ms);
  CHECK(to_duration(Seconds(std::numeric_limits<double>::infinity())) == kMaxDuration);
  CHECK(to_duration(Seconds(1e10)) == kMaxDuration);  // 1e19 ns: past int64
  CHECK(to_duration(Seconds(1e300)) == kMaxDuration);
  CHECK(to_duration(Seconds(1e9)) == std::chrono::seconds(1'000'000'000));  // the largest valid
  CHECK(to_duration(Seconds(std::numeric_limits<double>::quiet_NaN())) == Duration::zero());
  CHECK(to_duration(Seconds(-std::numeric_limits<double>::infinity())) == Duration::zero());
  CHECK(to_duration(Seconds(-1)) == Duration::zero());
  // `now + to_duration(anything)` stays a valid TimePoint.
  const auto now = rhc::detail::Clock::now();
  CHECK(now < now + to_duration(Seconds(std::numeric_limits<double>::infinity())));
}
