#include "hedge_log.hpp"

#include <chrono>
#include <string_view>

namespace rhc::bench::hedge {
namespace {

double to_ms(Seconds s) { return std::chrono::duration<double, std::milli>(s).count(); }

}  // namespace

void HedgeLog::on_event(const Event& e) {
  std::lock_guard<std::mutex> lock(mutex_);
  switch (e.kind) {
    case EventKind::AttemptEnd:
      // The client's tracker records the attempts that end with a response; the losers end
      // with CancelledError and are not recorded.
      if (e.error.empty()) {
        facts_.success_ms.push_back(to_ms(e.duration));
      } else if (std::string_view(e.reason).rfind("stopped", 0) == 0) {
        ++facts_.losers;
      }
      break;
    case EventKind::Hedge:
      // "no response head after N ms" from the timer; "attempt N failed: ..." otherwise.
      if (std::string_view(e.reason).rfind("no response head", 0) == 0) {
        (facts_.success_ms.size() < warm_up_samples_ ? facts_.warm_up_waits_ms
                                                     : facts_.later_waits_ms)
            .push_back(to_ms(e.wait));
      } else {
        ++facts_.failure_hedges;
      }
      break;
    default:
      break;
  }
}

HedgeFacts HedgeLog::facts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return facts_;
}

}  // namespace rhc::bench::hedge
