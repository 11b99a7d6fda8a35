#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <random>
#include <vector>

#include "policy/bulkhead.hpp"

using rhc::BulkheadConfig;
using rhc::detail::Bulkhead;

namespace {

Bulkhead with_capacity(int n) {
  BulkheadConfig c;
  c.max_concurrency = n;
  return Bulkhead(c);
}

}  // namespace

TEST_CASE("slots are taken up to capacity and no further", "[bulkhead]") {
  Bulkhead b = with_capacity(2);
  CHECK(b.capacity() == 2);
  CHECK(b.try_acquire());
  CHECK(b.try_acquire());
  CHECK_FALSE(b.try_acquire());
  CHECK(b.in_use() == 2);
  CHECK(b.release() == std::nullopt);
  CHECK(b.in_use() == 1);
  CHECK(b.try_acquire());
}

TEST_CASE("waiters are served first come, first served", "[bulkhead]") {
  Bulkhead b = with_capacity(1);
  REQUIRE(b.try_acquire());
  for (Bulkhead::WaiterId id : {10, 20, 30}) b.enqueue(id);
  CHECK(b.waiting() == 3);
  CHECK(b.release() == 10u);
  CHECK(b.release() == 20u);
  CHECK(b.release() == 30u);
  CHECK(b.in_use() == 1);  // each release handed the slot on
  CHECK(b.release() == std::nullopt);
  CHECK(b.in_use() == 0);
}

TEST_CASE("release hands the slot straight to the first waiter", "[bulkhead]") {
  Bulkhead b = with_capacity(1);
  REQUIRE(b.try_acquire());
  b.enqueue(7);
  CHECK(b.release() == 7u);
  CHECK(b.in_use() == 1);
  CHECK(b.waiting() == 0);
  CHECK_FALSE(b.try_acquire());  // the slot went to 7, not to whoever asks next
}

TEST_CASE("a newcomer cannot overtake the line", "[bulkhead]") {
  Bulkhead b = with_capacity(2);
  REQUIRE(b.try_acquire());
  // Misuse (enqueueing while a slot is free) is the only way to have a line and a free
  // slot at once; even then the newcomer must not jump ahead.
  b.enqueue(1);
  CHECK_FALSE(b.try_acquire());
}

TEST_CASE("a waiter can leave from the middle of the line", "[bulkhead]") {
  Bulkhead b = with_capacity(1);
  REQUIRE(b.try_acquire());
  for (Bulkhead::WaiterId id : {1, 2, 3, 4}) b.enqueue(id);
  CHECK(b.remove(3));
  CHECK_FALSE(b.remove(3));
  CHECK(b.waiting() == 3);
  CHECK(b.remove(1));  // and from the front
  CHECK(b.release() == 2u);
  CHECK(b.release() == 4u);
  CHECK(b.release() == std::nullopt);
}

TEST_CASE("remove reports false for an id that was already handed a slot", "[bulkhead]") {
  Bulkhead b = with_capacity(1);
  REQUIRE(b.try_acquire());
  b.enqueue(5);
  REQUIRE(b.release() == 5u);
  CHECK_FALSE(b.remove(5));  // the timer lost the race: the caller owns a slot now
  CHECK_FALSE(b.remove(99));
}

TEST_CASE("enqueueing an id twice keeps its first place", "[bulkhead]") {
  Bulkhead b = with_capacity(1);
  REQUIRE(b.try_acquire());
  b.enqueue(1);
  b.enqueue(2);
  b.enqueue(1);
  CHECK(b.waiting() == 2);
  CHECK(b.release() == 1u);
  CHECK(b.release() == 2u);
}

TEST_CASE("an id can wait again after leaving the line", "[bulkhead]") {
  Bulkhead b = with_capacity(1);
  REQUIRE(b.try_acquire());
  b.enqueue(1);
  b.enqueue(2);
  REQUIRE(b.remove(1));
  b.enqueue(1);
  CHECK(b.release() == 2u);
  CHECK(b.release() == 1u);
}

TEST_CASE("a release with no slot in use changes nothing", "[bulkhead]") {
  Bulkhead b = with_capacity(3);
  CHECK(b.release() == std::nullopt);
  CHECK(b.in_use() == 0);
  CHECK(b.try_acquire());
}

TEST_CASE("a capacity below 1 from an unvalidated config acts as 1", "[bulkhead]") {
  Bulkhead b = with_capacity(0);
  CHECK(b.capacity() == 1);
  CHECK(b.try_acquire());
  CHECK_FALSE(b.try_acquire());
}

TEST_CASE("capacity is never exceeded and order is kept under random operations", "[bulkhead]") {
  // A model (a counter and a deque) replayed against the bulkhead with a fixed seed.
  constexpr int kCapacity = 3;
  Bulkhead b = with_capacity(kCapacity);
  int model_in_use = 0;
  std::deque<Bulkhead::WaiterId> model_line;
  std::mt19937 rng(12345);
  Bulkhead::WaiterId next_id = 1;
  for (int step = 0; step < 20'000; ++step) {
    switch (rng() % 4) {
      case 0: {  // a request arrives
        if (b.try_acquire()) {
          REQUIRE(model_in_use < kCapacity);
          REQUIRE(model_line.empty());
          ++model_in_use;
        } else {
          b.enqueue(next_id);
          model_line.push_back(next_id);
        }
        ++next_id;
        break;
      }
      case 1: {  // a waiter times out or is cancelled
        if (model_line.empty()) break;
        const auto it = model_line.begin() + static_cast<long>(rng() % model_line.size());
        REQUIRE(b.remove(*it));
        model_line.erase(it);
        break;
      }
      default: {  // a request holding a slot ends
        if (model_in_use == 0) break;
        const auto handed = b.release();
        if (model_line.empty()) {
          REQUIRE(handed == std::nullopt);
          --model_in_use;
        } else {
          REQUIRE(handed == model_line.front());
          model_line.pop_front();
        }
        break;
      }
    }
    REQUIRE(b.in_use() == model_in_use);
    REQUIRE(b.in_use() <= kCapacity);
    REQUIRE(b.waiting() == model_line.size());
  }
}

TEST_CASE("leaving a long line is cheap", "[bulkhead]") {
  Bulkhead b = with_capacity(1);
  REQUIRE(b.try_acquire());
  constexpr Bulkhead::WaiterId kWaiters = 100'000;
  for (Bulkhead::WaiterId id = 0; id < kWaiters; ++id) b.enqueue(id);
  // Remove every waiter but the last, from the middle outwards; quadratic removal would
  // take minutes here, constant-time takes milliseconds.
  for (Bulkhead::WaiterId i = 0; i < kWaiters - 1; ++i) {
    const Bulkhead::WaiterId id = (i % 2 == 0) ? kWaiters / 2 + i / 2 : kWaiters / 2 - 1 - i / 2;
    if (id != kWaiters - 1) REQUIRE(b.remove(id));
  }
  CHECK(b.waiting() <= 2);
}
