// POST /multipart: echoes the parts of the multipart/form-data body it received.
#pragma once

#include <httplib.h>

#include "fault_injector.hpp"
#include "stats_recorder.hpp"
#include "stop_signal.hpp"

namespace rhc::test_server::detail {

// Reads the body part by part as it arrives (cpp-httplib's multipart ContentReader), hashing
// each part, so parts of gigabytes are never held in memory; then answers {"content_type",
// "parts": [{"name","filename","content_type","length","sha256"[,"value"]}, ...]}. A body that
// is not multipart/form-data is read and refused with 400; one cpp-httplib cannot parse gets
// the connection reset. The request draws a fault from the server's plan on arrival, answered
// after the body was read. Runs on a cpp-httplib worker thread.
class MultipartHandler {
 public:
  MultipartHandler(FaultInjector& faults, StatsRecorder& stats, const StopSignal& stop);

  void operator()(const httplib::Request& request, httplib::Response& response,
                  const httplib::ContentReader& read) const;

 private:
  FaultInjector& faults_;
  StatsRecorder& stats_;
  const StopSignal& stop_;
};

}  // namespace rhc::test_server::detail
