#include "message_store.hpp"

#include "uuid.hpp"

namespace rhc::test_server::detail {

MessageOutcome MessageStore::succeed(const std::optional<std::string>& request_id) {
  if (!request_id) return {make_uuid_v4(), false};
  std::lock_guard lock(mutex_);
  if (const std::string* stored = messages_.find(*request_id)) return {*stored, true};
  std::string message_id = make_uuid_v4();
  messages_.get_or_insert(*request_id, message_id);
  return {std::move(message_id), false};
}

void MessageStore::clear() {
  std::lock_guard lock(mutex_);
  messages_.clear();
}

}  // namespace rhc::test_server::detail
