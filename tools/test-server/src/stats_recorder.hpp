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
  // `request_id_capacity` bounds attempts_by_request_id, executions_by_idempotency_key and
  // uploads_by_sha256.
  explicit StatsRecorder(std::size_t request_id_capacity);

  // Any parsed request; `endpoint` is "/msg", "/idempotent", "/health", "/stats", "/fail" or
  // "other".
  void count_request(const std::string& endpoint);

  // A `/msg` attempt entered its handler; returns the attempt number for its X-Request-ID
  // (1 for the first, and always 1 without an id or once the id was dropped). Pair with
  // end_msg().
  std::uint64_t begin_msg(const std::optional<std::string>& request_id);
  void end_msg();

  void count_success(bool replayed);
  // A fault on `/msg`: counted in faults_injected and, for a failure, in msg_failures.
  void count_fault(const Fault& fault);

  // `/idempotent`: a request reached the handler (returns its attempt number, as
  // begin_msg() does; /msg and /idempotent share the per-id counts); a fault it got
  // (faults_injected only); the first execution of `key`; a replay, a 409, a 422.
  std::uint64_t count_idempotent_request(const std::optional<std::string>& request_id);
  void count_idempotent_fault(const Fault& fault);
  void count_idempotent_execution(const std::string& key);
  void count_idempotent_replay();
  void count_idempotent_conflict();
  void count_idempotent_mismatch();

  // The transport endpoints: a request that reached the /bytes, /upload or /multipart
  // handler; an /upload body received in full; a fault one of them drew (faults_injected only).
  void count_bytes_request();
  void count_upload_request();
  void count_upload_body(const std::string& sha256, std::uint64_t length);
  void count_multipart_request();
  void count_transport_fault(const Fault& fault);

  // A request refused by Overload; a request Slowness delayed; a request whose client had
  // gone when its handler finished.
  void count_overload_rejection();
  void count_slowed();
  void count_client_gone();

  Stats snapshot() const;
  std::uint64_t attempts_for(const std::string& request_id) const;
  std::uint64_t executions_for(const std::string& key) const;

  // Zeroes every counter; in-flight handlers stay counted as in flight.
  void reset();

 private:
  // Under mutex_: counts one more attempt for `request_id` and returns its number.
  std::uint64_t count_attempt(const std::optional<std::string>& request_id);

  mutable std::mutex mutex_;
  // Everything but attempts_by_request_id, executions_by_idempotency_key and
  // uploads_by_sha256, which live in the three LRU maps.
  Stats stats_;
  LruMap<std::uint64_t> attempts_;
  LruMap<std::uint64_t> executions_;
  LruMap<std::uint64_t> uploads_;
};

}  // namespace rhc::test_server::detail
