#include "chain/delivery.hpp"

#include <memory>
#include <utility>

#include "chain/request.hpp"
#include "exec/thread_pool.hpp"
#include "exec/unnested.hpp"
#include "logging/logger.hpp"

namespace rhc::detail {

Delivery::Delivery(ThreadPool* executor, const Logger& logger, Mode mode)
    : executor_(executor), logger_(std::make_shared<const Logger>(logger)), mode_(mode) {}

void Delivery::succeed(Request& request, Response response) {
  Outcome outcome;
  outcome.response = std::move(response);
  hand_over(request, std::move(outcome));
}

void Delivery::fail(Request& request, const Failure& failure) {
  ErrorContext context;
  context.request_id = request.request_id;
  context.attempts = request.attempts;
  context.method = request.method;
  context.url = request.loggable_url();
  Outcome outcome;
  outcome.error = make_exception(failure, std::move(context));
  hand_over(request, std::move(outcome));
}

void Delivery::hand_over(Request& request, Outcome outcome) {
  Ready ready;
  ready.promise = std::move(request.promise);
  ready.callback = std::move(request.callback);
  ready.outcome = std::move(outcome);
  ready.callback_form = static_cast<bool>(ready.callback);
  if (ready.callback_form) ready.request_id = request.request_id;
  if (mode_ == Mode::Batched) {
    ready_.push_back(std::move(ready));
    return;
  }
  if (!ready.callback_form) return fulfil(ready);
  auto job = callback_job(std::move(ready));
  if (executor_ != nullptr && executor_->post(job)) return;
  // The executor has stopped (the client is closing), or there is none (unit tests): run the
  // callback on this thread, but never inside another callback (exec/unnested.hpp says why).
  run_unnested(std::move(job));
}

void Delivery::flush() {
  if (ready_.empty()) return;
  for (Ready& ready : ready_) {
    if (ready.callback_form) jobs_.push_back(callback_job(std::move(ready)));  // leaves it empty
  }
  if (!jobs_.empty() && (executor_ == nullptr || !executor_->post_all(jobs_))) {
    // The executor is shutting down while a call raced close(): run them here instead of
    // dropping them.
    for (auto& job : jobs_) run_unnested(std::move(job));
    jobs_.clear();
  }
  for (auto it = ready_.rbegin(); it != ready_.rend(); ++it) {
    if (!it->callback_form) fulfil(*it);
  }
  ready_.clear();
}

void Delivery::fulfil(Ready& ready) {
  if (ready.outcome.response) {
    ready.promise.set_value(std::move(*ready.outcome.response));
  } else {
    ready.promise.set_exception(std::move(ready.outcome.error));
  }
}

std::function<void()> Delivery::callback_job(Ready&& ready) {
  // A throwing callback must not take down an executor thread or the loop: catch, log.
  // Held by a shared_ptr so that posting copies a pointer, not the response.
  auto pending = std::make_shared<Ready>(std::move(ready));
  return [pending, logger = logger_] {
    try {
      pending->callback(std::move(pending->outcome));
    } catch (const std::exception& e) {
      RHC_LOG(*logger, Severity::Error, pending->request_id) << "callback threw: " << e.what();
    } catch (...) {
      RHC_LOG(*logger, Severity::Error, pending->request_id)
          << "callback threw a non-std exception";
    }
  };
}

}  // namespace rhc::detail
