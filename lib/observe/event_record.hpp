// An event as the loop thread records it: cheap to make (no string is copied per event) and
// turned into a public rhc::Event only on the dispatcher's thread, off the hot path.
#pragma once

#include <memory>
#include <string>

#include <rhc/circuit_state.hpp>
#include <rhc/events.hpp>

#include "base/clock.hpp"

namespace rhc::detail {

// What every event about one request repeats: made once per request, on its first event,
// and shared by all of them.
struct EventLabels {
  std::string authority, request_id, method, url;
};

struct EventRecord {
  EventKind kind = EventKind::RequestEnd;
  TimePoint at{};  // the loop's clock; the dispatcher maps it to the wall clock
  std::shared_ptr<const EventLabels> labels;  // BreakerTransition, LimitChanged: authority only
  int attempt = 0;
  int status_code = 0;
  const char* error = "";  // an error class name: a static string
  std::string reason;
  Duration duration{}, wait{};
  CircuitState from = CircuitState::Closed, to = CircuitState::Closed;
  int limit = 0;
};

}  // namespace rhc::detail
