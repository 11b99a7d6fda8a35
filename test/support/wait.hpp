// Bounded waits on a condition: how a test waits for an event it needs (a server's count, an
// accepted connection, a circuit turning half-open) instead of sleeping a fixed time and
// hoping (docs/testing.md "Time in tests"). Header-only, no dependencies, so the server's own
// tests (which must not depend on rhc) can use it too.
#pragma once

#include <chrono>
#include <thread>

namespace rhc::testing {

// Polls `done` every `every` until it holds or `bound` has passed; returns done(). Callers
// usually pass slack(bound) and REQUIRE the result.
template <class Pred, class Rep, class Period>
bool eventually(Pred done, std::chrono::duration<Rep, Period> bound,
                std::chrono::milliseconds every = std::chrono::milliseconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(every);
  }
  return true;
}

}  // namespace rhc::testing
