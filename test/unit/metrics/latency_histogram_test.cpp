// LatencyHistogram::quantile() as Prometheus's histogram_quantile(): linear inside the
// bucket, 0 as the first bucket's lower bound, the highest finite bound for the +Inf bucket.
// Bounds and ranks are binary fractions, so every expectation is exact.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include <rhc/stats.hpp>

namespace {

rhc::LatencyHistogram histogram(std::vector<double> bounds, std::vector<std::uint64_t> counts) {
  rhc::LatencyHistogram h;
  h.upper_bounds = std::move(bounds);
  h.counts = std::move(counts);
  for (std::uint64_t c : h.counts) h.count += c;
  return h;
}

}  // namespace

TEST_CASE("quantile interpolates linearly inside the bucket that holds the rank",
          "[metrics][quantile]") {
  // 8 requests: 2 in (0, 1], 4 in (1, 2], 1 in (2, 4], 1 above 4.
  const auto h = histogram({1, 2, 4}, {2, 4, 1, 1});
  CHECK(h.quantile(0.125) == 0.5);  // rank 1 of the first bucket's 2, from 0 up to 1
  CHECK(h.quantile(0.25) == 1);     // rank 2: the first bucket's upper bound
  CHECK(h.quantile(0.5) == 1.5);    // rank 4: 2 of (1, 2]'s 4
  CHECK(h.quantile(0.75) == 2);
  CHECK(h.quantile(0.8125) == 3);  // rank 6.5: half of (2, 4]'s one request
  CHECK(h.quantile(0.875) == 4);
}

TEST_CASE("quantile in the +Inf bucket is the highest finite bound", "[metrics][quantile]") {
  const auto h = histogram({1, 2, 4}, {2, 4, 1, 1});
  CHECK(h.quantile(0.9375) == 4);
  CHECK(h.quantile(1) == 4);
  CHECK(histogram({1, 2}, {0, 0, 5}).quantile(0.5) == 2);
}

TEST_CASE("quantile clamps q into [0, 1]", "[metrics][quantile]") {
  // 4 requests, all in (0.25, 0.5].
  const auto h = histogram({0.25, 0.5, 1}, {0, 4, 0, 0});
  CHECK(h.quantile(0.5) == 0.375);
  // q <= 0: the lowest non-empty bucket's lower bound, the limit of q -> 0+.
  CHECK(h.quantile(0) == 0.25);
  CHECK(h.quantile(-3) == 0.25);
  CHECK(h.quantile(std::nan("")) == 0.25);
  // q > 1 as 1: the highest non-empty bucket's upper bound.
  CHECK(h.quantile(1) == 0.5);
  CHECK(h.quantile(2) == 0.5);
}

TEST_CASE("quantile of an empty histogram is 0", "[metrics][quantile]") {
  CHECK(rhc::LatencyHistogram{}.quantile(0.5) == 0);
  CHECK(histogram({0.005, 0.01}, {0, 0, 0}).quantile(0.99) == 0);
  CHECK(histogram({}, {5}).quantile(0.5) == 0);  // no finite bound to report
}
