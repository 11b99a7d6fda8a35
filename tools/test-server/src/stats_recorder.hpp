// The counters behind GET /stats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <test_server/fault.hpp>
#include <test_server/stats.hpp>

#include "lru_map.hpp"

namespace rhc::test_server::detail {

// Thread-safe. One mutex: the server's own work per request is tiny next to a socket round
// trip, so contention does not matter here.
class StatsRecorder {
 public:
  explicit StatsRecorder(std::size_t request_id_capacity);

  // Any parsed request; `endpoint` is "/msg", "/health", "/stats", "/fail" or "other".
  void count_request(const std::string& endpoint);

  // A `/msg` attempt entered its handler; returns the attempt number for its X-Request-ID
  // (1 for the first, and always 1 without an id). Pair with end_msg().
  std::uint64_t begin_msg(const std::optional<std::string>& request_id);
  void end_msg();

  void count_success(bool replayed);
  void count_fault(const Fault& fault);

  Stats snapshot() const;
  std::uint64_t attempts_for(const std::string& request_id) const;

  // Zeroes every counter; in-flight handlers stay counted as in flight.
  void reset();

 private:
  mutable std::mutex mutex_;
  Stats stats_;  // everything but attempts_by_request_id, which lives in attempts_
  LruMap<std::uint64_t> attempts_;
};

}  // namespace rhc::test_server::detail
