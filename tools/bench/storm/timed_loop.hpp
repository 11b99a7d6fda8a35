// A closed loop of callers for a fixed time, through the callback form: each of `callers`
// keeps one request outstanding and issues its next as soon as the previous one's callback
// has run, until the deadline; then the last requests drain. Each request goes to one of
// `targets` (absolute URLs, or paths on the client's base_url), drawn uniformly by the
// caller's own PRNG (seeded with seed + the caller's index), so each caller's sequence of
// targets is the same in every run.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <rhc/client.hpp>

namespace rhc::bench::storm {

struct LoopPlan {
  std::vector<std::string> targets;  // at least one
  int callers = 16;
  std::chrono::steady_clock::time_point deadline;  // no request is issued at or after it
  std::uint64_t seed = 42;
};

// What a caller learns from one outcome.
struct OutcomeFacts {
  bool ok = false;            // a response (any status the client does not turn into an error)
  int status = 0;             // the response's, or the error's (0: no response)
  int attempts = 0;           // Response::attempts or Error::attempts()
  bool circuit_open = false;  // CircuitOpenError: refused by the breaker, no I/O
  bool rhc_error = true;      // false for a failure that is not an rhc::Error (none expected)
};
OutcomeFacts facts_of(const Outcome& outcome);

// Runs on an executor thread, possibly on two at once: must be thread-safe.
using OutcomeHandler = std::function<void(std::size_t target, const Outcome& outcome)>;

// Blocks until every caller has stopped and its last callback has run; returns that time.
std::chrono::steady_clock::time_point run_timed_loop(ResilientClient& client, const LoopPlan& plan,
                                                     const OutcomeHandler& on_outcome);

}  // namespace rhc::bench::storm
