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

  // With per-authority limits (BulkheadConfig::adaptive), a waiter may be unable to start
  // even when a slot is free, and must not block the waiters behind it for other
  // authorities. The chain keeps "no waiter that could start is waiting while a slot is
  // free" true by calling take_first_if() whenever a slot frees or a waiter may have become
  // able to start; a newcomer that can start then takes a free slot with take_free_slot()
  // whoever waits, since none of them could.
  bool has_free_slot() const { return in_use_ < capacity_; }
  // Takes a free slot; false if none is.
  bool take_free_slot();
  // Gives a slot back without passing it on.
  void release_slot();
  // If a slot is free: the first waiter in line for which `can_start(id)` holds leaves the
  // line holding it, and its id is returned. O(waiters passed over).
  template <class Pred>
  std::optional<WaiterId> take_first_if(Pred can_start) {
    if (!has_free_slot()) return std::nullopt;
    for (auto it = line_.begin(); it != line_.end(); ++it) {
      if (!can_start(*it)) continue;
      const WaiterId id = *it;
      where_.erase(id);
      line_.erase(it);
      ++in_use_;
      return id;
    }
    return std::nullopt;
  }
  // The waiters, first come first: for the chain's look at who is held.
  const std::list<WaiterId>& line() const { return line_; }

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
