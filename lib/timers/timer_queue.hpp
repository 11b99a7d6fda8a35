// Timers of the event loop: backoff waits, bulkhead acquisition deadlines, per-request total
// deadlines and per-attempt stall checks. Loop thread only.
//
// An indexed binary min-heap of intrusive Timer records: scheduling and cancelling are
// O(log n) and allocate nothing, and a cancelled timer leaves no tombstone behind, so a
// request that finishes early frees its timers at once (a lazy-deletion heap would keep
// thousands of dead 15-second stall timers alive under load).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "base/clock.hpp"

namespace rhc::detail {

class Timer;

// Whoever owns a Timer and wants to hear when it fires.
class TimerHandler {
 public:
  virtual void on_timer(Timer& timer) = 0;

 protected:
  ~TimerHandler() = default;
};

// Embedded in its owner (a request); must outlive its time in the queue.
class Timer {
 public:
  Timer(TimerHandler* handler, int tag) : handler_(handler), tag_(tag) {}
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  bool armed() const { return index_ != kNotQueued; }
  TimePoint due() const { return due_; }
  int tag() const { return tag_; }

 private:
  friend class TimerQueue;
  static constexpr std::size_t kNotQueued = static_cast<std::size_t>(-1);
  TimerHandler* handler_;
  int tag_;  // lets one handler own several timers
  TimePoint due_{};
  std::size_t index_ = kNotQueued;
  std::uint64_t armed_seq_ = 0;  // when it was last scheduled (TimerQueue::run_due)
};

class TimerQueue {
 public:
  // (Re)arms `timer` to fire at `due`; an armed timer is moved.
  void schedule(Timer& timer, TimePoint due);
  // Disarms; harmless on a timer that is not armed.
  void cancel(Timer& timer);
  // Fires, in due order, every timer due at or before `now`. A handler may schedule or
  // cancel timers, including its own. Time only moves forward within one call: a timer
  // (re)armed by a handler for a moment no later than the one now firing waits for the next
  // call, so a handler that keeps re-arming into the past cannot keep run_due from
  // returning (and the loop from reading its inbox, or close()).
  void run_due(TimePoint now);
  std::optional<TimePoint> next_due() const;
  std::size_t size() const { return heap_.size(); }

 private:
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);
  void place(std::size_t i, Timer* t);
  void remove_at(std::size_t i);

  std::vector<Timer*> heap_;
  std::uint64_t seq_ = 0;  // counts schedule() calls
};

}  // namespace rhc::detail
