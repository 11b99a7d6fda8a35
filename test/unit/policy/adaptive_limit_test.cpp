// AdaptiveLimit with invented instants: the exact cut and grow sequence, the once-per-round-
// trip rule, the ceiling and floor, Retry-After holds, and a deterministic simulation against
// a server that drops whatever runs beyond its capacity.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "policy/adaptive_limit.hpp"

using namespace std::chrono_literals;
using rhc::AdaptiveLimitConfig;
using rhc::Seconds;
using rhc::detail::AdaptiveLimit;
using rhc::detail::TimePoint;

namespace {

const TimePoint kT0 = TimePoint{} + 1000s;

AdaptiveLimitConfig adaptive(int initial, int min_limit = 1, double ratio = 0.9) {
  AdaptiveLimitConfig c;
  c.enabled = true;
  c.initial_limit = initial;
  c.min_limit = min_limit;
  c.backoff_ratio = ratio;
  return c;
}

// A drop from an attempt that started just now, in the current round trip: always honoured.
bool fresh_drop(AdaptiveLimit& l) { return l.on_drop(l.generation()); }

}  // namespace

TEST_CASE("the limit starts at initial_limit, within [min_limit, ceiling]", "[adaptive]") {
  CHECK(AdaptiveLimit(adaptive(20), 50).limit() == 20);
  CHECK(AdaptiveLimit(adaptive(20), 8).limit() == 8);  // the bulkhead's cap wins
  AdaptiveLimit l(adaptive(20, 3), 50);
  CHECK(l.min_limit() == 3);
  CHECK(l.ceiling() == 50);
  CHECK(l.generation() == 0);
  CHECK(l.counters().cuts == 0);
  CHECK(l.counters().increases == 0);
}

TEST_CASE("drops cut 20 at 0.9 to 18, 16, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1", "[adaptive]") {
  AdaptiveLimit l(adaptive(20), 50);
  std::vector<int> seen;
  for (int i = 0; i < 15; ++i) {
    CHECK(fresh_drop(l));
    seen.push_back(l.limit());
  }
  CHECK(seen == std::vector<int>{18, 16, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1});
  // The last cut changed nothing but is honoured all the same: a new round trip began.
  CHECK(l.generation() == 15);
  CHECK(l.counters().cuts == 15);
}

TEST_CASE("a cut takes the floor of the decimal product, and never goes under min_limit",
          "[adaptive]") {
  SECTION("100 * 0.57 is 57, though binary doubles compute 56.99999999999999") {
    AdaptiveLimit l(adaptive(100, 1, 0.57), 100);
    fresh_drop(l);
    CHECK(l.limit() == 57);
  }
  SECTION("0.5 halves, rounding down, and stops at min_limit") {
    AdaptiveLimit l(adaptive(23, 5, 0.5), 50);
    std::vector<int> seen;
    for (int i = 0; i < 4; ++i) {
      fresh_drop(l);
      seen.push_back(l.limit());
    }
    CHECK(seen == std::vector<int>{11, 5, 5, 5});
  }
}

TEST_CASE("drops from attempts started in the same round trip cut once", "[adaptive]") {
  AdaptiveLimit l(adaptive(20), 50);
  const AdaptiveLimit::Generation started = l.generation();  // five attempts start together
  CHECK(l.on_drop(started));
  for (int i = 0; i < 4; ++i) CHECK_FALSE(l.on_drop(started));
  CHECK(l.limit() == 18);
  CHECK(l.counters().cuts == 1);
  CHECK(l.counters().stale_drops == 4);
}

TEST_CASE("a drop from an attempt started after the cut cuts again", "[adaptive]") {
  AdaptiveLimit l(adaptive(20), 50);
  const AdaptiveLimit::Generation before = l.generation();
  CHECK(l.on_drop(before));
  const AdaptiveLimit::Generation after = l.generation();  // started once the cut was known
  CHECK(after == before + 1);
  CHECK_FALSE(l.on_drop(before));
  CHECK(l.on_drop(after));
  CHECK(l.limit() == 16);
  CHECK_FALSE(l.on_drop(before));  // two round trips old: still ignored
  CHECK(l.limit() == 16);
}

TEST_CASE("a drop honoured at min_limit still ends the round trip", "[adaptive]") {
  AdaptiveLimit l(adaptive(1), 50);
  const AdaptiveLimit::Generation started = l.generation();
  CHECK(l.on_drop(started));
  CHECK(l.limit() == 1);
  CHECK(l.on_success(1));        // growth resumes: at limit 1 one success is a round trip's worth
  CHECK_FALSE(l.on_success(1));  // at limit 2, each counting success adds 1/2
  CHECK(l.on_success(1));
  CHECK(l.limit() == 3);
  // A late drop of the round trip that was already answered cannot cut the new limit.
  CHECK_FALSE(l.on_drop(started));
  CHECK(l.limit() == 3);
}

// Grows the limit by one round trip's worth of counting successes; returns how many it took.
int successes_to_grow(AdaptiveLimit& l, int in_flight) {
  const int before = l.limit();
  int n = 0;
  while (l.limit() == before && n < 10'000) {
    l.on_success(in_flight);
    ++n;
  }
  return n;
}

TEST_CASE("the limit grows by 1 per round trip of successes with 2 * in_flight >= limit",
          "[adaptive]") {
  SECTION("even limit: half in flight is enough; 20 successes make a round trip at 20") {
    AdaptiveLimit l(adaptive(20), 50);
    for (int i = 0; i < 100; ++i) CHECK_FALSE(l.on_success(9));  // the limit was not used
    CHECK(l.limit() == 20);
    CHECK(successes_to_grow(l, 10) == 20);
    CHECK(l.limit() == 21);
    CHECK(successes_to_grow(l, 11) == 21);
    CHECK(l.limit() == 22);
    CHECK(l.counters().increases == 2);
  }
  SECTION("odd limit: integers, no rounding down of limit / 2") {
    AdaptiveLimit l(adaptive(5), 50);
    for (int i = 0; i < 100; ++i) CHECK_FALSE(l.on_success(2));
    CHECK(successes_to_grow(l, 3) == 5);
    CHECK(l.limit() == 6);
  }
  SECTION("in_flight near INT_MAX does not overflow") {
    AdaptiveLimit l(adaptive(5), 50);
    CHECK(successes_to_grow(l, std::numeric_limits<int>::max()) == 5);
  }
  SECTION("a cut forgets the partial growth") {
    AdaptiveLimit l(adaptive(10), 50);
    for (int i = 0; i < 9; ++i) CHECK_FALSE(l.on_success(10));  // 9/10 of a step
    CHECK(l.on_drop(l.generation()));
    CHECK(l.limit() == 9);
    CHECK(successes_to_grow(l, 9) == 9);  // a whole round trip again, not one success
  }
}

TEST_CASE("the limit never grows past the ceiling", "[adaptive]") {
  AdaptiveLimit l(adaptive(3), 4);
  CHECK(successes_to_grow(l, 3) == 3);
  CHECK(l.limit() == 4);
  for (int i = 0; i < 100; ++i) CHECK_FALSE(l.on_success(4));
  CHECK(l.limit() == 4);
  CHECK(l.counters().increases == 1);
}

TEST_CASE("a hold lasts while now < its end; the later hold wins", "[adaptive]") {
  AdaptiveLimit l(adaptive(20), 50);
  CHECK(l.hold_end() == std::nullopt);
  CHECK_FALSE(l.held(kT0));

  l.hold_until(kT0 + 5s);
  CHECK(l.held(kT0));
  CHECK(l.held(kT0 + 5s - 1ns));
  CHECK_FALSE(l.held(kT0 + 5s));  // over at exactly its end

  l.hold_until(kT0 + 3s);  // an earlier end never shortens the hold
  CHECK(l.hold_end() == kT0 + 5s);
  CHECK(l.held(kT0 + 4s));

  l.hold_until(kT0 + 8s);
  CHECK(l.hold_end() == kT0 + 8s);
  CHECK(l.held(kT0 + 7s));
  CHECK_FALSE(l.held(kT0 + 8s));
  CHECK(l.hold_end() == kT0 + 8s);  // still reported once past
}

TEST_CASE("there is room iff no hold is in force and in_flight < limit", "[adaptive]") {
  AdaptiveLimit l(adaptive(3), 50);
  CHECK(l.has_room(0, kT0));
  CHECK(l.has_room(2, kT0));
  CHECK_FALSE(l.has_room(3, kT0));
  l.hold_until(kT0 + 2s);
  CHECK_FALSE(l.has_room(0, kT0 + 1s));
  CHECK(l.has_room(0, kT0 + 2s));
  CHECK_FALSE(l.has_room(3, kT0 + 2s));
}

TEST_CASE("429 and 503 are drop statuses; slowness counts only with a threshold", "[adaptive]") {
  CHECK(AdaptiveLimit::is_drop_status(429));
  CHECK(AdaptiveLimit::is_drop_status(503));
  for (int status : {200, 404, 500, 502, 504}) CHECK_FALSE(AdaptiveLimit::is_drop_status(status));

  CHECK_FALSE(AdaptiveLimit(adaptive(20), 50).is_slow(std::chrono::hours(1)));  // 0 = off
  AdaptiveLimitConfig c = adaptive(20);
  c.latency_threshold = Seconds{2.0};
  AdaptiveLimit l(c, 50);
  CHECK_FALSE(l.is_slow(2s));
  CHECK(l.is_slow(2s + 1ns));
}

TEST_CASE("a config that skipped validation is clamped, never trusted", "[adaptive]") {
  SECTION("min_limit below 1 and a zero ceiling") {
    AdaptiveLimit l(adaptive(0, 0), 0);
    CHECK(l.ceiling() == 1);
    CHECK(l.min_limit() == 1);
    CHECK(l.limit() == 1);
  }
  SECTION("min_limit above the ceiling") {
    AdaptiveLimit l(adaptive(20, 40), 10);
    CHECK(l.min_limit() == 10);
    CHECK(l.limit() == 10);
  }
  SECTION("a NaN ratio halves") {
    AdaptiveLimit l(adaptive(20, 1, std::nan("")), 50);
    fresh_drop(l);
    CHECK(l.limit() == 10);
  }
  SECTION("a ratio of 1 still cuts by one") {
    AdaptiveLimit l(adaptive(20, 1, 1.0), 50);
    fresh_drop(l);
    CHECK(l.limit() == 19);
  }
}

namespace {

// A fake server that can serve K attempts at once: an attempt that starts while K others run
// is a drop (a 503). Time moves in integer steps; every attempt takes exactly one step (one
// round trip). Each step first completes everything started in the previous one, in start
// order, reporting in_flight as the attempts still running, the completing one included;
// then it starts attempts while has_room() says yes (demand never runs out).
struct Simulation {
  int limit_min = std::numeric_limits<int>::max();  // over the settled steps
  int limit_max = 0;
  std::int64_t attempts = 0;  // started during the settled steps
  std::int64_t drops = 0;
  int max_cuts_per_step = 0;  // over all steps

  double drop_share() const { return static_cast<double>(drops) / static_cast<double>(attempts); }
};

Simulation simulate(AdaptiveLimit& l, int capacity, int steps, int settle) {
  struct Attempt {
    AdaptiveLimit::Generation started;
    bool drop;
  };
  Simulation s;
  std::vector<Attempt> running;
  for (int step = 0; step < steps; ++step) {
    const TimePoint now = kT0 + std::chrono::seconds(step);
    const std::uint64_t cuts_before = l.counters().cuts;
    auto in_flight = static_cast<int>(running.size());
    for (const Attempt& a : running) {
      if (a.drop) {
        l.on_drop(a.started);
      } else {
        l.on_success(in_flight);
      }
      --in_flight;
    }
    running.clear();
    s.max_cuts_per_step =
        std::max(s.max_cuts_per_step, static_cast<int>(l.counters().cuts - cuts_before));
    while (l.has_room(static_cast<int>(running.size()), now)) {
      running.push_back({l.generation(), static_cast<int>(running.size()) + 1 > capacity});
    }
    if (step >= settle) {
      s.limit_min = std::min(s.limit_min, l.limit());
      s.limit_max = std::max(s.limit_max, l.limit());
      s.attempts += static_cast<std::int64_t>(running.size());
      s.drops +=
          std::count_if(running.begin(), running.end(), [](const Attempt& a) { return a.drop; });
    }
  }
  return s;
}

constexpr int kCapacity = 20;  // the fake server's K
constexpr int kSteps = 2000;
constexpr int kSettle = 1000;

}  // namespace

// Against K = 20 under the default ceiling of 50: additive increase of one per round trip
// (TCP's congestion avoidance) against a 10 % cut at most once per round trip settles just
// under K. (The per-success increase production.md's wording suggests sat at 45, with 25 of
// every 45 attempts dropped: growth outran the cut.)
TEST_CASE("against a server of capacity 20, the limit settles within [17, 22] with < 5 % drops",
          "[adaptive][simulation]") {
  AdaptiveLimit l(adaptive(20), 50);
  const Simulation s = simulate(l, kCapacity, kSteps, kSettle);
  CHECK(s.max_cuts_per_step == 1);  // once per round trip, however many drops
  CHECK(s.limit_min >= kCapacity * 0.9 - 1);
  CHECK(s.limit_max <= kCapacity + 2);
  CHECK(s.drop_share() < 0.05);
  INFO("limit " << s.limit_min << "-" << s.limit_max << ", drops " << s.drop_share());
  CHECK(true);
}
