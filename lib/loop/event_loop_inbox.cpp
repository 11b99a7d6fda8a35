// The caller threads' side of the event loop: what they hand it through the inbox
// (submissions, cancels, the books of refusals made on their own thread, stats requests),
// close(), and the loop's side of the same inbox: draining it each turn, and looking at it
// once more before sleeping so that nobody has to wake a loop that is awake.
#include <utility>

#include "chain/body_stream.hpp"
#include "loop/curl_calls.hpp"
#include "loop/event_loop.hpp"

namespace rhc::detail {

bool EventLoop::post(Command command, bool lazy) {
  bool wake;
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    if (!accepting_) return false;
    inbox_.push_back(std::move(command));
    // A sleeping loop is woken by the first command only: it has not swapped the inbox yet,
    // so it will see the others too. One wake-up per batch, none while it is awake.
    wake = !wake_pending_ && (!lazy || inbox_.size() >= kLazyRefusals);
    if (wake) wake_pending_ = true;
  }
  if (wake) curl_multi_wakeup(multi_);
  return true;
}

bool EventLoop::submit(RequestPtr request) {
  request->cancel_sink = this;
  return post(Command{Command::Kind::Submit, std::move(request)});
}

void EventLoop::post_cancel(RequestPtr request) {
  post(Command{Command::Kind::Cancel, std::move(request)});
}

void EventLoop::close() {
  std::lock_guard<std::mutex> serial(close_mutex_);
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    accepting_ = false;
    close_requested_ = true;
  }
  curl_multi_wakeup(multi_);
  if (thread_.joinable()) thread_.join();
}

CircuitState EventLoop::circuit_state(const std::string& authority) const {
  return chain_.circuit_state(authority, Clock::now());
}

bool EventLoop::refused_at_once(const Request& request) const {
  return chain_.refused_at_once(request.authority, Clock::now());
}

void EventLoop::account_refusal(RequestPtr request, Duration elapsed) {
  // Listeners want their events now; the counters can wait for the loop's next turn.
  const bool lazy = !events_.wanted();
  post(Command{Command::Kind::Refused, std::move(request), nullptr, elapsed}, lazy);
}

bool EventLoop::drain_inbox() {
  bool closing;
  {
    std::lock_guard<std::mutex> lock(inbox_mutex_);
    draining_.swap(inbox_);
    // Awake from here until ready_to_sleep(), which looks at the inbox again: a command
    // posted meanwhile needs no wake-up (a write to libcurl's wake-up socket, and a read).
    wake_pending_ = true;
    closing = close_requested_;
  }
  for (Command& c : draining_) {
    switch (c.kind) {
      case Command::Kind::Submit:
        chain_.submit(std::move(c.request));
        break;
      case Command::Kind::Cancel:
        chain_.cancel(*c.request);
        break;
      case Command::Kind::Resume:
        resume_body(*c.request);
        break;
      case Command::Kind::SinkFailed:
        chain_.abort(*c.request, *c.request->body_stream->failure());
        break;
      case Command::Kind::Refused:
        chain_.account_refusal(*c.request, c.elapsed);
        break;
      case Command::Kind::Stats:
        try {
          c.stats->set_value(snapshot());
        } catch (...) {  // out of memory: the caller gets the exception, not a hang
          c.stats->set_exception(std::current_exception());
        }
        break;
    }
  }
  draining_.clear();
  return !closing;
}

bool EventLoop::ready_to_sleep() {
  std::lock_guard<std::mutex> lock(inbox_mutex_);
  if (!inbox_.empty()) return false;  // posted while the loop was awake: take it now
  wake_pending_ = false;              // from here on, a post wakes the loop
  return true;
}

ClientStats EventLoop::stats() {
  // The loop thread itself (a log sink asking): build it here, the loop is between steps.
  if (std::this_thread::get_id() == loop_thread_id_) return snapshot();
  std::promise<ClientStats> result;
  std::future<ClientStats> ready = result.get_future();
  if (post(Command{Command::Kind::Stats, nullptr, &result})) return ready.get();
  // close() has begun: the loop's last snapshot, once it has exited.
  std::lock_guard<std::mutex> serial(close_mutex_);
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(final_mutex_);
  return final_stats_;
}

}  // namespace rhc::detail
