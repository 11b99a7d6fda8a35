// The chain's view of whatever runs an attempt: the event loop in production, a scripted
// fake in the chain's unit tests.
#pragma once

#include <optional>

#include <rhc/response.hpp>

#include "errors/classify.hpp"

namespace rhc::detail {

class Request;

// What one attempt produced: a response to pass on (2xx, or 3xx when redirects are not
// followed), or a failure (a 4xx/5xx response is a failure that carries the response).
struct AttemptOutcome {
  std::optional<Response> response;
  Failure failure;
  bool ok() const { return response.has_value(); }
};

class Transport {
 public:
  // Starts attempt number request.attempts; its outcome comes back through
  // Chain::on_attempt_done, never from inside this call.
  virtual void start_attempt(Request& request) = 0;
  // Stops the attempt in flight; no outcome will be reported for it.
  virtual void abort_attempt(Request& request) = 0;
  // The request's stall timer fired (read/write/pool checks are the transport's).
  virtual void on_stall_timer(Request& request) = 0;

 protected:
  ~Transport() = default;
};

}  // namespace rhc::detail
