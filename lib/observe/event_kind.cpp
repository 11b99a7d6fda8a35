#include <rhc/events.hpp>

namespace rhc {

const char* to_string(EventKind kind) {
  switch (kind) {
    case EventKind::AttemptStart:
      return "AttemptStart";
    case EventKind::AttemptEnd:
      return "AttemptEnd";
    case EventKind::RetryScheduled:
      return "RetryScheduled";
    case EventKind::RetrySuppressed:
      return "RetrySuppressed";
    case EventKind::Hedge:
      return "Hedge";
    case EventKind::BreakerTransition:
      return "BreakerTransition";
    case EventKind::BreakerRejected:
      return "BreakerRejected";
    case EventKind::BulkheadQueued:
      return "BulkheadQueued";
    case EventKind::BulkheadRejected:
      return "BulkheadRejected";
    case EventKind::LimitChanged:
      return "LimitChanged";
    case EventKind::RequestEnd:
      return "RequestEnd";
  }
  return "Unknown";
}

}  // namespace rhc
