// The Idempotency-Key store behind `/idempotent`: per key, the request that first used it
// (as a fingerprint) and, once that request has finished, the response to replay.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

#include "lru_map.hpp"

namespace rhc::test_server::detail {

// A response kept for replay.
struct StoredResponse {
  int status = 200;
  std::string body;
};

// What a request that carries a key must do, decided under one lock so that of two
// concurrent requests with a new key exactly one executes.
struct KeyClaim {
  enum class Verdict {
    execute,      // the key is new: do the work, then complete() or abandon() with `ticket`
    in_progress,  // same request, still executing: 409
    mismatch,     // the key was first used with a different request: 422
    replay,       // same request, finished: answer with `stored`
  };
  Verdict verdict = Verdict::execute;
  std::uint64_t ticket = 0;
  StoredResponse stored;
};

// Keys live in an LRU of `capacity` entries; a key whose first request is still executing is
// never evicted (the store then briefly holds more than `capacity`, at most one extra entry
// per worker thread). Thread-safe.
class IdempotencyKeys {
 public:
  explicit IdempotencyKeys(std::size_t capacity) : keys_(capacity) {}

  KeyClaim claim(const std::string& key, std::uint64_t fingerprint);

  // Stores the response of the execution holding `ticket`. Does nothing if clear() ran since
  // its claim(): a reset forgets work that was still in progress.
  void complete(const std::string& key, std::uint64_t ticket, StoredResponse response);

  // Forgets the key of an execution that produced no response (the server is stopping), so
  // that a retry executes afresh. Does nothing if clear() ran since its claim().
  void abandon(const std::string& key, std::uint64_t ticket);

  void clear();

 private:
  struct Entry {
    std::uint64_t fingerprint = 0;
    std::uint64_t ticket = 0;  // the execution that owns the entry
    bool in_progress = true;
    StoredResponse response;  // valid once !in_progress
  };

  // The entry for `key` if it is still owned by the execution holding `ticket`.
  Entry* owned(const std::string& key, std::uint64_t ticket);

  std::mutex mutex_;
  LruMap<Entry> keys_;
  std::uint64_t next_ticket_ = 1;
};

}  // namespace rhc::test_server::detail
