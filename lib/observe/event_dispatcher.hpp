// Carries events from the loop thread to the listeners, on a thread of its own: the loop
// never waits for a listener, and a listener never runs on the loop.
//
//   loop thread ──publish(batch)──▶ bounded queue ──▶ dispatcher thread: Event → listeners
//
// The queue holds at most `capacity` records (65,536 by the contract); publish() drops what
// does not fit, newest first, and counts it: a listener that cannot keep up loses events,
// never transfers' time or unbounded memory. The thread starts with the first listener, so a
// client nobody listens to has no such thread and makes no events (gate().wanted is false).
// While the queue is full the loop makes no events either (gate().full): it counts them.
//
// Each listener receives every event delivered after it was added, in publication order,
// from this one thread: never concurrently with itself.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <rhc/events.hpp>

#include "base/clock.hpp"
#include "logging/logger.hpp"
#include "observe/event_log.hpp"
#include "observe/event_record.hpp"

namespace rhc::detail {

class EventDispatcher {
 public:
  static constexpr std::size_t kCapacity = 65536;

  explicit EventDispatcher(Logger logger, std::size_t capacity = kCapacity);
  ~EventDispatcher();  // shutdown()
  EventDispatcher(const EventDispatcher&) = delete;
  EventDispatcher& operator=(const EventDispatcher&) = delete;

  // Whether anyone listens and whether the queue is full: the loop's EventLog reads both
  // before making any event, and counts there what a full queue would have dropped.
  EventGate& gate();

  // Any thread. Adds a listener (not null) and starts the thread if it is the first. After
  // shutdown() the listener is never called.
  void add(std::shared_ptr<Listener> listener);

  // Loop thread. Queues the records of `batch` (made at the loop's clock reading `steady_now`,
  // which was the wall clock's `wall_now`), as many as fit, and wakes the thread; `batch`
  // comes back empty, with a spare vector's capacity.
  void publish(std::vector<EventRecord>& batch, TimePoint steady_now,
               std::chrono::system_clock::time_point wall_now);

  // Any thread: records publish() could not queue, since the start.
  std::uint64_t dropped() const;

  // Any thread: delivers every queued record, then stops and joins the thread. Idempotent.
  // Called on the dispatcher's own thread (a listener closing the client) it cannot join
  // itself: it lets the thread finish the queue and exit on its own, and returns.
  void shutdown();

  // The public form of a record, as listeners receive it.
  static Event to_event(const EventRecord& record, std::chrono::system_clock::duration to_wall);
  // The same into an existing Event, reusing its strings' capacity.
  static void fill_event(const EventRecord& record, std::chrono::system_clock::duration to_wall,
                         Event& event);

 private:
  struct State;
  static void run(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;  // shared with the thread, which may outlive us (shutdown)
};

}  // namespace rhc::detail
