#include "chain/body_stream.hpp"

#include <algorithm>
#include <utility>

#include "chain/body_sink.hpp"

namespace rhc::detail {

BodyStream::BodyStream(Sink sink, Post post) : sink_(std::move(sink)), post_(std::move(post)) {
  spares_.reserve(kMaxSpares);  // so that recycling never allocates
}

void BodyStream::recycle_locked(std::string&& chunk) {
  if (spares_.size() == kMaxSpares || chunk.capacity() > kMergeBytes ||
      (spares_.size() + 1) * kMergeBytes + pending_ > kHighWater) {
    return;
  }
  chunk.clear();  // keeps the capacity
  spares_.push_back(std::move(chunk));
}

bool BodyStream::claim_drain_locked() {
  if (draining_) return false;
  draining_ = true;
  return true;
}

void BodyStream::post_drain() {
  std::function<void()> task = [self = shared_from_this()] { self->drain(); };
  // Refused only once the executor has begun shutting down, which the client does after its
  // loop has ended every request: the last outcome is then handed over here rather than lost.
  if (!post_(task)) task();
}

BodyStream::Offer BodyStream::offer(const char* data, std::size_t n) noexcept {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (error_ != nullptr || finished_) return Offer::Refused;
    if (pending_ > kHighWater) {
      paused_ = true;
      return Offer::Full;
    }
    try {
      // The front chunk is popped before it goes to the sink, so the back one is never in use.
      if (!chunks_.empty() && chunks_.back().size() + n <= kMergeBytes) {
        chunks_.back().append(data, n);  // within the capacity reserved below: no allocation
      } else {
        std::string chunk;
        if (!spares_.empty()) {
          chunk = std::move(spares_.back());
          spares_.pop_back();
        }
        chunk.reserve(std::max(n, kMergeBytes));
        chunk.append(data, n);
        chunks_.push_back(std::move(chunk));
      }
    } catch (...) {
      return Offer::Refused;  // out of memory
    }
    pending_ += n;
    max_pending_ = std::max(max_pending_, pending_);
    if (draining_) return Offer::Taken;
    if (pending_ < kLowWater) {
      if (kick_due_) return Offer::Taken;
      kick_due_ = true;
      return Offer::Queued;
    }
    claim_drain_locked();
  }
  try {
    post_drain();
  } catch (...) {
    // Out of memory making the task: nothing drains, so stop the transfer; finish() then
    // posts again.
    std::lock_guard<std::mutex> lock(mutex_);
    draining_ = false;
    return Offer::Refused;
  }
  return Offer::Taken;
}

void BodyStream::kick() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    kick_due_ = false;
    if (chunks_.empty() || !claim_drain_locked()) return;
  }
  post_drain();
}

void BodyStream::finish(bool success, std::function<void(std::exception_ptr)> deliver) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    success_ = success;
    deliver_ = std::move(deliver);
    if (!success) drop_queued_locked();
    if (!claim_drain_locked()) return;  // the running drain delivers after its chunk
  }
  post_drain();
}

void BodyStream::drop_queued_locked() {
  for (const std::string& chunk : chunks_) pending_ -= chunk.size();
  chunks_.clear();
}

void BodyStream::drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (!chunks_.empty()) {
      std::string chunk = std::move(chunks_.front());
      chunks_.pop_front();
      lock.unlock();
      std::exception_ptr thrown;
      try {
        sink_.write(chunk);
      } catch (...) {
        thrown = std::current_exception();
      }
      lock.lock();
      pending_ -= chunk.size();
      recycle_locked(std::move(chunk));
      if (thrown != nullptr) {
        failure_ = sink_failure(thrown);
        error_ = std::move(thrown);
        drop_queued_locked();
        if (!finished_ && hooks_.abort) hooks_.abort();
      } else if (paused_ && pending_ <= kLowWater && !finished_) {
        paused_ = false;
        if (hooks_.resume) hooks_.resume();
      }
      continue;
    }
    if (!finished_) {
      draining_ = false;  // the next offer() posts a new task
      return;
    }
    // Everything is out: the outcome last. draining_ stays set, so no task ever follows.
    std::function<void(std::exception_ptr)> deliver = std::move(deliver_);
    std::exception_ptr error = error_;
    const bool end_sink = success_ && error == nullptr;
    lock.unlock();
    if (end_sink && sink_.end) {
      try {
        sink_.end();
      } catch (...) {
        error = std::current_exception();
      }
    }
    deliver(std::move(error));
    return;
  }
}

std::exception_ptr BodyStream::error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

std::optional<Failure> BodyStream::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

std::size_t BodyStream::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_;
}

std::size_t BodyStream::max_pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return max_pending_;
}

}  // namespace rhc::detail
