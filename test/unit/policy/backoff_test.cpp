#include <catch2/catch.hpp>

#include <chrono>
#include <climits>
#include <cmath>
#include <limits>
#include <random>

#include "policy/backoff.hpp"

using namespace std::chrono_literals;
using rhc::RetryConfig;
using rhc::detail::backoff_base;
using rhc::detail::backoff_wait;
using rhc::detail::Duration;
using rhc::detail::UniformRandom;

namespace {

RetryConfig no_jitter() {
  RetryConfig c;
  c.jitter = false;
  return c;
}

UniformRandom constant(double r) {
  return [r] { return r; };
}

// A reproducible source: the same draws on every run.
UniformRandom seeded(std::uint64_t seed) {
  auto engine = std::make_shared<std::mt19937_64>(seed);
  return [engine] { return static_cast<double>((*engine)() >> 11) * 0x1.0p-53; };
}

}  // namespace

TEST_CASE("the default wait sequence doubles from 1 s and is capped at 60 s", "[backoff]") {
  const RetryConfig c = no_jitter();
  const Duration expected[] = {1s, 2s, 4s, 8s, 16s, 32s, 60s, 60s, 60s};
  for (int k = 1; k <= 9; ++k) {
    CAPTURE(k);
    CHECK(backoff_base(c, k) == expected[k - 1]);
    CHECK(backoff_wait(c, k, {}) == expected[k - 1]);
  }
}

TEST_CASE("a retry number below 1 is treated as the first retry", "[backoff]") {
  const RetryConfig c = no_jitter();
  CHECK(backoff_base(c, 0) == 1s);
  CHECK(backoff_base(c, -7) == 1s);
  CHECK(backoff_base(c, INT_MIN) == 1s);
}

TEST_CASE("fractional settings give exact millisecond waits", "[backoff]") {
  RetryConfig c = no_jitter();
  c.min_wait = 100ms;
  c.max_wait = 1s;
  c.multiplier = 3.0;
  CHECK(backoff_base(c, 1) == 100ms);
  CHECK(backoff_base(c, 2) == 300ms);
  CHECK(backoff_base(c, 3) == 900ms);
  CHECK(backoff_base(c, 4) == 1s);
}

TEST_CASE("a huge retry number saturates at max_wait without overflow", "[backoff]") {
  RetryConfig c = no_jitter();
  CHECK(backoff_base(c, 1'000) == 60s);
  CHECK(backoff_base(c, INT_MAX) == 60s);
  c.multiplier = 1e300;
  CHECK(backoff_base(c, 3) == 60s);
  CHECK(backoff_base(c, INT_MAX) == 60s);
  c.jitter = true;
  const Duration w = backoff_wait(c, INT_MAX, constant(0.999));
  CHECK(w >= 1s);
  CHECK(w <= 60s);
}

TEST_CASE("a zero min_wait gives zero waits for every k, never NaN", "[backoff]") {
  RetryConfig c = no_jitter();
  c.min_wait = 0s;
  CHECK(backoff_base(c, 1) == 0s);
  CHECK(backoff_base(c, INT_MAX) == 0s);
  c.jitter = true;
  CHECK(backoff_wait(c, INT_MAX, constant(0.5)) == 0s);
}

TEST_CASE("multiplier 1 keeps every wait at min_wait", "[backoff]") {
  RetryConfig c = no_jitter();
  c.multiplier = 1.0;
  c.min_wait = 250ms;
  for (int k : {1, 2, 10, INT_MAX}) CHECK(backoff_base(c, k) == 250ms);
}

TEST_CASE("a huge max_wait saturates instead of overflowing the duration", "[backoff]") {
  RetryConfig c = no_jitter();
  c.max_wait = rhc::Seconds(1e30);
  CHECK(backoff_base(c, INT_MAX) == rhc::detail::kMaxPolicyWait);
}

TEST_CASE("jitter draws stay within [min_wait, base] for every k", "[backoff][jitter]") {
  const RetryConfig c;  // defaults: jitter on
  const UniformRandom random = seeded(42);
  for (int k = 1; k <= 10; ++k) {
    const Duration base = backoff_base(c, k);
    Duration lowest = Duration::max(), highest = Duration::min();
    for (int i = 0; i < 2'000; ++i) {
      const Duration w = backoff_wait(c, k, random);
      REQUIRE(w >= 1s);
      REQUIRE(w <= base);
      lowest = std::min(lowest, w);
      highest = std::max(highest, w);
    }
    if (k >= 3) {  // the draws spread over the whole range, not one corner of it
      const Duration span = base - 1s;
      CHECK(lowest < 1s + span / 20);
      CHECK(highest > base - span / 20);
    }
  }
}

TEST_CASE("jitter at the extremes of the random source", "[backoff][jitter]") {
  const RetryConfig c;
  SECTION("random 0 gives min_wait") { CHECK(backoff_wait(c, 5, constant(0.0)) == 1s); }
  SECTION("random just below 1 gives base, within a nanosecond") {
    const Duration w = backoff_wait(c, 5, constant(std::nextafter(1.0, 0.0)));
    CHECK(w <= 16s);
    CHECK(w >= 16s - 1ns);
  }
  SECTION("out-of-range draws from a faulty source are clamped") {
    CHECK(backoff_wait(c, 5, constant(1.0)) == 16s);
    CHECK(backoff_wait(c, 5, constant(7.0)) == 16s);
    CHECK(backoff_wait(c, 5, constant(-3.0)) == 1s);
    CHECK(backoff_wait(c, 5, constant(std::numeric_limits<double>::quiet_NaN())) == 1s);
  }
  SECTION("random 0.5 lands in the middle") { CHECK(backoff_wait(c, 3, constant(0.5)) == 2500ms); }
  SECTION("the first retry is always min_wait, since base is min_wait") {
    CHECK(backoff_wait(c, 1, constant(0.9)) == 1s);
  }
}

TEST_CASE("without jitter the random source is never called", "[backoff][jitter]") {
  int calls = 0;
  const UniformRandom counting = [&calls] {
    ++calls;
    return 0.5;
  };
  const RetryConfig c = no_jitter();
  CHECK(backoff_wait(c, 4, counting) == 8s);
  CHECK(calls == 0);
}

TEST_CASE("the default random source is uniform in [0, 1) and shared by copies", "[backoff]") {
  const UniformRandom random = rhc::detail::make_default_random();
  const UniformRandom copy = random;
  double sum = 0;
  constexpr int kDraws = 10'000;
  for (int i = 0; i < kDraws; ++i) {
    const double r = (i % 2 == 0 ? random : copy)();
    REQUIRE(r >= 0.0);
    REQUIRE(r < 1.0);
    sum += r;
  }
  CHECK(sum / kDraws == Approx(0.5).margin(0.05));
  // Copies advance one engine: consecutive draws through different copies differ.
  CHECK(random() != copy());
}
