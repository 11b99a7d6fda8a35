#include "idempotency_keys.hpp"

#include <utility>

namespace rhc::test_server::detail {

KeyClaim IdempotencyKeys::claim(const std::string& key, std::uint64_t fingerprint) {
  std::lock_guard lock(mutex_);
  KeyClaim claim;
  if (const Entry* entry = keys_.find(key)) {
    // The fingerprint is checked first: reusing a key for a different request is the client's
    // bug (422) whether or not the first request has finished; only a true retry gets a 409.
    if (entry->fingerprint != fingerprint) {
      claim.verdict = KeyClaim::Verdict::mismatch;
    } else if (entry->in_progress) {
      claim.verdict = KeyClaim::Verdict::in_progress;
    } else {
      claim.verdict = KeyClaim::Verdict::replay;
      claim.stored = entry->response;
    }
    return claim;
  }
  claim.ticket = next_ticket_++;
  Entry entry;
  entry.fingerprint = fingerprint;
  entry.ticket = claim.ticket;
  keys_.insert_unless_pinned(key, std::move(entry),
                             [](const Entry& kept) { return !kept.in_progress; });
  return claim;
}

void IdempotencyKeys::complete(const std::string& key, std::uint64_t ticket,
                               StoredResponse response) {
  std::lock_guard lock(mutex_);
  if (Entry* entry = owned(key, ticket)) {
    entry->in_progress = false;
    entry->response = std::move(response);
  }
}

void IdempotencyKeys::abandon(const std::string& key, std::uint64_t ticket) {
  std::lock_guard lock(mutex_);
  if (owned(key, ticket)) keys_.erase(key);
}

void IdempotencyKeys::clear() {
  std::lock_guard lock(mutex_);
  keys_.clear();
}

IdempotencyKeys::Entry* IdempotencyKeys::owned(const std::string& key, std::uint64_t ticket) {
  Entry* entry = keys_.find(key);
  return entry && entry->in_progress && entry->ticket == ticket ? entry : nullptr;
}

}  // namespace rhc::test_server::detail
