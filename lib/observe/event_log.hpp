// The loop thread's notebook of events: the chain writes records during a loop turn, and the
// loop hands the turn's records to the EventDispatcher in one batch at its end (one lock per
// turn, not one per event).
//
//   if (EventRecord* e = log.record(EventKind::AttemptStart, now, labels)) e->attempt = 1;
//
// With no listener, record() returns null after one relaxed atomic load: the chain then makes
// nothing, so events cost a client without listeners next to nothing. While the dispatcher's
// queue is full, record() counts the event as dropped and returns null too: an event that
// would be dropped at the queue is not made at all.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "observe/event_record.hpp"

namespace rhc::detail {

// What the loop and the dispatcher share about the queue, all relaxed atomics.
struct EventGate {
  std::atomic<bool> wanted{false};        // someone listens (set by the first listener)
  std::atomic<bool> full{false};          // the queue is at its bound: set by publish() on the loop
                                          // thread, cleared by the dispatcher when it makes room
  std::atomic<std::uint64_t> dropped{0};  // events lost to a full queue
};

class EventLog {
 public:
  explicit EventLog(EventGate& gate) : gate_(gate) {}

  bool wanted() const { return gate_.wanted.load(std::memory_order_relaxed); }

  // Whether an event made now would be kept: someone listens and the queue has room. When
  // the queue is full, counts the event as dropped. (Only publish() on this same thread
  // fills the queue, so a true here stays true until the next publish.)
  bool accepting() {
    if (!wanted()) return false;
    if (gate_.full.load(std::memory_order_relaxed)) {
      gate_.dropped.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    return true;
  }

  // Loop thread. A new record, to be filled in at once (the pointer is valid until the next
  // record() call), or null when accepting() is false.
  EventRecord* record(EventKind kind, TimePoint at, std::shared_ptr<const EventLabels> labels) {
    if (!accepting()) return nullptr;
    return record_accepted(kind, at, std::move(labels));
  }
  // The same, after accepting() said yes (the chain asks first, to skip making labels).
  EventRecord* record_accepted(EventKind kind, TimePoint at,
                               std::shared_ptr<const EventLabels> labels) {
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
  EventGate& gate_;
  std::vector<EventRecord> pending_;
};

}  // namespace rhc::detail
