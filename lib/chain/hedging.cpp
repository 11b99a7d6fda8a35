// Hedging (HedgingConfig, docs/hedging.md): a second attempt next to a slow first one, the
// first good answer wins. Members of Chain; the lanes they start run through the same
// attempt path as any other attempt (chain.cpp), and leave_current_stage() stops the losers.
#include <algorithm>
#include <chrono>
#include <string>

#include "chain/chain.hpp"
#include "config/field_table.hpp"
#include "logging/logger.hpp"

namespace rhc::detail {

// The tracker keeps at least one whole generation once warm: min_samples must fit in it, or
// the adaptive delay would switch itself off whenever a generation is dropped.
static_assert(config::kMaxHedgingMinSamples <= LatencyTracker::kGeneration);

Duration Chain::hedge_delay(const Request& r) const {
  const HedgingConfig& h = config_.hedging;
  const Duration floor = to_duration(h.delay);
  const LatencyTracker* latencies = r.authority_state->latencies.get();
  if (latencies == nullptr || latencies->samples() < static_cast<std::uint32_t>(h.min_samples)) {
    return floor;
  }
  return std::max(floor, latencies->quantile(h.delay_percentile).value_or(floor));
}

void Chain::arm_hedge_timer(Request& r) {
  if (r.hedges >= config_.hedging.max_hedged_attempts) return;
  timers_.schedule(r.hedge_timer, r.attempt_started + hedge_delay(r));
}

void Chain::on_hedge_timer(Request& r) {
  if (r.stage != Request::Stage::InFlight) return;
  // An attempt with a response head is answering: a hedge could only add load. (If that
  // answer turns out to be a failure, hedge_now() runs then.)
  for (int lane = 0; lane < Request::kMaxLanes; ++lane) {
    if (r.lanes[static_cast<std::size_t>(lane)].busy && transport_.answered(r, lane)) return;
  }
  const auto waited =
      std::chrono::duration_cast<std::chrono::milliseconds>(now_ - r.attempt_started);
  if (hedge_now(r, "no response head after " + std::to_string(waited.count()) + " ms")) {
    arm_hedge_timer(r);
  }
}

bool Chain::hedge_now(Request& r, const std::string& why) {
  if (!r.hedgeable || r.hedges >= config_.hedging.max_hedged_attempts ||
      r.lanes_busy >= Request::kMaxLanes || r.attempts >= max_attempts(r) || closing_) {
    return false;
  }
  if (r.deadline && !(now_ < *r.deadline)) return false;
  // Every hedge is extra load on the server, as a retry is: the same budget pays for both.
  if (!r.authority_state->budget.try_charge_retry(now_)) {
    RHC_LOG(logger_, Severity::Debug, r.request_id)
        << "retry budget exhausted for " << r.authority << "; no hedge";
    report_hedge_refused(r);
    return false;
  }
  // Over HTTP/2 every attempt would share the first one's connection, and so its server:
  // a hedge asks for a connection of its own.
  bool fresh = false;
  for (int lane = 0; lane < Request::kMaxLanes; ++lane) {
    if (r.lanes[static_cast<std::size_t>(lane)].busy && transport_.multiplexed(r, lane))
      fresh = true;
  }
  ++r.hedges;
  RHC_LOG(logger_, Severity::Debug, r.request_id) << "hedging: " << why;
  report_hedge(r, why);
  start_on_free_lane(r, fresh);
  return true;
}

}  // namespace rhc::detail
