// The API edge: where an outcome value leaves the chain and becomes a fulfilled future or a
// callback run on the executor. The only place that turns a Failure into an exception.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <rhc/client.hpp>

#include "errors/classify.hpp"

namespace rhc::detail {

class Logger;
class Request;
class ThreadPool;

class Delivery {
 public:
  // Immediate: each outcome is handed over as it comes (requests refused on the caller's
  // thread; the chain's unit tests). Batched: the event loop's; outcomes wait for flush(),
  // which it calls once per loop turn.
  enum class Mode { Immediate, Batched };

  // executor may be null: callbacks then run inline (unit tests only). The logger is
  // copied: a callback may outlive the client (it may be the one that destroys it).
  Delivery(ThreadPool* executor, const Logger& logger, Mode mode = Mode::Immediate);

  // Loop thread (or the caller's, for requests refused before submission). Each request is
  // delivered exactly once. The request may be destroyed as soon as these return.
  void succeed(Request& request, Response response);
  void fail(Request& request, const Failure& failure);

  // Batched mode: hands over everything finished since the last flush. Callbacks go to the
  // executor as one batch (one lock, one wake-up, not one per request). Promises are
  // fulfilled newest first: a caller blocked in future::get() usually waits for the oldest
  // of its requests, and waking it last lets it find every other request of this turn
  // already done, instead of being woken, and switched to, once per request.
  void flush();

 private:
  struct Ready {
    std::promise<Response> promise;  // the future form
    Callback callback;               // the callback form, when set
    Outcome outcome;
    std::string request_id;      // for the log line of a throwing callback
    bool callback_form = false;  // (callback is moved out when its job is made)
  };

  void hand_over(Request& request, Outcome outcome);
  // A streamed body's outcome: handed over on the executor after the body's last chunk,
  // through the request's BodyStream, and replaced by what the sink threw, if it did.
  void hand_over_after_body(Request& request, Ready&& ready);
  static std::function<void()> callback_job(Ready&& ready, std::shared_ptr<const Logger> logger);
  static void fulfil(Ready& ready);

  ThreadPool* executor_;
  std::shared_ptr<const Logger> logger_;
  const Mode mode_;
  std::vector<Ready> ready_;                 // batched mode: waiting for flush()
  std::vector<std::function<void()>> jobs_;  // flush()'s batch for the executor, reused
};

}  // namespace rhc::detail
