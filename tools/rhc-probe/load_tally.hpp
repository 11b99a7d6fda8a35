// What a load run has seen: each request's outcome class (served first try, served after
// retries, refused by the open breaker, refused by the bulkhead, failed, cancelled at the
// deadline) with its own latencies, the status-code histogram and attempts per request.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <rhc/client.hpp>

#include "latency_recorder.hpp"

namespace rhc::probe {

enum class LoadOutcome {
  kServedFirstTry,      // a 2xx or 3xx response, from the first attempt
  kServedAfterRetries,  // a 2xx or 3xx response, after retries (or a hedge)
  kBreakerOpen,         // CircuitOpenError: refused at once, nothing was sent
  kBulkheadRejected,    // PoolTimeoutError: no bulkhead slot in time, nothing was sent
  kFailed,              // anything else: an error status, a transport failure
  kCancelledAtDeadline  // still running at the -z deadline, cancelled: neither error nor success
};
inline constexpr std::size_t kLoadOutcomes = 6;
// "served_first_try", "served_after_retries", "breaker_open", "bulkhead_rejected", "failed",
// "cancelled_at_deadline": the JSON keys.
const char* outcome_key(LoadOutcome outcome);
// "served first try", ...: the text report's labels.
const char* outcome_label(LoadOutcome outcome);

// Everything a run recorded, read once it has ended.
struct LoadFigures {
  std::array<LatencyRecorder, kLoadOutcomes> by_outcome;
  // Served and failed requests together: the ones that went to the server and came back,
  // without the refusals that sent nothing and the requests cut off by the deadline.
  LatencyRecorder round_trips;
  // "200", "503", ...: the final response's status (an error status too); a failure without
  // a response under its error class ("APIConnectionError", "APITimeoutError",
  // "CircuitOpenError", "PoolTimeoutError", ...). Cancelled requests are not in it.
  std::map<std::string, std::uint64_t> by_status;
  std::map<int, std::uint64_t> by_attempts;  // attempts made -> requests (0: refused)

  std::uint64_t count(LoadOutcome outcome) const {
    return by_outcome[static_cast<std::size_t>(outcome)].count();
  }
  std::uint64_t served() const;
  // Requests that ended before the deadline: every outcome but kCancelledAtDeadline.
  std::uint64_t completed() const;
  // Completed requests without a 2xx or 3xx response.
  std::uint64_t errors() const { return completed() - served(); }
};

// Thread-safe: callbacks on every executor thread record into one tally.
class LoadTally {
 public:
  // `latency` runs from the request's scheduled send time. A CancelledError or
  // ClientClosedError is kCancelledAtDeadline when `stopping` (the run cancelled it), else a
  // failure. Returns false for a ConfigError, whose message config_error() keeps: every
  // request would fail the same way, so the run should stop.
  bool record(const rhc::Outcome& outcome, std::chrono::nanoseconds latency, bool stopping);

  std::uint64_t completed() const;
  std::string config_error() const;
  // The figures so far; call once every request has its outcome for final ones.
  LoadFigures figures() const;

 private:
  mutable std::mutex mutex_;
  LoadFigures figures_;
  std::string config_error_;
};

}  // namespace rhc::probe
