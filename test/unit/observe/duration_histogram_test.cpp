#include "observe/duration_histogram.hpp"

#include <catch2/catch.hpp>
#include <chrono>

using rhc::detail::DurationHistogram;
using namespace std::chrono_literals;

TEST_CASE("durations land in the first bucket whose bound they do not exceed", "[observe]") {
  DurationHistogram h;
  h.record(1ms);    // exactly the first bound: "le" includes it
  h.record(6ms);    // <= 10 ms
  h.record(700ms);  // <= 1 s
  h.record(61s);    // above every bound
  h.record(0ms);
  rhc::LatencyHistogram out;
  h.fill(out);
  REQUIRE(out.upper_bounds.size() == 15);
  REQUIRE(out.counts.size() == 16);
  CHECK(out.upper_bounds.front() == 0.001);
  CHECK(out.counts[0] == 2);
  CHECK(out.counts[3] == 1);
  CHECK(out.counts[9] == 1);
  CHECK(out.counts[15] == 1);
  CHECK(out.count == 5);
  CHECK(out.sum == Approx(61.707));
}
