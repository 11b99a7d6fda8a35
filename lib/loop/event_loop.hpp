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
#include <mutex>
#include <thread>
#include <vector>

#include <rhc/config.hpp>

#include "chain/chain.hpp"
#include "chain/delivery.hpp"
#include "chain/request.hpp"
#include "chain/transport.hpp"
#include "loop/easy_setup.hpp"
#include "loop/timer_queue.hpp"

namespace rhc::detail {

class Logger;
class ThreadPool;

class EventLoop final : public Transport, public CancelSink {
 public:
  EventLoop(const ClientConfig& config, const Logger& logger, ThreadPool& executor);
  ~EventLoop();  // = close()
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Any thread. False once close() has begun: the caller then resolves the request itself.
  bool submit(RequestPtr request);
  // Any thread: every live request ends with ClientClosedError, then the loop thread exits
  // and is joined. Idempotent.
  void close();

  CircuitState circuit_state() const;

  // Transport (loop thread).
  void start_attempt(Request& request) override;
  void abort_attempt(Request& request) override;
  void on_stall_timer(Request& request) override;
  // CancelSink (any thread).
  void post_cancel(RequestPtr request) override;

 private:
  struct Command {
    enum class Kind : unsigned char { Submit, Cancel } kind;
    RequestPtr request;
  };

  void run();
  bool post(Command command);
  bool drain_inbox();  // false once close was asked for
  void reap_finished();
  // The outcome of a transfer that ended with a final answer (no redirect to follow).
  AttemptOutcome answered(Request& request, long status);
  static bool has_location(const Transfer& transfer);
  // Follows a redirect: the attempt continues on a new transfer to where it points. The
  // failure that ends the attempt instead (too many redirects, a refused target).
  std::optional<Failure> start_next_hop(Request& request, long status);
  void fail_attempt(Request& request, TimeoutKind which, Seconds limit);
  void arm_stall_timer(Request& request);
  int poll_timeout_ms();

  const ClientConfig& config_;
  const Logger& logger_;
  CURLM* multi_;
  TimePoint now_;
  TimerQueue timers_;
  EasySetup setup_;
  EasyPool pool_;
  Delivery delivery_;
  Chain chain_;

  std::mutex inbox_mutex_;
  std::vector<Command> inbox_;   // guarded by inbox_mutex_
  bool accepting_ = true;        // guarded by inbox_mutex_
  bool close_requested_ = false; // guarded by inbox_mutex_
  std::vector<Command> draining_;  // loop thread: the inbox's contents being handled

  std::mutex close_mutex_;  // serialises close() callers around the join
  std::thread thread_;
};

}  // namespace rhc::detail
