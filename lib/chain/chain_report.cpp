// The chain's reporting: the events listeners receive (docs/observability.md, "Events") and
// the counters behind ClientStats. Members of Chain, kept apart from chain.cpp so that the
// policy flow reads without them. Every event is one call from chain.cpp; what it carries
// is decided here.
#include <algorithm>
#include <string>

#include "chain/chain.hpp"

namespace rhc::detail {
EventRecord* Chain::event(Request& r, EventKind kind) {
  if (!events_.accepting()) return nullptr;
  if (r.event_labels == nullptr) {
    r.event_labels = std::make_shared<const EventLabels>(
        EventLabels{r.authority, r.request_id, r.method, r.loggable_url()});
  }
  return events_.record_accepted(kind, now_, r.event_labels);
}

void Chain::report_attempt_start(Request& r) {
  ++counters_.attempts;
  ++r.authority_state->counters.attempts;
  if (EventRecord* e = event(r, EventKind::AttemptStart)) {
    e->attempt = r.attempts;
    // A first attempt that waited in the bulkhead's line says how long.
    if (r.attempts == 1 && r.queued_at != TimePoint{}) e->wait = now_ - r.queued_at;
  }
}

void Chain::report_attempt_end(Request& r, int attempt, const Failure* f, int status,
                               Duration transfer) {
  if (EventRecord* e = event(r, EventKind::AttemptEnd)) {
    e->attempt = attempt;
    e->status_code = status;
    if (f != nullptr) e->error = error_class_name(f->kind);
    e->duration = transfer;
  }
}

void Chain::report_unfinished_attempts(Request& r, const Failure* f) {
  // Cut short with the request (cancelled, timed out, closed), or losers of a hedge.
  const bool lost = r.stage != Request::Stage::InFlight;
  for (const Request::Lane& l : r.lanes) {
    if (!l.busy) continue;
    if (EventRecord* e = event(r, EventKind::AttemptEnd)) {
      e->attempt = l.attempt;
      e->duration = now_ - l.started;
      if (lost) {
        e->error = error_class_name(ErrorKind::Cancelled);
        e->reason = "stopped: another attempt answered first";
      } else if (f != nullptr) {
        e->error = error_class_name(f->kind);
      }
    }
  }
}

void Chain::report_hedge(Request& r, const std::string& why) {
  ++counters_.hedges;
  ++r.authority_state->counters.hedges;
  if (EventRecord* e = event(r, EventKind::Hedge)) {
    e->attempt = r.attempts + 1;  // the hedge about to start
    e->reason = why;
    e->wait = now_ - r.attempt_started;
  }
}

void Chain::report_hedge_refused(Request& r) {
  ++counters_.retry_budget_exhausted;
  ++r.authority_state->counters.retry_budget_exhausted;
}

void Chain::report_retry(Request& r, const Failure& f, Duration wait) {
  ++counters_.retries;
  ++r.authority_state->counters.retries;
  if (EventRecord* e = event(r, EventKind::RetryScheduled)) {
    e->attempt = r.attempts;
    e->status_code = f.response != nullptr ? f.response->status_code : 0;
    e->error = error_class_name(f.kind);
    e->reason = f.cause;
    e->wait = wait;
  }
}

const char* Chain::to_reason(Suppressed why) {
  switch (why) {
    case Suppressed::Budget:
      return "budget";
    case Suppressed::Deadline:
      return "deadline";
    case Suppressed::RetryAfter:
      return "retry_after";
    case Suppressed::UnsafeMethod:
      return "unsafe_method";
    case Suppressed::Attempts:
      return "attempts";
    case Suppressed::Committed:
      return "committed";
  }
  return "";
}

void Chain::report_suppressed(Request& r, const Failure& f, Suppressed why) {
  ++counters_.retries_suppressed;
  if (why == Suppressed::Budget) {
    ++counters_.retry_budget_exhausted;
    ++r.authority_state->counters.retry_budget_exhausted;
  }
  if (EventRecord* e = event(r, EventKind::RetrySuppressed)) {
    e->attempt = r.attempts;
    e->status_code = f.response != nullptr ? f.response->status_code : 0;
    e->error = error_class_name(f.kind);
    e->reason = to_reason(why);
  }
}

void Chain::account_refusal(Request& r, Duration elapsed) {
  r.authority_state = &authorities_.acquire(r.authority, now_);
  report_breaker_rejected(r);
  const Failure refused = Failure::of(ErrorKind::CircuitOpen, "refused on the caller's thread");
  report_end(r, &refused, 0, elapsed);
  authorities_.release(*r.authority_state, now_);
  r.authority_state = nullptr;
}

void Chain::report_breaker_rejected(Request& r) {
  ++counters_.breaker_rejections;
  ++r.authority_state->counters.breaker_rejections;
  event(r, EventKind::BreakerRejected);
}

void Chain::report_bulkhead(Request& r, EventKind kind) {
  if (kind == EventKind::BulkheadRejected) ++counters_.bulkhead_rejected;
  if (EventRecord* e = event(r, kind)) {
    if (kind == EventKind::BulkheadRejected && r.queued_at != TimePoint{}) {
      e->wait = now_ - r.queued_at;
    }
  }
}

void Chain::report_breaker_transition(const std::string& authority, CircuitState from,
                                      CircuitState to) {
  if (!events_.wanted()) return;
  auto labels = std::make_shared<const EventLabels>(EventLabels{authority, {}, {}, {}});
  if (EventRecord* e = events_.record(EventKind::BreakerTransition, now_, std::move(labels))) {
    e->from = from;
    e->to = to;
  }
}

void Chain::report_limit(Request& r, int limit) {
  if (!events_.wanted()) return;
  auto labels = std::make_shared<const EventLabels>(EventLabels{r.authority, {}, {}, {}});
  if (EventRecord* e = events_.record(EventKind::LimitChanged, now_, std::move(labels))) {
    e->limit = limit;
  }
}

void Chain::report_end(Request& r, const Failure* f, int status, Duration elapsed) {
  ++counters_.requests;
  counters_.durations.record(elapsed);
  AuthorityCounters* a = r.authority_state != nullptr ? &r.authority_state->counters : nullptr;
  if (a != nullptr) ++a->requests;
  if (f == nullptr) {
    ++counters_.successes;
    if (a != nullptr) ++a->successes;
  } else {
    ++counters_.failures;
    ++counters_.failures_by_kind[static_cast<std::size_t>(f->kind)];
    if (a != nullptr) ++a->failures;
  }
  if (EventRecord* e = event(r, EventKind::RequestEnd)) {
    e->attempt = r.attempts;
    e->status_code = status;
    if (f != nullptr) e->error = error_class_name(f->kind);
    e->duration = elapsed;
  }
}

void Chain::fill_stats(ClientStats& out) const {
  const Counters& c = counters_;
  out.requests = c.requests;
  out.successes = c.successes;
  out.failures = c.failures;
  out.failures_by_error.clear();
  for (std::size_t k = 0; k < c.failures_by_kind.size(); ++k) {
    if (c.failures_by_kind[k] != 0) {
      out.failures_by_error[error_class_name(static_cast<ErrorKind>(k))] = c.failures_by_kind[k];
    }
  }
  out.attempts = c.attempts;
  out.retries = c.retries;
  out.retries_suppressed = c.retries_suppressed;
  out.retry_budget_exhausted = c.retry_budget_exhausted;
  out.hedges = c.hedges;
  out.breaker_rejections = c.breaker_rejections;
  out.bulkhead_capacity = bulkhead_.capacity();
  out.bulkhead_in_use = bulkhead_.in_use();
  out.bulkhead_waiting = static_cast<int>(bulkhead_.waiting());
  out.bulkhead_rejected = c.bulkhead_rejected;
  out.in_progress = live_count_;
  c.durations.fill(out.request_duration);

  out.authorities.clear();
  authorities_.for_each([&](const AuthorityState& a) {
    AuthorityStats s;
    s.authority = a.name;
    s.breaker_state = a.breaker != nullptr     ? a.breaker->state(now_)
                      : breaker_per_authority_ ? CircuitState::Closed
                                               : breaker_.state(now_);
    s.in_flight = a.in_flight;
    s.concurrency_limit = a.limit != nullptr ? a.limit->limit() : 0;
    s.requests = a.counters.requests;
    s.successes = a.counters.successes;
    s.failures = a.counters.failures;
    s.attempts = a.counters.attempts;
    s.retries = a.counters.retries;
    s.hedges = a.counters.hedges;
    s.retry_budget_exhausted = a.counters.retry_budget_exhausted;
    s.breaker_rejections = a.counters.breaker_rejections;
    out.authorities.push_back(std::move(s));
  });
  std::sort(
      out.authorities.begin(), out.authorities.end(),
      [](const AuthorityStats& x, const AuthorityStats& y) { return x.authority < y.authority; });
}

}  // namespace rhc::detail
