// The loop thread's notebook of events: the chain writes records during a loop turn, and the
// loop hands the turn's records to the EventDispatcher in one batch at its end (one lock per
// turn, not one per event).
//
//   if (EventRecord* e = log.record(EventKind::AttemptStart, now, labels)) e->attempt = 1;
//
// With no listener, record() returns null after one relaxed atomic load: the chain then makes
// nothing, so events cost a client without listeners next to nothing.
#pragma once

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

#include "observe/event_record.hpp"

namespace rhc::detail {

class EventLog {
 public:
  // `wanted`: whether anyone listens (the dispatcher's flag); read on every record().
  explicit EventLog(const std::atomic<bool>& wanted) : wanted_(wanted) {}

  bool wanted() const { return wanted_.load(std::memory_order_relaxed); }

  // Loop thread. A new record, to be filled in at once (the pointer is valid until the next
  // record() call), or null when nobody listens.
  EventRecord* record(EventKind kind, TimePoint at, std::shared_ptr<const EventLabels> labels) {
    if (!wanted()) return nullptr;
    EventRecord& e = pending_.emplace_back();
    e.kind = kind;
    e.at = at;
    e.labels = std::move(labels);
    return &e;
  }

  bool empty() const { return pending_.empty(); }
  // The records since the last take(), in order; `into` is swapped with them (pass an empty
  // vector back to reuse its capacity).
  void take(std::vector<EventRecord>& into) {
    into.clear();
    into.swap(pending_);
  }

 private:
  const std::atomic<bool>& wanted_;
  std::vector<EventRecord> pending_;
};

}  // namespace rhc::detail
