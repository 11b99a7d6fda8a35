#include "chain/chain.hpp"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "chain/delivery.hpp"
#include "http/retry_after.hpp"
#include "logging/logger.hpp"

namespace rhc::detail {
namespace {

Failure timeout_failure(TimeoutKind which, Seconds limit) {
  Failure f = Failure::of(ErrorKind::Timeout, "exceeded " + std::to_string(limit.count()) + " s");
  f.timeout = which;
  return f;
}

long long millis(Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace

Chain::Chain(const ClientConfig& config, Transport& transport, TimerQueue& timers,
             Delivery& delivery, const Logger& logger, UniformRandom random, const TimePoint& now,
             EventLog& events)
    : config_(config),
      transport_(transport),
      timers_(timers),
      delivery_(delivery),
      logger_(logger),
      now_(now),
      breaker_per_authority_(config.circuit_breaker.scope == BreakerScope::Authority),
      breaker_(config.circuit_breaker,
               [this](CircuitState from, CircuitState to) {
                 RHC_LOG(logger_, to == CircuitState::Open ? Severity::Warning : Severity::Info, "")
                     << "circuit breaker " << to_string(from) << " -> " << to_string(to);
                 report_breaker_transition({}, from, to);
               }),
      bulkhead_(config.bulkhead),
      retry_(config.retry, std::move(random)),
      authorities_(config,
                   [this, &config](AuthorityState& a) {
                     if (config.circuit_breaker.scope == BreakerScope::Authority) {
                       a.breaker = make_authority_breaker(a.name);
                     }
                     if (config.hedging.enabled && config.hedging.delay_percentile > 0) {
                       a.latencies = std::make_unique<LatencyTracker>();
                     }
                     if (config.bulkhead.adaptive.enabled) {
                       a.limit = std::make_unique<AdaptiveLimit>(config.bulkhead.adaptive,
                                                                 config.bulkhead.max_concurrency);
                     }
                   }),
      adaptive_(config.bulkhead.adaptive.enabled),
      events_(events) {}

std::unique_ptr<CircuitBreaker> Chain::make_authority_breaker(const std::string& authority) {
  return std::make_unique<CircuitBreaker>(
      config_.circuit_breaker, [this, authority](CircuitState from, CircuitState to) {
        RHC_LOG(logger_, to == CircuitState::Open ? Severity::Warning : Severity::Info, "")
            << "circuit breaker for " << authority << " " << to_string(from) << " -> "
            << to_string(to);
        report_breaker_transition(authority, from, to);
      });
}

CircuitState Chain::circuit_state(const std::string& authority, TimePoint now) const {
  if (!breaker_per_authority_) return breaker_.state(now);
  return authorities_.breaker_state(authority, now).value_or(CircuitState::Closed);
}

Chain::~Chain() { timers_.cancel(hold_timer_); }

void Chain::submit(RequestPtr pointer) {
  Request& r = *pointer;
  r.chain = this;
  r.self = std::move(pointer);
  link_live(r);
  r.authority_state = &authorities_.acquire(r.authority, now_);

  // A token only the request holds (the default one) can never be cancelled: no need to
  // listen to it. Otherwise the caller kept a copy, and the request subscribes.
  if (r.cancel_state != nullptr && r.cancel_state.use_count() > 1) {
    r.cancel_subscribed = r.cancel_state->subscribe(&r);
    if (!r.cancel_subscribed) {
      fail(r, Failure::of(ErrorKind::Cancelled, "cancelled before it started"));
      return;
    }
  }
  if (r.timeouts.total.count() > 0) {
    // The total budget counts from the caller's call, so time spent in the submission queue
    // is not free.
    r.deadline = r.submitted + to_duration(r.timeouts.total);
    if (!(now_ < *r.deadline)) {
      fail(r, timeout_failure(TimeoutKind::Total, r.timeouts.total));
      return;
    }
    timers_.schedule(r.deadline_timer, *r.deadline);
  }
  r.breaker = breaker_per_authority_ ? r.authority_state->breaker.get() : &breaker_;
  r.ticket = r.breaker->admit_ticket(now_);
  if (r.ticket.admission == Admission::Rejected) {
    RHC_LOG(logger_, Severity::Debug, r.request_id) << "rejected: circuit breaker is open";
    report_breaker_rejected(r);
    fail(r, Failure::of(ErrorKind::CircuitOpen, "Circuit breaker is OPEN; no request was sent"));
    return;
  }
  admit_to_bulkhead(r);
}

void Chain::admit_to_bulkhead(Request& r) {
  // With adaptive limits nobody in line could start (start_waiters() keeps it so), so a
  // newcomer whose authority has room takes a free slot past them; else the line is FIFO.
  if (adaptive_ ? can_start(r) && bulkhead_.take_free_slot() : bulkhead_.try_acquire()) {
    grant_slot(r);
    begin_attempt(r);
    return;
  }
  if (config_.bulkhead.acquisition_timeout.count() <= 0) {
    RHC_LOG(logger_, Severity::Warning, r.request_id)
        << "bulkhead full (" << bulkhead_.capacity() << " slots), acquisition_timeout is 0";
    report_bulkhead(r, EventKind::BulkheadRejected);
    fail(r, Failure::of(ErrorKind::PoolTimeout, "no bulkhead slot free"));
    return;
  }
  RHC_LOG(logger_, Severity::Debug, r.request_id)
      << "waiting for a bulkhead slot (" << bulkhead_.waiting() << " ahead)";
  r.waiter_id = next_waiter_id_++;
  r.queued_at = now_;
  report_bulkhead(r, EventKind::BulkheadQueued);
  bulkhead_.enqueue(r.waiter_id);
  waiting_.emplace(r.waiter_id, &r);
  if (const auto& limit = r.authority_state->limit; limit != nullptr && limit->held(now_)) {
    // Waiting out a Retry-After: be woken when it ends, if nothing earlier will.
    const TimePoint end = *limit->hold_end();
    if (!hold_timer_.armed() || end < hold_timer_.due()) timers_.schedule(hold_timer_, end);
    holds_set_ = true;
  }
  r.stage = Request::Stage::WaitingForSlot;
  timers_.schedule(r.wait_timer, now_ + to_duration(config_.bulkhead.acquisition_timeout));
}

int Chain::max_attempts(const Request& r) const {
  return r.max_attempts > 0 ? r.max_attempts : config_.retry.max_attempts;
}

void Chain::begin_attempt(Request& r) {
  r.hedges = 0;  // max_hedged_attempts bounds the attempts running next to this one
  start_on_free_lane(r, false);
  if (r.hedgeable) arm_hedge_timer(r);
}

int Chain::start_on_free_lane(Request& r, bool fresh_connection) {
  int lane = 0;
  while (r.lanes[static_cast<std::size_t>(lane)].busy) ++lane;  // callers know one is free
  Request::Lane& l = r.lanes[static_cast<std::size_t>(lane)];
  ++r.attempts;
  l.busy = true;
  l.attempt = r.attempts;
  l.started = r.attempt_started = now_;
  if (const auto& limit = r.authority_state->limit) l.limit_generation = limit->generation();
  ++r.lanes_busy;
  if (r.attempts == 1) r.authority_state->budget.record_first_attempt(now_);
  RHC_LOG(logger_, Severity::Debug, r.request_id)
      << r.method << " " << r.loggable_url() << " attempt " << r.attempts;
  report_attempt_start(r);
  r.stage = Request::Stage::InFlight;
  // The attempts left, this one included: the transport refuses a re-send beyond them.
  // libcurl re-sends only after the request went out, so a request that may not be retried
  // once sent (method safety) gets no re-send at all.
  const bool may_resend = r.idempotent || config_.retry.unsafe_methods == UnsafeRetry::Always;
  transport_.start_attempt(r, lane, may_resend ? std::max(1, max_attempts(r) - r.attempts + 1) : 1,
                           fresh_connection);
  return lane;
}

std::optional<Chain::Suppressed> Chain::retry_refusal(Request& r, Failure& f, Reach reach) {
  const bool not_processed = reach == Reach::NotSent;
  if (!r.idempotent && config_.retry.unsafe_methods != UnsafeRetry::Always) {
    // The server's explicit refusals say it did not act on the request.
    const int status = f.response != nullptr ? f.response->status_code : 0;
    const bool refused = status == 408 || status == 429 ||
                         (status == 503 && f.response->header("Retry-After").has_value());
    if (config_.retry.unsafe_methods == UnsafeRetry::Never || !(not_processed || refused)) {
      f.cause += "; not retried: " + r.method + " is not idempotent (retry.unsafe_methods = " +
                 to_string(config_.retry.unsafe_methods) +
                 (config_.retry.unsafe_methods == UnsafeRetry::Never
                      ? ")"
                      : ", and the request may have been processed)");
      return Suppressed::UnsafeMethod;
    }
  }
  // A retry of an attempt that never reached the server adds no load to it: exempt.
  if (!not_processed && !r.authority_state->budget.try_charge_retry(now_)) {
    RHC_LOG(logger_, Severity::Warning, r.request_id)
        << "retry budget exhausted for " << r.authority << "; not retrying";
    f.cause += "; retry budget exhausted for " + r.authority + ", not retrying";
    return Suppressed::Budget;
  }
  return std::nullopt;
}

void Chain::on_attempt_done(Request& r, int lane, AttemptOutcome outcome) {
  Request::Lane& l = r.lanes[static_cast<std::size_t>(lane)];
  l.busy = false;
  --r.lanes_busy;
  r.attempts += outcome.resends;
  counters_.attempts += static_cast<unsigned>(outcome.resends);
  r.authority_state->counters.attempts += static_cast<unsigned>(outcome.resends);
  r.last_transfer = now_ - l.started;
  const Reach reach = outcome.reach;
  r.stage = Request::Stage::Deciding;
  if (events_.wanted()) {
    const Failure* f = std::get_if<Failure>(&outcome.result);
    const int status = f == nullptr             ? std::get<Response>(outcome.result).status_code
                       : f->response != nullptr ? f->response->status_code
                                                : 0;
    report_attempt_end(r, l.attempt, f, status, r.last_transfer);
  }
  if (outcome.ok()) {
    if (adaptive_) adapt_limit(r, l, outcome, std::nullopt);
    if (LatencyTracker* latencies = r.authority_state->latencies.get()) {
      latencies->record(r.last_transfer);
    }
    finish(r, std::move(outcome.result));
    return;
  }
  Failure& f = std::get<Failure>(outcome.result);
  std::optional<Duration> retry_after;
  if (f.response != nullptr && (f.response->status_code == 429 || f.response->status_code == 503)) {
    if (auto value = f.response->header("Retry-After")) {
      retry_after = parse_retry_after(*value, std::chrono::system_clock::now());
    }
  }
  if (adaptive_) adapt_limit(r, l, outcome, retry_after);
  if (r.lanes_busy > 0) {
    // A hedged request with attempts still running: a failure worth retrying does not end
    // it (one of the others may yet answer), and starts a hedge at once if one is allowed.
    // Any other answer (a 4xx) is final, as it would be alone.
    if (is_retryable(f.kind)) {
      r.stage = Request::Stage::InFlight;
      hedge_now(r, "attempt " + std::to_string(l.attempt) + " failed: " + f.cause);
      return;
    }
    fail(r, std::move(f));
    return;
  }
  timers_.cancel(r.hedge_timer);
  if (r.body_committed) {
    // Part of a streamed body was handed out: another attempt would hand it out again.
    if (is_retryable(f.kind)) {
      f.cause += "; not retried: part of the body was already streamed";
      report_suppressed(r, f, Suppressed::Committed);
    }
    fail(r, std::move(f));
    return;
  }
  const RetryDecision d = retry_.decide(r.attempts, max_attempts(r), is_retryable(f.kind),
                                        retry_after, r.deadline, now_);
  if (d.retry) {
    if (const std::optional<Suppressed> refusal = retry_refusal(r, f, reach)) {
      report_suppressed(r, f, *refusal);
      fail(r, std::move(f));
      return;
    }
  } else {
    switch (d.reason) {
      case GiveUpReason::RetryAfterTooLong:
        f.cause += "; Retry-After asks for more than max_wait, not retrying";
        report_suppressed(r, f, Suppressed::RetryAfter);
        break;
      case GiveUpReason::DeadlineReached:
        f.cause += "; no time left in timeout.total for another attempt";
        report_suppressed(r, f, Suppressed::Deadline);
        break;
      case GiveUpReason::Exhausted:
        report_suppressed(r, f, Suppressed::Attempts);
        break;
      case GiveUpReason::NotRetryable:
        break;
    }
    fail(r, std::move(f));
    return;
  }
  RHC_LOG(logger_, Severity::Info, r.request_id)
      << r.method << " " << r.loggable_url() << " attempt " << r.attempts << " failed (" << f.cause
      << "); retrying in " << millis(d.wait) << " ms";
  report_retry(r, f, d.wait);
  r.stage = Request::Stage::BackingOff;
  timers_.schedule(r.wait_timer, now_ + d.wait);
}

void Chain::on_timer(Request& r, Timer& timer) {
  switch (timer.tag()) {
    case Request::kWaitTimer:
      if (r.stage == Request::Stage::WaitingForSlot) {
        RHC_LOG(logger_, Severity::Warning, r.request_id)
            << "no bulkhead slot within " << config_.bulkhead.acquisition_timeout.count() << " s ("
            << bulkhead_.capacity() << " slots, " << bulkhead_.waiting() << " waiting)";
        report_bulkhead(r, EventKind::BulkheadRejected);
        fail(r,
             Failure::of(ErrorKind::PoolTimeout,
                         "no bulkhead slot within acquisition_timeout (" +
                             std::to_string(config_.bulkhead.acquisition_timeout.count()) + " s)"));
      } else if (r.stage == Request::Stage::BackingOff) {
        begin_attempt(r);
      }
      break;
    case Request::kDeadlineTimer:
      fail(r, timeout_failure(TimeoutKind::Total, r.timeouts.total));
      break;
    case Request::kHedgeTimer:
      on_hedge_timer(r);
      break;
  }
}

void Chain::cancel(Request& r) {
  if (r.stage == Request::Stage::Done) return;
  RHC_LOG(logger_, Severity::Debug, r.request_id) << "cancelled";
  fail(r, Failure::of(ErrorKind::Cancelled, "cancelled by its CancelToken"));
}

void Chain::abort(Request& r, Failure failure) {
  if (r.stage == Request::Stage::Done) return;
  fail(r, std::move(failure));
}

void Chain::close_all() {
  closing_ = true;
  while (live_head_ != nullptr) {
    fail(*live_head_, Failure::of(ErrorKind::ClientClosed, "client closed"));
  }
}

void Chain::fail(Request& r, Failure failure) { finish(r, std::move(failure)); }

void Chain::leave_current_stage(Request& r) {
  switch (r.stage) {
    case Request::Stage::WaitingForSlot:
      bulkhead_.remove(r.waiter_id);
      waiting_.erase(r.waiter_id);
      break;
    default:
      break;
  }
  // Attempts still running: the request was cut short (cancelled, timed out, closed), or
  // another attempt won. They leave the transport at once.
  for (int lane = 0; r.lanes_busy > 0 && lane < Request::kMaxLanes; ++lane) {
    Request::Lane& l = r.lanes[static_cast<std::size_t>(lane)];
    if (!l.busy) continue;
    const int resends = transport_.abort_attempt(r, lane);
    l.busy = false;
    --r.lanes_busy;
    r.attempts += resends;
    counters_.attempts += static_cast<unsigned>(resends);
    r.authority_state->counters.attempts += static_cast<unsigned>(resends);
  }
  timers_.cancel(r.wait_timer);
  timers_.cancel(r.deadline_timer);
  timers_.cancel(r.hedge_timer);
}

void Chain::finish(Request& r, std::variant<Response, Failure> result) {
  const Duration transfer =
      r.stage == Request::Stage::InFlight ? now_ - r.attempt_started : r.last_transfer;
  Failure* failure = std::get_if<Failure>(&result);
  const int status = failure == nullptr             ? std::get<Response>(result).status_code
                     : failure->response != nullptr ? failure->response->status_code
                                                    : 0;
  // Attempts still on the wire end with the request: cut short with it (cancelled, timed
  // out, closed), or, when the request has its answer, stopped as losers.
  if (r.lanes_busy > 0 && events_.wanted()) report_unfinished_attempts(r, failure);
  leave_current_stage(r);
  r.stage = Request::Stage::Done;
  RequestPtr keep = std::move(r.self);  // r must outlive this function
  unlink_live(r);

  if (r.cancel_subscribed) r.cancel_state->unsubscribe(&r);

  if (r.ticket.admission != Admission::Rejected) {
    Verdict verdict = Verdict::Success;
    if (failure != nullptr) {
      switch (breaker_count(failure->kind)) {
        case BreakerCount::Failure:
          verdict = Verdict::Failure;
          break;
        case BreakerCount::Success:
          verdict = Verdict::Success;
          break;
        case BreakerCount::Ignored:
          verdict = Verdict::Ignored;
          break;
      }
    }
    // A slow call is one whose final attempt was slow on the transport: backoff and waiting
    // for a bulkhead slot never count.
    r.breaker->record(r.ticket, verdict, now_, transfer);
  }
  report_end(r, failure, status, now_ - r.submitted);  // before its slot starts someone else
  if (r.holds_slot) {
    r.holds_slot = false;
    --r.authority_state->in_flight;
    hand_slot_on();
  }
  if (r.authority_state != nullptr) {
    authorities_.release(*r.authority_state, now_);
    r.authority_state = nullptr;
  }

  if (failure == nullptr) {
    Response& response = std::get<Response>(result);
    response.elapsed = now_ - r.submitted;
    response.request_id = r.request_id;
    response.attempts = r.attempts;
    RHC_LOG(logger_, Severity::Debug, r.request_id)
        << r.method << " " << r.loggable_url() << " -> " << response.status_code << " in "
        << millis(now_ - r.submitted) << " ms, " << r.attempts << " attempt(s)";
    delivery_.succeed(r, std::move(response));
  } else {
    if (failure->kind != ErrorKind::Cancelled && failure->kind != ErrorKind::ClientClosed) {
      RHC_LOG(logger_, Severity::Debug, r.request_id)
          << r.method << " " << r.loggable_url() << " failed after " << r.attempts
          << " attempt(s): " << failure->cause;
    }
    delivery_.fail(r, *failure);
  }
}

void Chain::hand_slot_on() {
  if (adaptive_) {
    bulkhead_.release_slot();
    start_waiters();
    return;
  }
  // release() passes the slot straight to the first waiter, if any: FIFO, and no request
  // arriving meanwhile can jump the line. A waiter the chain no longer knows (never expected:
  // leaving the line always goes through leave_current_stage) passes it on again.
  while (std::optional<Bulkhead::WaiterId> next = bulkhead_.release()) {
    auto it = waiting_.find(*next);
    if (it == waiting_.end()) continue;
    start_waiter(it);
    return;
  }
}

void Chain::start_waiter(WaitingMap::iterator it) {
  Request& w = *it->second;
  waiting_.erase(it);
  timers_.cancel(w.wait_timer);
  grant_slot(w);
  w.stage = Request::Stage::Deciding;
  if (!closing_) begin_attempt(w);
}

void Chain::link_live(Request& r) {
  r.live_prev = nullptr;
  r.live_next = live_head_;
  if (live_head_ != nullptr) live_head_->live_prev = &r;
  live_head_ = &r;
  ++live_count_;
}

void Chain::unlink_live(Request& r) {
  if (r.live_prev != nullptr)
    r.live_prev->live_next = r.live_next;
  else
    live_head_ = r.live_next;
  if (r.live_next != nullptr) r.live_next->live_prev = r.live_prev;
  r.live_prev = r.live_next = nullptr;
  --live_count_;
}

}  // namespace rhc::detail
