#include "load_tally.hpp"

#include <rhc/errors.hpp>

#include "outcome_class.hpp"

namespace rhc::probe {
namespace {

struct Classified {
  LoadOutcome outcome = LoadOutcome::kFailed;
  std::string status;  // the by_status key; empty for a cancelled request
  int attempts = 0;
  bool config_error = false;
  std::string message;
};

Classified classify(const rhc::Outcome& outcome, bool stopping) {
  Classified c;
  if (outcome.ok()) {
    c.attempts = outcome.response->attempts;
    c.outcome = c.attempts > 1 ? LoadOutcome::kServedAfterRetries : LoadOutcome::kServedFirstTry;
    c.status = std::to_string(outcome.response->status_code);
    return c;
  }
  const ErrorInfo e = describe_error(outcome.error);
  c.attempts = e.attempts;
  c.message = e.message;
  c.status = e.response ? std::to_string(e.status_code) : e.class_name;
  if (e.class_name == "CircuitOpenError") {
    c.outcome = LoadOutcome::kBreakerOpen;
  } else if (e.class_name == "PoolTimeoutError") {
    c.outcome = LoadOutcome::kBulkheadRejected;
  } else if (stopping &&
             (e.class_name == "CancelledError" || e.class_name == "ClientClosedError")) {
    c.outcome = LoadOutcome::kCancelledAtDeadline;
    c.status.clear();
  } else {
    c.config_error = e.class_name == "ConfigError";
  }
  return c;
}

}  // namespace

const char* outcome_key(LoadOutcome outcome) {
  switch (outcome) {
    case LoadOutcome::kServedFirstTry:
      return "served_first_try";
    case LoadOutcome::kServedAfterRetries:
      return "served_after_retries";
    case LoadOutcome::kBreakerOpen:
      return "breaker_open";
    case LoadOutcome::kBulkheadRejected:
      return "bulkhead_rejected";
    case LoadOutcome::kFailed:
      return "failed";
    case LoadOutcome::kCancelledAtDeadline:
      return "cancelled_at_deadline";
  }
  return "";
}

const char* outcome_label(LoadOutcome outcome) {
  switch (outcome) {
    case LoadOutcome::kServedFirstTry:
      return "served first try";
    case LoadOutcome::kServedAfterRetries:
      return "served after retries";
    case LoadOutcome::kBreakerOpen:
      return "refused: breaker open";
    case LoadOutcome::kBulkheadRejected:
      return "refused: bulkhead full";
    case LoadOutcome::kFailed:
      return "failed";
    case LoadOutcome::kCancelledAtDeadline:
      return "cancelled at deadline";
  }
  return "";
}

std::uint64_t LoadFigures::served() const {
  return count(LoadOutcome::kServedFirstTry) + count(LoadOutcome::kServedAfterRetries);
}

std::uint64_t LoadFigures::completed() const {
  std::uint64_t n = 0;
  for (const auto& recorder : by_outcome) n += recorder.count();
  return n - count(LoadOutcome::kCancelledAtDeadline);
}

bool LoadTally::record(const rhc::Outcome& outcome, std::chrono::nanoseconds latency,
                       bool stopping) {
  // Classified outside the lock: describe_error rethrows and catches.
  const Classified c = classify(outcome, stopping);
  std::lock_guard<std::mutex> lock(mutex_);
  figures_.by_outcome[static_cast<std::size_t>(c.outcome)].record(latency);
  if (c.outcome == LoadOutcome::kCancelledAtDeadline) return true;
  if (c.outcome != LoadOutcome::kBreakerOpen && c.outcome != LoadOutcome::kBulkheadRejected) {
    figures_.round_trips.record(latency);
  }
  ++figures_.by_status[c.status];
  ++figures_.by_attempts[c.attempts];
  if (c.config_error && config_error_.empty()) config_error_ = c.message;
  return !c.config_error;
}

std::uint64_t LoadTally::completed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return figures_.completed();
}

std::string LoadTally::config_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return config_error_;
}

LoadFigures LoadTally::figures() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return figures_;
}

}  // namespace rhc::probe
