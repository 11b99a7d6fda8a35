// The chain's admission with adaptive limits (BulkheadConfig::adaptive, docs/bulkhead.md
// "Adaptive concurrency"): whether a request's authority has room, the slot's books, who
// starts when room appears, and how each outcome moves the authority's limit. Members of
// Chain; split from chain.cpp only to keep each file about one thing.
#include <optional>
#include <variant>

#include "chain/chain.hpp"
#include "logging/logger.hpp"

namespace rhc::detail {

bool Chain::can_start(const Request& r) const {
  const AuthorityState& a = *r.authority_state;
  return a.limit == nullptr || a.limit->has_room(a.in_flight, now_);
}

void Chain::grant_slot(Request& r) {
  r.holds_slot = true;
  ++r.authority_state->in_flight;
}

void Chain::start_waiters() {
  while (std::optional<Bulkhead::WaiterId> id =
             bulkhead_.take_first_if([this](Bulkhead::WaiterId w) {
               auto it = waiting_.find(w);
               return it == waiting_.end() || can_start(*it->second);
             })) {
    auto it = waiting_.find(*id);
    if (it == waiting_.end()) {  // never expected (see hand_slot_on): pass the slot on
      bulkhead_.release_slot();
      continue;
    }
    start_waiter(it);
  }
  if (holds_set_) arm_hold_timer();
}

void Chain::adapt_limit(Request& r, const Request::Lane& lane, const AttemptOutcome& outcome,
                        std::optional<Duration> retry_after) {
  AdaptiveLimit& limit = *r.authority_state->limit;
  // A drop is the server shedding load (docs/bulkhead.md "Adaptive concurrency"): 429, 503,
  // a client timeout of the attempt, a connection that could not be made, or an attempt over
  // latency_threshold. Another answer is a success; other failures (a reset) say neither.
  bool drop = limit.is_slow(now_ - lane.started);
  bool success = false;
  if (const Failure* f = std::get_if<Failure>(&outcome.result)) {
    const int status = f->response != nullptr ? f->response->status_code : 0;
    drop = drop || AdaptiveLimit::is_drop_status(status) ||
           (f->kind == ErrorKind::Timeout && f->timeout != TimeoutKind::Pool &&
            f->timeout != TimeoutKind::Total) ||
           (f->kind == ErrorKind::Connection && outcome.reach == Reach::NotSent);
    success = !drop && status != 0;
    if (retry_after && !(to_duration(config_.retry.max_wait) < *retry_after)) {
      limit.hold_until(now_ + *retry_after);
      holds_set_ = true;
      arm_hold_timer();
    }
  } else {
    success = !drop;
  }
  const int before = limit.limit();
  if (drop) {
    if (limit.on_drop(lane.limit_generation)) {
      RHC_LOG(logger_, Severity::Info, r.request_id)
          << "concurrency limit for " << r.authority << " cut to " << limit.limit();
    }
  } else if (success && limit.on_success(r.authority_state->in_flight)) {
    report_limit(r, limit.limit());
    start_waiters();  // a waiter for this authority may now start
    return;
  }
  if (limit.limit() != before) report_limit(r, limit.limit());
}

void Chain::arm_hold_timer() {
  // The earliest hold still in force on a waiter's authority; nothing to do without one.
  std::optional<TimePoint> earliest;
  for (Bulkhead::WaiterId id : bulkhead_.line()) {
    auto it = waiting_.find(id);
    if (it == waiting_.end()) continue;
    const AdaptiveLimit* limit = it->second->authority_state->limit.get();
    if (limit == nullptr || !limit->held(now_)) continue;
    const TimePoint end = *limit->hold_end();
    if (!earliest || end < *earliest) earliest = end;
  }
  if (earliest) {
    timers_.schedule(hold_timer_, *earliest);
  } else {
    timers_.cancel(hold_timer_);
    holds_set_ = false;  // until the next Retry-After: no more scans of the line
  }
}

void Chain::HoldTimerHandler::on_timer(Timer&) { chain->start_waiters(); }

}  // namespace rhc::detail
