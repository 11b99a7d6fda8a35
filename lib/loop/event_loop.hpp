// THE thread that owns the CURLM handle and every easy handle: it runs the chain, the
// timers and every transfer. Other threads only hand it work through the inbox and wake it
// with curl_multi_wakeup, the one libcurl call that is safe from another thread.
//
//   caller threads ──submit/cancel──▶ inbox ──▶ loop thread: chain → curl multi
//                                                  │
//                              futures fulfilled ◀─┴─▶ callbacks posted to the executor
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <cstddef>
#include <future>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include <rhc/config.hpp>

#include "chain/chain.hpp"
#include "chain/delivery.hpp"
#include "chain/request.hpp"
#include "chain/transport.hpp"
#include "loop/easy_setup.hpp"
#include "loop/transfer.hpp"
#include "observe/event_dispatcher.hpp"
#include "observe/event_log.hpp"
#include "timers/timer_queue.hpp"

namespace rhc::detail {

class Logger;
class ThreadPool;

class EventLoop final : public Transport, public CancelSink, public StallWatcher {
 public:
  // Events made on the loop go to `events` (which must outlive the loop).
  EventLoop(const ClientConfig& config, const Logger& logger, ThreadPool& executor,
            EventDispatcher& events);
  ~EventLoop();  // = close()
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Any thread. False once close() has begun: the caller then resolves the request itself.
  bool submit(RequestPtr request);
  // Any thread: every live request ends with ClientClosedError, then the loop thread exits
  // and is joined. Idempotent.
  void close();

  CircuitState circuit_state(const std::string& authority) const;
  // Any thread (the caller's): fail fast. True when the breaker that judges `request` is
  // open: the caller refuses it itself, without a round trip to the loop, and hands it to
  // account_refusal() for the books. Half-open admission stays the loop's.
  bool refused_at_once(const Request& request) const;
  // Any thread: the loop counts a request refused_at_once() refused, per authority too, and
  // reports its events. Without listeners the loop is not woken for it: it picks the
  // request up on its next turn (stats() orders after it), or at the latest when
  // kLazyRefusals of them wait.
  void account_refusal(RequestPtr request, Duration elapsed);
  // Any thread: a snapshot built by the loop thread between two of its steps (the caller
  // waits for it); after close(), the one the loop left as it exited.
  ClientStats stats();

  // Transport (loop thread).
  void start_attempt(Request& request, int lane, int sends_allowed, bool fresh_connection) override;
  int abort_attempt(Request& request, int lane) override;
  bool answered(const Request& request, int lane) const override;
  bool multiplexed(const Request& request, int lane) const override;
  // CancelSink (any thread).
  void post_cancel(RequestPtr request) override;
  // StallWatcher (loop thread): a transfer's stall timer fired.
  void on_stall_timer(Transfer& transfer) override;

 private:
  struct Command {
    // Resume and SinkFailed come from a streamed body's drain task (chain/body_stream.hpp).
    enum class Kind : unsigned char { Submit, Cancel, Stats, Resume, SinkFailed, Refused } kind;
    RequestPtr request;
    std::promise<ClientStats>* stats = nullptr;  // Stats: where the snapshot goes
    Duration elapsed{};                          // Refused: what its caller waited
  };
  static constexpr std::size_t kLazyRefusals = 64;

  void run();
  // Wakes the loop unless a wake-up is pending already (one per batch, not per command);
  // `lazy`: only when the inbox holds kLazyRefusals commands.
  bool post(Command command, bool lazy = false);
  bool drain_inbox();  // false once close was asked for
  // Before curl_multi_poll: false when commands arrived while the loop was awake (poll
  // without sleeping then); else the next post wakes the loop.
  bool ready_to_sleep();
  void reap_finished();
  void report_failed_starts();
  // The one way an attempt's outcome reaches the chain: the transfer's handle and stall
  // timer are let go, its re-sends counted in, and Chain::on_attempt_done called.
  void report(Transfer& transfer, std::variant<Response, Failure> result);
  // What ended a transfer that libcurl reports failed.
  Failure failure_of(const Transfer& transfer, CURLcode code) const;
  // The outcome of a transfer that ended with a final answer (no redirect to follow).
  std::variant<Response, Failure> answered(Transfer& transfer, long status);
  static bool has_location(const Transfer& transfer);
  // Follows a redirect: the attempt continues on a new transfer to where it points. The
  // failure that ends the attempt instead (too many redirects, a refused target).
  std::optional<Failure> start_next_hop(Transfer& transfer, long status);
  // The request's Transfer, made on its first attempt.
  Transfer& transfer_of(Request& request, int lane);
  // A streamed body's BodyStream, its sink and its hooks into this loop's inbox.
  std::shared_ptr<BodyStream> make_body_stream(Request& request);
  // The stream's consumer caught up: the transfer paused for it goes on, if it still runs.
  void resume_body(Request& request);
  // A handle configured for the transfer, added to the multi handle, its stall timer armed;
  // or why that could not be done.
  std::optional<Failure> add_handle(Transfer& transfer);
  void release_handle(Transfer& transfer);
  static void free_mime(Transfer& transfer);
  void time_out(Transfer& transfer, TimeoutKind which, Seconds limit);
  void arm_stall_timer(Transfer& transfer);
  int poll_timeout_ms();
  ClientStats snapshot() const;  // loop thread
  void publish_events();         // loop thread: the turn's events to the dispatcher

  const ClientConfig& config_;
  const Logger& logger_;
  ThreadPool& executor_;
  CURLM* multi_;
  TimePoint now_;
  TimerQueue timers_;
  EasySetup setup_;
  EasyPool pool_;
  Delivery delivery_;
  EventDispatcher& dispatcher_;
  EventLog events_;
  std::vector<EventRecord> event_batch_;  // publish_events()'s, reused
  Chain chain_;

  std::mutex inbox_mutex_;
  std::vector<Command> inbox_;     // guarded by inbox_mutex_
  bool accepting_ = true;          // guarded by inbox_mutex_
  bool wake_pending_ = false;      // guarded by inbox_mutex_: awake, or woken already
  bool close_requested_ = false;   // guarded by inbox_mutex_
  std::vector<Command> draining_;  // loop thread: the inbox's contents being handled
  // Loop thread: streamed bodies with bytes waiting for their first drain task, kicked at
  // the end of the turn (BodyStream::kick).
  std::vector<std::shared_ptr<BodyStream>> streams_to_kick_;
  void kick_streams();
  // Loop thread: attempts that could not start (the request and the lane).
  std::vector<std::pair<RequestPtr, int>> failed_starts_;

  std::mutex close_mutex_;  // serialises close() callers around the join
  std::thread thread_;
  std::thread::id loop_thread_id_;  // set once, before any other thread can call in
  std::mutex final_mutex_;
  ClientStats final_stats_;  // guarded by final_mutex_: the loop's last snapshot
};

}  // namespace rhc::detail
