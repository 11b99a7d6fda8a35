// What a run's events say that ClientStats does not: the delay after which each hedge
// started (the Hedge event's `wait`, the time since the newest attempt began) and how many
// successful attempts the client had seen by then. The adaptive delay uses the floor until
// the authority's latency tracker holds min_samples successful attempts, so this tells the
// warm-up's hedges from the later ones, and whether the delay settled where the p95 of
// those attempts says it should.
#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include <rhc/events.hpp>

namespace rhc::bench::hedge {

struct HedgeFacts {
  std::vector<double> warm_up_waits_ms;  // timer hedges before warm_up_samples successes
  std::vector<double> later_waits_ms;    // timer hedges after
  long failure_hedges = 0;               // started at once because an attempt failed
  std::vector<double> success_ms;        // every successful attempt's time on the transport,
                                         // in the order they ended (what the tracker records)
  long losers = 0;                       // attempts stopped because another answered first
};

// A Listener for one client. The client delivers events on one thread, in order; read
// facts() after the client's close(), which delivers the events still queued. Timer hedges
// before `warm_up_samples` successful attempts are the warm-up's (hedging.min_samples for an
// adaptive delay, 0 for a fixed one).
class HedgeLog : public Listener {
 public:
  explicit HedgeLog(std::size_t warm_up_samples) : warm_up_samples_(warm_up_samples) {}

  void on_event(const Event& e) override;
  HedgeFacts facts() const;

 private:
  const std::size_t warm_up_samples_;
  mutable std::mutex mutex_;
  HedgeFacts facts_;
};

}  // namespace rhc::bench::hedge
