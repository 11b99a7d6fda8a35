// CallWindow: the calls, failures and slow calls a FailureRate circuit breaker saw over a
// sliding window (docs/circuit-breaker.md "Modes"), counted in 1 s buckets as RetryBudget
// counts its events.
//
//   CallWindow window(config.circuit_breaker.window);   // 10 s: 10 buckets
//   window.record(now, /*failure=*/true, /*slow=*/false);
//   CallWindow::Totals t = window.in_window(now);       // t.calls == 1, t.failures == 1
//
// An event in second s (of the clock's epoch) counts until the clock reaches s +
// ceil(window). Loop thread only; no clock reads (`now` is given).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include <rhc/duration.hpp>

#include "base/clock.hpp"

namespace rhc::detail {

class CallWindow {
 public:
  // window is taken as validated (in [1, 600] s); outside that range it is clamped.
  explicit CallWindow(Seconds window);

  // One finished call at `now`: a failure or not, slow or not (a failed call may be slow too).
  void record(TimePoint now, bool failure, bool slow);

  struct Totals {
    std::uint64_t calls = 0;
    std::uint64_t failures = 0;
    std::uint64_t slow = 0;
  };
  // What the window holds as of `now`.
  Totals in_window(TimePoint now) const;

  // Forgets every call: the window starts empty again.
  void clear();

  // How many 1 s buckets the window keeps: ceil(window).
  int seconds() const { return static_cast<int>(buckets_.size()); }

 private:
  static constexpr std::int64_t kUnused = std::numeric_limits<std::int64_t>::min();
  struct Bucket {
    std::int64_t second = kUnused;  // which second of the clock's epoch it counts
    std::uint32_t calls = 0;
    std::uint32_t failures = 0;
    std::uint32_t slow = 0;
  };
  static std::int64_t second_of(TimePoint now);
  Bucket& bucket_for(TimePoint now);

  std::vector<Bucket> buckets_;
};

}  // namespace rhc::detail
