// RetryBudget with invented instants: which retries the window allows, and exactly when
// counted events leave it.
#include <catch2/catch.hpp>

#include <chrono>

#include "policy/retry_budget.hpp"

using namespace std::chrono_literals;
using rhc::RetryBudgetConfig;
using rhc::Seconds;
using rhc::detail::RetryBudget;
using rhc::detail::TimePoint;

namespace {

const TimePoint kT0 = TimePoint{} + 1000s;  // on a bucket boundary

RetryBudgetConfig budget(double ratio, double reserve_per_second, double window = 10.0) {
  RetryBudgetConfig c;
  c.ratio = ratio;
  c.min_retries_per_second = reserve_per_second;
  c.window = Seconds{window};
  return c;
}

// Charges retries at `at` until the budget says no; returns how many it allowed.
int charge_all(RetryBudget& b, TimePoint at, int cap = 100'000) {
  int n = 0;
  while (n < cap && b.try_charge_retry(at)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the reserve alone allows min_retries_per_second * window retries") {
  RetryBudget b(budget(0.0, 2.0, 10.0));
  CHECK(charge_all(b, kT0) == 20);
  CHECK_FALSE(b.try_charge_retry(kT0 + 9s));
}

TEST_CASE("the ratio alone allows that share of first attempts") {
  RetryBudget b(budget(0.2, 0.0));
  CHECK_FALSE(b.try_charge_retry(kT0));  // nothing to take a share of
  for (int i = 0; i < 50; ++i) b.record_first_attempt(kT0);
  CHECK(charge_all(b, kT0) == 10);
  b.record_first_attempt(kT0 + 1s);  // 51 * 0.2 = 10.2 > 10: one more
  CHECK(charge_all(b, kT0 + 1s) == 1);
}

TEST_CASE("reserve and ratio add up") {
  RetryBudget b(budget(0.5, 1.0, 4.0));
  for (int i = 0; i < 10; ++i) b.record_first_attempt(kT0);
  CHECK(b.allowance(kT0) == Approx(9.0));
  CHECK(charge_all(b, kT0) == 9);
}

TEST_CASE("a bucket leaves the window exactly `window` after its second began") {
  RetryBudget b(budget(0.0, 0.1, 10.0));  // a reserve of one retry per 10 s
  CHECK(b.try_charge_retry(kT0));
  CHECK_FALSE(b.try_charge_retry(kT0 + 9999ms));
  CHECK(b.in_window(kT0 + 9999ms).retries == 1);
  CHECK(b.in_window(kT0 + 10s).retries == 0);
  CHECK(b.try_charge_retry(kT0 + 10s));
}

TEST_CASE("an event late in its second still leaves with the whole bucket") {
  RetryBudget b(budget(0.0, 0.1, 10.0));
  CHECK(b.try_charge_retry(kT0 + 900ms));
  CHECK_FALSE(b.try_charge_retry(kT0 + 9999ms));
  CHECK(b.try_charge_retry(kT0 + 10s));
}

TEST_CASE("first attempts age out of the window too") {
  RetryBudget b(budget(1.0, 0.0, 2.0));
  for (int i = 0; i < 3; ++i) b.record_first_attempt(kT0);
  CHECK(b.allowance(kT0 + 1s) == Approx(3.0));
  CHECK(b.allowance(kT0 + 2s) == Approx(0.0));
  CHECK_FALSE(b.try_charge_retry(kT0 + 2s));
}

TEST_CASE("a fractional window keeps whole buckets, rounded up") {
  RetryBudget b(budget(0.0, 0.4, 2.5));  // one retry, kept for ceil(2.5) = 3 buckets
  CHECK(b.try_charge_retry(kT0));
  CHECK_FALSE(b.try_charge_retry(kT0 + 2999ms));
  CHECK(b.try_charge_retry(kT0 + 3s));
}

TEST_CASE("a refused retry is not counted") {
  RetryBudget b(budget(0.0, 0.1, 10.0));
  CHECK(b.try_charge_retry(kT0));
  for (int i = 0; i < 5; ++i) CHECK_FALSE(b.try_charge_retry(kT0));
  CHECK(b.in_window(kT0).retries == 1);
}

TEST_CASE("a reused ring slot forgets its old second") {
  RetryBudget b(budget(0.0, 0.1, 2.0));
  CHECK(b.try_charge_retry(kT0));
  // kT0 + 2 s falls in the same slot of a 2-bucket ring; the old count must not survive.
  CHECK(b.try_charge_retry(kT0 + 2s));
  CHECK(b.in_window(kT0 + 2s).retries == 1);
  // Long idle: every slot is stale.
  CHECK(b.in_window(kT0 + 1000s).retries == 0);
}

TEST_CASE("instants before the clock's epoch bucket correctly") {
  RetryBudget b(budget(0.0, 0.1, 10.0));
  const TimePoint before = TimePoint{} - 5500ms;
  CHECK(b.try_charge_retry(before));
  CHECK_FALSE(b.try_charge_retry(before + 3s));
  CHECK(b.try_charge_retry(TimePoint{} - 6s + 10s));
}

TEST_CASE("a disabled budget allows every retry and counts nothing") {
  RetryBudgetConfig c = budget(0.0, 0.0);
  c.enabled = false;
  RetryBudget b(c);
  CHECK_FALSE(b.enabled());
  CHECK(charge_all(b, kT0, 1000) == 1000);
  CHECK(b.in_window(kT0).retries == 0);
}
