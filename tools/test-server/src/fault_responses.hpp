// How each fault goes on the wire.
#pragma once

#include <httplib.h>

#include <string>
#include <test_server/fault.hpp>

#include "stop_signal.hpp"

namespace rhc::test_server::detail {

// kind == status: the status, Retry-After when asked for, and `body`.
void answer_with_status(httplib::Response& response, const Fault& fault, const std::string& body);

// kind == truncate: announces fault.body_bytes in Content-Length, sends the first half of
// `body` padded to that size, then makes cpp-httplib drop the connection.
void answer_truncated(httplib::Response& response, const Fault& fault, std::string body);

// kind == slow_body: `body` padded with spaces to fault.body_bytes, sent fault.chunk_bytes at
// a time with fault.chunk_interval before each chunk. A stop cuts it short.
void answer_slowly(httplib::Response& response, const Fault& fault, std::string body,
                   const StopSignal& stop);

// kind == reset (and the end of a hang): no response byte at all, then a TCP RST.
void reset_connection();

// Any failure kind (fault.is_failure()), the way every faulted endpoint answers it: a status
// or a truncation carrying `body`, a hang until fault.hang_for passes or the server stops,
// then a reset; or a reset at once.
void answer_with_failure(httplib::Response& response, const Fault& fault, std::string body,
                         const StopSignal& stop);

}  // namespace rhc::test_server::detail
