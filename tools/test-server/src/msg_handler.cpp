#include "msg_handler.hpp"

#include <optional>
#include <stdexcept>
#include <string>

#include "fault_params.hpp"
#include "fault_responses.hpp"
#include "json_bodies.hpp"
#include "request_id.hpp"

namespace rhc::test_server::detail {
namespace {

constexpr const char* kJson = "application/json";

// Keeps msg_in_flight right however the handler leaves.
class InFlight {
 public:
  explicit InFlight(StatsRecorder& stats) : stats_(stats) {}
  ~InFlight() { stats_.end_msg(); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  StatsRecorder& stats_;
};

}  // namespace

MsgHandler::MsgHandler(FaultInjector& faults, SlownessInjector& slowness, StatsRecorder& stats,
                       MessageStore& messages, const StopSignal& stop,
                       std::chrono::milliseconds max_delay)
    : faults_(faults),
      slowness_(slowness),
      stats_(stats),
      messages_(messages),
      stop_(stop),
      max_delay_(max_delay) {}

void MsgHandler::operator()(const httplib::Request& request, httplib::Response& response) const {
  MsgEcho echo{request.method, request_id_of(request)};
  echo.attempt = stats_.begin_msg(echo.request_id);
  InFlight in_flight(stats_);

  std::chrono::milliseconds delay;
  try {
    delay = parse_millis(request.params, "delay", max_delay_);
  } catch (const std::invalid_argument& bad) {
    response.status = 400;
    response.set_content(error_json(bad.what()), kJson);
    return;
  }
  echo.delay_ms = delay.count();

  // Decided before any wait, so that chaos and slowness follow arrival order, not finish order.
  const std::optional<Fault> fault = faults_.next();
  const std::optional<std::chrono::milliseconds> slow = slowness_.next(echo.attempt);
  if (slow) stats_.count_slowed();

  // Two waits rather than one of their sum, which a huge Slowness delay could overflow.
  if ((slow && slow->count() > 0 && stop_.wait_for(*slow)) ||
      (delay.count() > 0 && stop_.wait_for(delay))) {
    reset_connection();
    return;
  }

  if (!fault || fault->kind == FaultKind::slow_body) {
    const MessageOutcome outcome = messages_.succeed(echo.request_id);
    stats_.count_success(outcome.replayed);
    std::string body = msg_success_json(echo, outcome.message_id, outcome.replayed);
    if (!fault) {
      response.set_content(body, kJson);
      return;
    }
    stats_.count_fault(*fault);
    answer_slowly(response, *fault, std::move(body), stop_);
    return;
  }

  stats_.count_fault(*fault);
  answer_with_failure(response, *fault, msg_fault_json(echo, *fault), stop_);
}

}  // namespace rhc::test_server::detail
