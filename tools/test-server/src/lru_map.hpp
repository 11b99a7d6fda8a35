// A map that keeps at most `capacity` entries, dropping the least recently used.
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace rhc::test_server::detail {

// Bounds what the server remembers per X-Request-ID and per Idempotency-Key, so a long soak
// run cannot grow memory without limit. Not thread-safe: the owner locks.
template <class Value>
class LruMap {
 public:
  explicit LruMap(std::size_t capacity) : capacity_(capacity) {}

  // The value for `key`, marked most recently used; nullptr if absent.
  Value* find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    entries_.splice(entries_.begin(), entries_, it->second);
    return &it->second->second;
  }

  // Looks without marking the entry used.
  const Value* peek(const std::string& key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }

  // The value for `key`, inserted as `initial` if absent (evicting the least recently used
  // entry when full), marked most recently used. With capacity 0 nothing is kept and a
  // scratch value is returned.
  Value& get_or_insert(const std::string& key, Value initial = Value{}) {
    if (Value* found = find(key)) return *found;
    if (capacity_ == 0) {
      scratch_ = std::move(initial);
      return scratch_;
    }
    if (entries_.size() == capacity_) {
      index_.erase(entries_.back().first);
      entries_.pop_back();
    }
    entries_.emplace_front(key, std::move(initial));
    index_.emplace(key, entries_.begin());
    return entries_.front().second;
  }

  // Inserts `value` under `key` (replacing any entry for it) as most recently used. While the
  // map is full it drops the least recently used entry for which `evictable(value)` holds; if
  // none does, the map grows past its capacity rather than drop a pinned entry.
  template <class Evictable>
  Value& insert_unless_pinned(const std::string& key, Value value, Evictable&& evictable) {
    erase(key);
    while (entries_.size() >= capacity_) {
      auto victim = std::find_if(entries_.rbegin(), entries_.rend(),
                                 [&](const auto& entry) { return evictable(entry.second); });
      if (victim == entries_.rend()) break;
      index_.erase(victim->first);
      entries_.erase(std::next(victim).base());
    }
    entries_.emplace_front(key, std::move(value));
    index_.emplace(key, entries_.begin());
    return entries_.front().second;
  }

  // Removes `key`; false if it was absent.
  bool erase(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    entries_.erase(it->second);
    index_.erase(it);
    return true;
  }

  // Calls fn(key, value) from most to least recently used.
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const auto& [key, value] : entries_) fn(key, value);
  }

  std::size_t size() const { return entries_.size(); }
  std::size_t capacity() const { return capacity_; }

  void clear() {
    entries_.clear();
    index_.clear();
  }

 private:
  using Entries = std::list<std::pair<std::string, Value>>;
  std::size_t capacity_;
  Entries entries_;
  std::unordered_map<std::string, typename Entries::iterator> index_;
  Value scratch_{};
};

}  // namespace rhc::test_server::detail
