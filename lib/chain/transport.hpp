// The chain's view of whatever runs an attempt: the event loop in production, a scripted
// fake in the chain's unit tests.
#pragma once

#include <variant>

#include <rhc/response.hpp>

#include "errors/classify.hpp"

namespace rhc::detail {

class Request;

// How far an attempt got, as the transport saw it: the fact method safety and the retry
// budget's exemption rest on (docs/retry.md "Method safety").
enum class Reach : unsigned char {
  NotSent,   // the request never left the client: no connection was ready for it (DNS,
             // refused, connect or TLS handshake failure or timeout, no pooled connection
             // in time), so the server provably did not process it
  Sent,      // the request went out (or may have, in part) and no response head came back
  Answered,  // a response's status line arrived
};

// What one attempt produced: a response to pass on (2xx, or 3xx when redirects are not
// followed), or a failure (a 4xx/5xx response is a failure that carries the response).
struct AttemptOutcome {
  std::variant<Response, Failure> result;
  Reach reach = Reach::Answered;
  // Sends beyond the first that this attempt made on its own (libcurl re-sends a request
  // when a reused connection turns out dead): each reached the wire, so each is an attempt
  // as the server counts them. The chain adds them to the request's count.
  int resends = 0;

  bool ok() const { return std::holds_alternative<Response>(result); }
};

// The transport's per-request state (loop/transfer.hpp), held by the request so it lives
// exactly as long, and opaque to the chain.
class TransportState {
 public:
  virtual ~TransportState() = default;
};

class Transport {
 public:
  // Starts an attempt on `lane` (Request::Lane: one attempt per lane at a time), which may
  // make at most `sends_allowed` sends (itself and libcurl's re-sends). Its outcome comes
  // back through Chain::on_attempt_done, always later, from the transport's own turn: never
  // from inside this call, even when the attempt cannot start at all. `fresh_connection`:
  // on a new connection, not a pooled one (a hedge over HTTP/2 must reach another server).
  virtual void start_attempt(Request& request, int lane, int sends_allowed,
                             bool fresh_connection = false) = 0;
  // Stops the lane's attempt; no outcome will be reported for it. Returns the re-sends it
  // had made (AttemptOutcome::resends), which still count as attempts.
  virtual int abort_attempt(Request& request, int lane) = 0;
  // Whether the lane's attempt has a response's status line (hedging waits for none).
  virtual bool answered(const Request& request, int lane) const = 0;
  // Whether the lane's attempt runs on a multiplexed (HTTP/2) connection.
  virtual bool multiplexed(const Request& request, int lane) const = 0;

 protected:
  ~Transport() = default;
};

}  // namespace rhc::detail
