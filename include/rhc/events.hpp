// What the client does, as it happens: one Event per step of a request (an attempt started
// or ended, a retry scheduled or refused, a breaker rejection, a wait for a bulkhead slot, the
// end), and per change of a breaker or an adaptive limit. docs/observability.md lists every
// kind, when it fires and what each field holds.
//
//   struct Counter : rhc::Listener {
//     std::atomic<int> retries{0};
//     void on_event(const rhc::Event& e) override {
//       if (e.kind == rhc::EventKind::RetryScheduled) ++retries;
//     }
//   };
//   auto counter = std::make_shared<Counter>();
//   client->add_listener(counter);
//
// Events are made on the client's event-loop thread and delivered on a thread of their own,
// never the loop's: a listener may take its time without stalling a transfer. Each listener
// sees events in the order they happened and is never called concurrently with itself. The
// queue between the two threads holds 65,536 events; beyond that new events are dropped and
// counted (ClientStats::events_dropped), so a listener that cannot keep up loses events
// rather than memory.
#pragma once

#include <chrono>
#include <string>

#include <rhc/circuit_state.hpp>
#include <rhc/duration.hpp>
#include <rhc/export.hpp>

namespace rhc {

enum class EventKind {
  AttemptStart,       // an attempt goes to the transport
  AttemptEnd,         // it ended: status_code and/or error, duration on the transport
  RetryScheduled,     // another attempt follows after `wait`
  RetrySuppressed,    // a retryable failure that is not retried: `reason` says why
  Hedge,              // a hedged attempt starts next to a slow one (docs/hedging.md)
  BreakerTransition,  // a breaker changed state: `from`, `to`
  BreakerRejected,    // an open breaker refused the request: nothing was sent
  BulkheadQueued,     // no slot free: the request waits in line
  BulkheadRejected,   // no slot within bulkhead.acquisition_timeout (or at once when it is 0)
  LimitChanged,       // an adaptive concurrency limit moved: `limit`
  RequestEnd,         // the request ended: status_code or error, duration from the call
};
RHC_EXPORT const char* to_string(EventKind kind);  // "AttemptStart", ...

struct Event {
  EventKind kind = EventKind::RequestEnd;
  std::chrono::system_clock::time_point at;
  // "scheme://host:port". Empty on a BreakerTransition of the client's one breaker
  // (circuit_breaker.scope = Client), which judges every authority.
  std::string authority;
  // request_id, method and url are set on every kind about a request; BreakerTransition and
  // LimitChanged carry the authority only. The url never contains user:password.
  std::string request_id, method, url;
  int attempt = 0;      // 1-based; 0 when not about one attempt (RequestEnd: attempts made)
  int status_code = 0;  // 0 when no response
  std::string error;    // the error's class name ("ServerError"); empty on success
  // RetrySuppressed: "budget" | "deadline" | "retry_after" | "unsafe_method" | "attempts" |
  // "committed".
  // RetryScheduled: what failed, in words. Empty otherwise.
  std::string reason;
  // AttemptEnd: the attempt's time on the transport. RequestEnd: from the call to the end.
  Seconds duration{0};
  // RetryScheduled: the backoff before the next attempt. AttemptStart of a first attempt that
  // waited in the bulkhead's line, and BulkheadRejected: the time it waited.
  Seconds wait{0};
  CircuitState from = CircuitState::Closed, to = CircuitState::Closed;  // BreakerTransition
  int limit = 0;                                                        // LimitChanged
};

// Receives events on the client's event thread (see above). An exception thrown by
// on_event is caught and logged; the listener keeps receiving events.
class RHC_EXPORT Listener {
 public:
  virtual ~Listener() = default;
  virtual void on_event(const Event& event) = 0;
};

}  // namespace rhc
