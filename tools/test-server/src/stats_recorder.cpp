#include "stats_recorder.hpp"

#include <algorithm>

namespace rhc::test_server::detail {

StatsRecorder::StatsRecorder(std::size_t request_id_capacity)
    : attempts_(request_id_capacity),
      executions_(request_id_capacity),
      uploads_(request_id_capacity) {}

void StatsRecorder::count_request(const std::string& endpoint) {
  std::lock_guard lock(mutex_);
  ++stats_.requests_total;
  ++stats_.requests_by_endpoint[endpoint];
}

std::uint64_t StatsRecorder::begin_msg(const std::optional<std::string>& request_id) {
  std::lock_guard lock(mutex_);
  ++stats_.msg_requests;
  ++stats_.msg_in_flight;
  stats_.msg_max_in_flight = std::max(stats_.msg_max_in_flight, stats_.msg_in_flight);
  return count_attempt(request_id);
}

std::uint64_t StatsRecorder::count_attempt(const std::optional<std::string>& request_id) {
  if (!request_id) return 1;
  return ++attempts_.get_or_insert(*request_id, 0);
}

void StatsRecorder::end_msg() {
  std::lock_guard lock(mutex_);
  if (stats_.msg_in_flight > 0) --stats_.msg_in_flight;
}

void StatsRecorder::count_success(bool replayed) {
  std::lock_guard lock(mutex_);
  ++stats_.msg_successes;
  if (replayed) ++stats_.msg_replays;
}

void StatsRecorder::count_fault(const Fault& fault) {
  std::lock_guard lock(mutex_);
  ++stats_.faults_injected[fault.name()];
  if (fault.is_failure()) ++stats_.msg_failures;
}

std::uint64_t StatsRecorder::count_idempotent_request(
    const std::optional<std::string>& request_id) {
  std::lock_guard lock(mutex_);
  ++stats_.idempotent_requests;
  return count_attempt(request_id);
}

void StatsRecorder::count_idempotent_fault(const Fault& fault) {
  std::lock_guard lock(mutex_);
  ++stats_.faults_injected[fault.name()];
}

void StatsRecorder::count_idempotent_execution(const std::string& key) {
  std::lock_guard lock(mutex_);
  ++stats_.idempotent_executions;
  ++executions_.get_or_insert(key, 0);
}

void StatsRecorder::count_idempotent_replay() {
  std::lock_guard lock(mutex_);
  ++stats_.idempotent_replays;
}

void StatsRecorder::count_idempotent_conflict() {
  std::lock_guard lock(mutex_);
  ++stats_.idempotent_conflicts;
}

void StatsRecorder::count_idempotent_mismatch() {
  std::lock_guard lock(mutex_);
  ++stats_.idempotent_mismatches;
}

void StatsRecorder::count_bytes_request() {
  std::lock_guard lock(mutex_);
  ++stats_.bytes_requests;
}

void StatsRecorder::count_upload_request() {
  std::lock_guard lock(mutex_);
  ++stats_.upload_requests;
}

void StatsRecorder::count_upload_body(const std::string& sha256, std::uint64_t length) {
  std::lock_guard lock(mutex_);
  stats_.upload_bytes += length;
  ++uploads_.get_or_insert(sha256, 0);
}

void StatsRecorder::count_multipart_request() {
  std::lock_guard lock(mutex_);
  ++stats_.multipart_requests;
}

void StatsRecorder::count_transport_fault(const Fault& fault) {
  std::lock_guard lock(mutex_);
  ++stats_.faults_injected[fault.name()];
}

void StatsRecorder::count_overload_rejection() {
  std::lock_guard lock(mutex_);
  ++stats_.overload_rejections;
}

void StatsRecorder::count_slowed() {
  std::lock_guard lock(mutex_);
  ++stats_.slowed;
}

void StatsRecorder::count_client_gone() {
  std::lock_guard lock(mutex_);
  ++stats_.client_gone;
}

Stats StatsRecorder::snapshot() const {
  std::lock_guard lock(mutex_);
  Stats copy = stats_;
  attempts_.for_each([&copy](const std::string& id, std::uint64_t attempts) {
    copy.attempts_by_request_id.emplace(id, attempts);
  });
  executions_.for_each([&copy](const std::string& key, std::uint64_t executions) {
    copy.executions_by_idempotency_key.emplace(key, executions);
  });
  uploads_.for_each([&copy](const std::string& digest, std::uint64_t uploads) {
    copy.uploads_by_sha256.emplace(digest, uploads);
  });
  return copy;
}

std::uint64_t StatsRecorder::attempts_for(const std::string& request_id) const {
  std::lock_guard lock(mutex_);
  const std::uint64_t* attempts = attempts_.peek(request_id);
  return attempts ? *attempts : 0;
}

std::uint64_t StatsRecorder::executions_for(const std::string& key) const {
  std::lock_guard lock(mutex_);
  const std::uint64_t* executions = executions_.peek(key);
  return executions ? *executions : 0;
}

void StatsRecorder::reset() {
  std::lock_guard lock(mutex_);
  const std::uint64_t in_flight = stats_.msg_in_flight;
  stats_ = Stats{};
  stats_.msg_in_flight = in_flight;
  stats_.msg_max_in_flight = in_flight;
  attempts_.clear();
  executions_.clear();
  uploads_.clear();
}

}  // namespace rhc::test_server::detail
