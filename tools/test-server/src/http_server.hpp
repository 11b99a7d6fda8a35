// cpp-httplib's Server with our own connection loop.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "stop_signal.hpp"

namespace rhc::test_server::detail {

struct ConnectionLimits {
  std::chrono::milliseconds keep_alive_timeout;
  std::chrono::milliseconds io_timeout;
  std::size_t keep_alive_max_requests;
};

// Overrides the one virtual hook cpp-httplib 0.11 offers per connection,
// process_and_close_socket(), to serve each socket through our Connection (so handlers can
// reset or truncate it) and to end keep-alive waits as soon as `stop` is requested. Requests
// are still parsed, routed and answered by cpp-httplib's process_request().
class HttpServer final : public httplib::Server {
 public:
  HttpServer(const StopSignal& stop, ConnectionLimits limits);

  // Binds host:port (0 = ephemeral) with a listen backlog of `backlog`; returns the port.
  // Throws std::runtime_error on failure.
  int bind(const std::string& host, int port, int backlog);

 private:
  bool process_and_close_socket(socket_t sock) override;

  const StopSignal& stop_;
  ConnectionLimits limits_;
};

}  // namespace rhc::test_server::detail
