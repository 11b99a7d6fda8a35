// Bulkhead: at most `capacity` logical requests hold a slot at once; the others wait in a
// first-come first-served line. It only keeps the books: the caller arms the timer for
// acquisition_timeout, and resumes the waiter whose id release() returns.
//
//   if (bulkhead.try_acquire()) run(request);
//   else if (acquisition_timeout == 0) fail with PoolTimeoutError;
//   else { bulkhead.enqueue(id); arm_timer(id, acquisition_timeout); }
//   ...timer fires / request cancelled: if (bulkhead.remove(id)) fail it
//   ...a request holding a slot ends:   if (auto next = bulkhead.release()) run(*next)
//
// Loop thread only; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <unordered_map>

#include <rhc/config.hpp>

namespace rhc::detail {

class Bulkhead {
 public:
  using WaiterId = std::uint64_t;

  explicit Bulkhead(BulkheadConfig config);

  // Takes a slot iff one is free and nobody is waiting: a newcomer never overtakes the line.
  bool try_acquire();

  // Joins the end of the line. An id already in line keeps its place (no duplicate).
  // Call only after try_acquire() failed: a waiter is resumed by release(), never by a
  // slot that happens to be free when it enqueues.
  void enqueue(WaiterId id);

  // Leaves the line (acquisition timeout or cancellation). O(1). False if the id is not in
  // line, e.g. because release() already handed it a slot: then the caller owns a slot.
  bool remove(WaiterId id);

  // Gives a slot back. If someone waits, the slot passes straight to the first waiter (so
  // in_use() is unchanged and no newcomer can grab it in between) and that waiter's id is
  // returned for the caller to resume; otherwise the slot is freed and nullopt returned.
  // A release with no slot in use is a no-op.
  std::optional<WaiterId> release();

  int in_use() const { return in_use_; }
  std::size_t waiting() const { return line_.size(); }
  int capacity() const { return capacity_; }
  const BulkheadConfig& config() const { return config_; }

 private:
  BulkheadConfig config_;
  int capacity_;
  int in_use_ = 0;
  std::list<WaiterId> line_;  // front = first come
  std::unordered_map<WaiterId, std::list<WaiterId>::iterator> where_;
};

}  // namespace rhc::detail
