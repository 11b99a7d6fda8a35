// GET|POST|PUT|PATCH|DELETE /idempotent: an endpoint that requires an Idempotency-Key header
// (draft-ietf-httpapi-idempotency-key-header), executes each key once and replays the
// result to retries, so a test can watch a client's retries against a deduplicating server.
#pragma once

#include <httplib.h>

#include <chrono>

#include "fault_injector.hpp"
#include "idempotency_keys.hpp"
#include "slowness_injector.hpp"
#include "stats_recorder.hpp"
#include "stop_signal.hpp"

namespace rhc::test_server::detail {

// Per admitted request (Overload is checked before, in routes.cpp): count it, draw its fault
// from the server's one plan and its Slowness, wait the Slowness delay if drawn (a failure
// fault then answers, before the key is looked at), then by Idempotency-Key: 400 without one;
// a new key is executed (`?work_ms=` of work, then a 200 that is stored); the same request
// again gets 409 while the first is still executing and the stored response once it has
// finished; a different request under a used key gets 422. Runs on a cpp-httplib worker
// thread; many run at once.
class IdempotentHandler {
 public:
  IdempotentHandler(FaultInjector& faults, SlownessInjector& slowness, StatsRecorder& stats,
                    IdempotencyKeys& keys, const StopSignal& stop,
                    std::chrono::milliseconds max_work);

  void operator()(const httplib::Request& request, httplib::Response& response) const;

 private:
  FaultInjector& faults_;
  SlownessInjector& slowness_;
  StatsRecorder& stats_;
  IdempotencyKeys& keys_;
  const StopSignal& stop_;
  std::chrono::milliseconds max_work_;
};

}  // namespace rhc::test_server::detail
