// The idempotency cache: X-Request-ID -> the message_id its first success produced.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>

#include "lru_map.hpp"

namespace rhc::test_server::detail {

struct MessageOutcome {
  std::string message_id;
  bool replayed = false;  // true: an earlier success with the same X-Request-ID made it
};

// Only successes are stored, so a retry after failed attempts still gets exactly one fresh
// message_id. Thread-safe: look-up and insert happen under one lock, so two concurrent
// attempts with the same id get the same message_id.
class MessageStore {
 public:
  explicit MessageStore(std::size_t capacity) : messages_(capacity) {}

  MessageOutcome succeed(const std::optional<std::string>& request_id);
  void clear();

 private:
  std::mutex mutex_;
  LruMap<std::string> messages_;
};

}  // namespace rhc::test_server::detail
