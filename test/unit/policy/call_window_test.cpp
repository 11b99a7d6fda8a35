// CallWindow with invented instants: what it counts, and exactly when counted calls leave.
#include <catch2/catch.hpp>

#include <chrono>

#include "policy/call_window.hpp"

using namespace std::chrono_literals;
using rhc::Seconds;
using rhc::detail::CallWindow;
using rhc::detail::TimePoint;

namespace {

const TimePoint kT0 = TimePoint{} + 1000s;  // on a bucket boundary

}  // namespace

TEST_CASE("the call window counts calls, failures and slow calls", "[breaker][window]") {
  CallWindow w(Seconds{10.0});
  w.record(kT0, false, false);
  w.record(kT0, true, false);
  w.record(kT0 + 1s, true, true);
  w.record(kT0 + 2s, false, true);
  const CallWindow::Totals t = w.in_window(kT0 + 2s);
  CHECK(t.calls == 4);
  CHECK(t.failures == 2);
  CHECK(t.slow == 2);
}

TEST_CASE("a call leaves the window exactly ceil(window) after its second began",
          "[breaker][window]") {
  CallWindow w(Seconds{10.0});
  w.record(kT0 + 999ms, true, false);
  CHECK(w.in_window(kT0 + 9999ms).calls == 1);
  CHECK(w.in_window(kT0 + 10s).calls == 0);
}

TEST_CASE("a fractional call window keeps whole buckets, rounded up", "[breaker][window]") {
  CallWindow w(Seconds{2.5});
  CHECK(w.seconds() == 3);
  w.record(kT0, true, false);
  CHECK(w.in_window(kT0 + 2999ms).calls == 1);
  CHECK(w.in_window(kT0 + 3s).calls == 0);
}

TEST_CASE("a reused bucket forgets the second it counted before", "[breaker][window]") {
  CallWindow w(Seconds{2.0});
  w.record(kT0, true, true);
  w.record(kT0 + 2s, false, false);  // the same bucket, two seconds on
  const CallWindow::Totals t = w.in_window(kT0 + 2s);
  CHECK(t.calls == 1);
  CHECK(t.failures == 0);
  CHECK(t.slow == 0);
}

TEST_CASE("clear() empties the window", "[breaker][window]") {
  CallWindow w(Seconds{10.0});
  w.record(kT0, true, true);
  w.clear();
  CHECK(w.in_window(kT0).calls == 0);
  w.record(kT0, false, false);
  CHECK(w.in_window(kT0).calls == 1);
}

TEST_CASE("the call window works before the clock's epoch and clamps its size",
          "[breaker][window]") {
  CallWindow w(Seconds{1.0});
  const TimePoint t = TimePoint{} - 1s;  // second -1
  w.record(t, true, false);
  CHECK(w.in_window(t + 999ms).failures == 1);
  CHECK(w.in_window(t + 1s).failures == 0);
  CHECK(CallWindow(Seconds{0.0}).seconds() == 1);
  CHECK(CallWindow(Seconds{1e6}).seconds() == 600);
}
