// How the soak sorts what a request resolved with: the outcome classes it counts, and the
// record it keeps of each request.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <string>

#include <rhc/response.hpp>

namespace rhc::soak {

enum class Class : std::uint8_t {
  None,  // not resolved (yet)
  Success,
  CircuitOpen,
  PoolTimeout,
  Timeout,
  RateLimit,
  ServerTimeout,
  ServiceUnavailable,
  Server,
  Connection,  // APIConnectionError itself: resets, truncated bodies
  ClientClosed,
  Other,  // anything else is a bug in the soak's expectations
};

// The error class's name ("ServerError", ...), "success", "unresolved" or "other".
const char* name(Class c);

// Refused before any I/O: CircuitOpenError, PoolTimeoutError.
bool no_io(Class c);

// The classes the client retries (and so only gives up on after max_attempts).
bool retryable(Class c);

// One logical request as the client saw it. Written once, by whoever resolved it (the lane
// for a future, the executor for a callback); read after that hand-over.
struct Record {
  std::atomic<int> runs{0};  // callback runs; exactly 1 is the promise
  bool callback = false;
  Class cls = Class::None;
  int attempts = -1;
  std::uint64_t arrivals_at_resolve = 0;  // attempts_for(id) as soon as it resolved
  std::uint64_t body_attempt = 0;         // the server's arrival count for this id, from the body
  bool replayed = false;
  bool budget_refused = false;  // the error says its retry was refused by the retry budget
  bool id_ok = true;            // the response names the request's own id
  std::string message_id;

  // Allocated before the run, so that the soak's own books do not grow RSS during it.
  Record() { message_id.reserve(48); }
};

// Fills cls and attempts from one of rhc's errors.
void record_error(Record& rec, const std::exception_ptr& error);

// Fills the record from a success: attempts, and what the server's JSON body says (its
// arrival count for the id, replayed, message_id), checking that it names `id`.
void record_response(Record& rec, const Response& r, const std::string& id);

}  // namespace rhc::soak
