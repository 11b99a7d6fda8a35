#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <rhc/errors.hpp>
#include <rhc/metrics.hpp>
#include <rhc/stats.hpp>

#include "metrics/text_format.hpp"

namespace rhc {

namespace {

using detail::TextWriter;

// The `state` label: lower case, as Prometheus label values usually are (to_string() gives
// "HALF_OPEN", the name logs use).
const char* state_label(CircuitState state) {
  switch (state) {
    case CircuitState::Closed:
      return "closed";
    case CircuitState::Open:
      return "open";
    case CircuitState::HalfOpen:
      return "half_open";
  }
  return "closed";
}

void write_requests(TextWriter& w, const ClientStats& s) {
  w.family("requests_total", "counter", "Requests that ended, successful or not.");
  w.sample({}, s.requests);
  w.family("successes_total", "counter", "Requests that ended without an error.");
  w.sample({}, s.successes);
  // One series per error class that occurred: the classes are rhc's ~20 error types
  // (errors.hpp), so the label stays bounded whatever the traffic.
  w.family("failures_total", "counter", "Requests that ended with an error, by error class.");
  for (const auto& [error, count] : s.failures_by_error) w.sample({{"error", error}}, count);
  w.family("attempts_total", "counter",
           "Sends to the transport: first attempts, retries, hedges, re-sends.");
  w.sample({}, s.attempts);
  w.family("retries_total", "counter", "Retries scheduled.");
  w.sample({}, s.retries);
  w.family("retries_suppressed_total", "counter",
           "Retryable failures not retried (budget, deadline, Retry-After, method, attempts).");
  w.sample({}, s.retries_suppressed);
  w.family("retry_budget_exhausted_total", "counter",
           "Retries (and hedges) the retry budget refused.");
  w.sample({}, s.retry_budget_exhausted);
  w.family("hedges_total", "counter", "Hedged attempts sent.");
  w.sample({}, s.hedges);
  w.family("breaker_rejections_total", "counter", "Requests an open circuit breaker refused.");
  w.sample({}, s.breaker_rejections);
}

void write_bulkhead(TextWriter& w, const ClientStats& s) {
  w.family("bulkhead_capacity", "gauge", "Bulkhead slots in all.");
  w.sample({}, s.bulkhead_capacity);
  w.family("bulkhead_in_use", "gauge", "Bulkhead slots held now.");
  w.sample({}, s.bulkhead_in_use);
  w.family("bulkhead_waiting", "gauge", "Requests waiting for a bulkhead slot now.");
  w.sample({}, s.bulkhead_waiting);
  w.family("bulkhead_rejected_total", "counter",
           "Requests that got no bulkhead slot within the acquisition timeout.");
  w.sample({}, s.bulkhead_rejected);
  w.family("in_progress", "gauge", "Requests accepted and not yet ended.");
  w.sample({}, s.in_progress);
  w.family("events_dropped_total", "counter", "Events a full listener queue could not take.");
  w.sample({}, s.events_dropped);
}

// Cumulative buckets as the format wants them; +Inf and _count from the same sum, so they
// agree even on a hand-made histogram whose `count` does not.
void write_duration(TextWriter& w, const LatencyHistogram& h) {
  w.family("request_duration_seconds", "histogram",
           "Duration of requests from the call to the outcome, retries and waits included.");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < h.upper_bounds.size(); ++i) {
    if (i < h.counts.size()) cumulative += h.counts[i];
    const std::string le = detail::format_number(h.upper_bounds[i]);
    w.sample({{"le", le}}, cumulative, "_bucket");
  }
  for (std::size_t i = h.upper_bounds.size(); i < h.counts.size(); ++i) cumulative += h.counts[i];
  w.sample({{"le", "+Inf"}}, cumulative, "_bucket");
  w.sample({}, h.sum, "_sum");
  w.sample({}, cumulative, "_count");
}

void write_authority_gauges(TextWriter& w, const ClientStats& s) {
  w.family("circuit_state", "gauge",
           "Circuit breaker state per authority: 1 for the current state, 0 for the others.");
  for (const AuthorityStats& a : s.authorities) {
    for (CircuitState state : {CircuitState::Closed, CircuitState::Open, CircuitState::HalfOpen}) {
      w.sample({{"authority", a.authority}, {"state", state_label(state)}},
               a.breaker_state == state ? 1 : 0);
    }
  }
  w.family("in_flight", "gauge", "Requests holding a bulkhead slot now, per authority.");
  for (const AuthorityStats& a : s.authorities) w.sample({{"authority", a.authority}}, a.in_flight);
  // Only with the adaptive limit on: a 0 would read as "nothing may be sent".
  w.family("concurrency_limit", "gauge", "Adaptive concurrency limit per authority.");
  for (const AuthorityStats& a : s.authorities) {
    if (a.concurrency_limit > 0) w.sample({{"authority", a.authority}}, a.concurrency_limit);
  }
}

// The client's totals above, split by authority. Families of their own: one family holding
// both an unlabelled total and labelled parts would double under sum().
void write_authority_counters(TextWriter& w, const ClientStats& s) {
  struct Counter {
    const char* name;
    const char* help;
    std::uint64_t AuthorityStats::*field;
  };
  static constexpr Counter kCounters[] = {
      {"authority_requests_total", "Requests that ended, per authority.",
       &AuthorityStats::requests},
      {"authority_successes_total", "Requests that ended without an error, per authority.",
       &AuthorityStats::successes},
      {"authority_failures_total", "Requests that ended with an error, per authority.",
       &AuthorityStats::failures},
      {"authority_attempts_total", "Sends to the transport, per authority.",
       &AuthorityStats::attempts},
      {"authority_retries_total", "Retries scheduled, per authority.", &AuthorityStats::retries},
      {"authority_hedges_total", "Hedged attempts started, per authority.",
       &AuthorityStats::hedges},
      {"authority_retry_budget_exhausted_total",
       "Retries (and hedges) the retry budget refused, per authority.",
       &AuthorityStats::retry_budget_exhausted},
      {"authority_breaker_rejections_total",
       "Requests an open circuit breaker refused, per authority.",
       &AuthorityStats::breaker_rejections},
  };
  for (const Counter& counter : kCounters) {
    w.family(counter.name, "counter", counter.help);
    for (const AuthorityStats& a : s.authorities) {
      w.sample({{"authority", a.authority}}, a.*counter.field);
    }
  }
}

}  // namespace

std::string to_prometheus(const ClientStats& stats, std::string_view prefix) {
  if (!detail::is_metric_name(prefix)) {
    throw ConfigError("to_prometheus: prefix \"" + std::string(prefix) +
                      "\" is not a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  }
  std::string out;
  TextWriter w(out, prefix);
  write_requests(w, stats);
  write_bulkhead(w, stats);
  write_duration(w, stats.request_duration);
  write_authority_gauges(w, stats);
  write_authority_counters(w, stats);
  return out;
}

}  // namespace rhc
