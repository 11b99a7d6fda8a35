#include "timers/timer_queue.hpp"

#include <utility>

namespace rhc::detail {

void TimerQueue::place(std::size_t i, Timer* t) {
  heap_[i] = t;
  t->index_ = i;
}

void TimerQueue::sift_up(std::size_t i) {
  Timer* t = heap_[i];
  while (i > 0) {
    std::size_t parent = (i - 1) / 2;
    if (!(t->due_ < heap_[parent]->due_)) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, t);
}

void TimerQueue::sift_down(std::size_t i) {
  Timer* t = heap_[i];
  const std::size_t n = heap_.size();
  for (;;) {
    std::size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && heap_[child + 1]->due_ < heap_[child]->due_) ++child;
    if (!(heap_[child]->due_ < t->due_)) break;
    place(i, heap_[child]);
    i = child;
  }
  place(i, t);
}

void TimerQueue::remove_at(std::size_t i) {
  Timer* removed = heap_[i];
  Timer* last = heap_.back();
  heap_.pop_back();
  removed->index_ = Timer::kNotQueued;
  if (removed == last) return;
  place(i, last);
  sift_down(i);
  sift_up(last->index_);
}

void TimerQueue::schedule(Timer& timer, TimePoint due) {
  timer.armed_seq_ = ++seq_;
  if (timer.armed()) {
    timer.due_ = due;
    sift_down(timer.index_);
    sift_up(timer.index_);
    return;
  }
  timer.due_ = due;
  heap_.push_back(&timer);
  timer.index_ = heap_.size() - 1;
  sift_up(timer.index_);
}

void TimerQueue::cancel(Timer& timer) {
  if (timer.armed()) remove_at(timer.index_);
}

void TimerQueue::run_due(TimePoint now) {
  const std::uint64_t armed_before = seq_;
  std::optional<TimePoint> firing;  // the due of the last timer fired; never decreases
  while (!heap_.empty() && !(now < heap_.front()->due_)) {
    Timer* t = heap_.front();
    if (firing && t->armed_seq_ > armed_before && !(*firing < t->due_)) break;
    firing = t->due_;
    remove_at(0);
    t->handler_->on_timer(*t);
  }
}

std::optional<TimePoint> TimerQueue::next_due() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.front()->due_;
}

}  // namespace rhc::detail
