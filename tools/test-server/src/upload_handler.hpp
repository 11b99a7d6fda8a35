// POST|PUT /upload: echoes the SHA-256 and length of the body it received.
#pragma once

#include <httplib.h>

#include "fault_injector.hpp"
#include "stats_recorder.hpp"
#include "stop_signal.hpp"

namespace rhc::test_server::detail {

// Reads the body as it arrives (cpp-httplib's ContentReader), hashing it piece by piece, so a
// body of gigabytes is never held in memory; then answers
// {"method","length","sha256","content_type","content_length","chunked"} and counts the body
// in Stats::uploads_by_sha256. The request draws a fault from the server's plan on arrival; the
// fault is answered only after the whole body was read and counted, so a test can check that a
// retried upload arrived byte-identical each time. A multipart/form-data body is read and
// refused with 415 (POST /multipart echoes those). Runs on a cpp-httplib worker thread.
class UploadHandler {
 public:
  UploadHandler(FaultInjector& faults, StatsRecorder& stats, const StopSignal& stop);

  void operator()(const httplib::Request& request, httplib::Response& response,
                  const httplib::ContentReader& read) const;

 private:
  FaultInjector& faults_;
  StatsRecorder& stats_;
  const StopSignal& stop_;
};

}  // namespace rhc::test_server::detail
