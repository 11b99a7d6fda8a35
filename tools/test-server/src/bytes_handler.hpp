// GET /bytes/{n}: a body of n bytes, for streaming and throughput tests.
#pragma once

#include <httplib.h>

#include <cstdint>

#include "fault_injector.hpp"
#include "stats_recorder.hpp"
#include "stop_signal.hpp"

namespace rhc::test_server::detail {

// The largest n /bytes/{n} sends: 64 GiB.
inline constexpr std::uint64_t kMaxBytesBody = std::uint64_t{64} << 30;

// Answers n bytes of the pattern in test_server/byte_pattern.hpp with Content-Length n (or,
// with `?chunked=true`, chunked), generated as cpp-httplib asks for them: a body of gigabytes
// never sits in memory, and it leaves as fast as the client reads. `?fail_after=K` (K < n)
// sends K bytes and then closes the connection, a response failing mid-body. The request draws
// a fault from the server's plan first: a failure fault answers instead (before any body
// byte), slow_body trickles the n bytes out (fault.chunk_bytes per fault.chunk_interval).
// Runs on a cpp-httplib worker thread; many run at once.
class BytesHandler {
 public:
  BytesHandler(FaultInjector& faults, StatsRecorder& stats, const StopSignal& stop);

  void operator()(const httplib::Request& request, httplib::Response& response) const;

 private:
  FaultInjector& faults_;
  StatsRecorder& stats_;
  const StopSignal& stop_;
};

}  // namespace rhc::test_server::detail
