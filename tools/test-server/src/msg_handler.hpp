// GET|POST|PUT|PATCH|DELETE /msg: the endpoint clients under test call.
#pragma once

#include <httplib.h>

#include <chrono>

#include "fault_injector.hpp"
#include "message_store.hpp"
#include "slowness_injector.hpp"
#include "stats_recorder.hpp"
#include "stop_signal.hpp"

namespace rhc::test_server::detail {

// Per admitted request (Overload is checked before, in routes.cpp): count the attempt, decide
// its fault and its Slowness (both in arrival order), wait the Slowness delay if drawn and
// then `?delay=` ms, then answer with the fault or with a success carrying the idempotent
// message_id. Runs on a cpp-httplib worker thread; many run at once.
class MsgHandler {
 public:
  MsgHandler(FaultInjector& faults, SlownessInjector& slowness, StatsRecorder& stats,
             MessageStore& messages, const StopSignal& stop, std::chrono::milliseconds max_delay);

  void operator()(const httplib::Request& request, httplib::Response& response) const;

 private:
  FaultInjector& faults_;
  SlownessInjector& slowness_;
  StatsRecorder& stats_;
  MessageStore& messages_;
  const StopSignal& stop_;
  std::chrono::milliseconds max_delay_;
};

}  // namespace rhc::test_server::detail
