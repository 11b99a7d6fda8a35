#include "policy/bulkhead.hpp"

#include <algorithm>
#include <utility>

namespace rhc::detail {

// A capacity below 1 (only from an unvalidated config) still admits one request at a time,
// so requests queue rather than all time out.
Bulkhead::Bulkhead(BulkheadConfig config)
    : config_(std::move(config)), capacity_(std::max(config_.max_concurrency, 1)) {}

bool Bulkhead::try_acquire() {
  if (in_use_ >= capacity_ || !line_.empty()) return false;
  ++in_use_;
  return true;
}

bool Bulkhead::take_free_slot() {
  if (!has_free_slot()) return false;
  ++in_use_;
  return true;
}

void Bulkhead::release_slot() {
  if (in_use_ > 0) --in_use_;
}

void Bulkhead::enqueue(WaiterId id) {
  if (where_.count(id) != 0) return;
  line_.push_back(id);
  where_.emplace(id, std::prev(line_.end()));
}

bool Bulkhead::remove(WaiterId id) {
  const auto it = where_.find(id);
  if (it == where_.end()) return false;
  line_.erase(it->second);
  where_.erase(it);
  return true;
}

std::optional<Bulkhead::WaiterId> Bulkhead::release() {
  if (in_use_ == 0) return std::nullopt;
  if (line_.empty()) {
    --in_use_;
    return std::nullopt;
  }
  const WaiterId next = line_.front();
  line_.pop_front();
  where_.erase(next);
  return next;
}

}  // namespace rhc::detail
