// How a load run sends its requests, and when it stops.
//
// Closed loop (no rate): `concurrency` requests are in flight; each outcome sends the next.
// Open loop (a rate): requests are due at fixed times, start + k / rate, whatever the
// server's speed, and each one's latency runs from that scheduled time, so a stall of the
// client or the server shows in the latencies instead of silently lowering the rate
// (coordinated omission). A due request that finds `concurrency` requests in flight is not
// sent: its slot is counted as skipped. One sent more than kLateSlot after its time is
// counted as late (its latency includes the delay).
//
// The run stops after `requests` requests (slots, in the open loop) or at the deadline,
// whichever comes first. The deadline is hard: requests still running then (a hung server, a
// retry backoff) are cancelled through one CancelToken, and the client is closed, which
// resolves whatever is left.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <rhc/client.hpp>

#include "load_tally.hpp"
#include "request_spec.hpp"

namespace rhc::probe {

inline constexpr std::chrono::milliseconds kLateSlot{1};

struct LoadLimits {
  int concurrency = 1;
  std::uint64_t requests = 0;  // > 0: at most this many (slots with a rate)
  double duration_s = 0;       // > 0: the deadline, this long after the start
  double rate = 0;             // > 0: open loop, requests per second
};

struct LoadRun {
  double elapsed_s = 0;  // from the start to the last outcome, or to the deadline
  bool deadline_reached = false;
  std::uint64_t issued = 0;  // requests handed to the client
  // Open loop only.
  std::uint64_t slots = 0;    // scheduled send times that came before the end
  std::uint64_t late = 0;     // sent more than kLateSlot after their time
  std::uint64_t skipped = 0;  // not sent: `concurrency` requests were in flight
};

// Called about every `period` while the run goes on, on the calling thread.
using LoadProgress = std::function<void(double elapsed_s)>;

// Runs the load against `client` and returns once every request has its outcome in `tally`;
// the client is closed then. Stops early, without a deadline, when a request fails with a
// ConfigError (the same request would fail every time).
LoadRun drive_load(rhc::ResilientClient& client, const std::string& url,
                   const PreparedRequest& request, const LoadLimits& limits, LoadTally& tally,
                   std::chrono::milliseconds period, const LoadProgress& progress);

}  // namespace rhc::probe
