#include "chain/delivery.hpp"

#include <memory>
#include <utility>

#include "chain/body_sink.hpp"
#include "chain/body_stream.hpp"
#include "chain/request.hpp"
#include "exec/thread_pool.hpp"
#include "exec/unnested.hpp"
#include "logging/logger.hpp"

namespace rhc::detail {
namespace {

ErrorContext context_of(Request& request) {
  ErrorContext context;
  context.request_id = request.request_id;
  context.attempts = request.attempts;
  context.method = request.method;
  context.url = request.loggable_url();
  return context;
}

// What a body's sink threw, as the request's error: an output file's trouble becomes
// FileError with the request's context; anything else came from the caller's on_chunk and
// is handed back as it was thrown.
std::exception_ptr sink_error_of(std::exception_ptr thrown, ErrorContext context) {
  try {
    std::rethrow_exception(thrown);
  } catch (const FileProblem& problem) {
    return make_exception(Failure::of(ErrorKind::File, problem.what()), std::move(context));
  } catch (...) {
    return thrown;
  }
}

}  // namespace

Delivery::Delivery(ThreadPool* executor, const Logger& logger, Mode mode)
    : executor_(executor), logger_(std::make_shared<const Logger>(logger)), mode_(mode) {}

void Delivery::succeed(Request& request, Response response) {
  Outcome outcome;
  outcome.response = std::move(response);
  hand_over(request, std::move(outcome));
}

void Delivery::fail(Request& request, const Failure& failure) {
  Outcome outcome;
  outcome.error = make_exception(failure, context_of(request));
  hand_over(request, std::move(outcome));
}

void Delivery::hand_over(Request& request, Outcome outcome) {
  Ready ready;
  ready.promise = std::move(request.promise);
  ready.callback = std::move(request.callback);
  ready.outcome = std::move(outcome);
  ready.callback_form = static_cast<bool>(ready.callback);
  if (ready.callback_form) ready.request_id = request.request_id;
  if (request.body_stream != nullptr) return hand_over_after_body(request, std::move(ready));
  if (mode_ == Mode::Batched) {
    ready_.push_back(std::move(ready));
    return;
  }
  if (!ready.callback_form) return fulfil(ready);
  auto job = callback_job(std::move(ready), logger_);
  if (executor_ != nullptr && executor_->post(job)) return;
  // The executor has stopped (the client is closing), or there is none (unit tests): run the
  // callback on this thread, but never inside another callback (exec/unnested.hpp says why).
  run_unnested(std::move(job));
}

void Delivery::flush() {
  if (ready_.empty()) return;
  for (Ready& ready : ready_) {
    if (ready.callback_form)
      jobs_.push_back(callback_job(std::move(ready), logger_));  // leaves it empty
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

void Delivery::hand_over_after_body(Request& request, Ready&& ready) {
  const bool success = ready.outcome.response.has_value();
  auto pending = std::make_shared<Ready>(std::move(ready));
  // Runs on the executor, possibly after the client (and this Delivery) is gone: it holds
  // what it needs.
  request.body_stream->finish(success, [pending, context = context_of(request),
                                        logger = logger_](std::exception_ptr sink_error) {
    if (sink_error != nullptr) {
      pending->outcome.response.reset();
      pending->outcome.error = sink_error_of(std::move(sink_error), context);
    }
    if (pending->callback_form) {
      callback_job(std::move(*pending), logger)();
    } else {
      fulfil(*pending);
    }
  });
}

void Delivery::fulfil(Ready& ready) {
  if (ready.outcome.response) {
    ready.promise.set_value(std::move(*ready.outcome.response));
  } else {
    ready.promise.set_exception(std::move(ready.outcome.error));
  }
}

std::function<void()> Delivery::callback_job(Ready&& ready, std::shared_ptr<const Logger> logger) {
  // A throwing callback must not take down an executor thread or the loop: catch, log.
  // Held by a shared_ptr so that posting copies a pointer, not the response.
  auto pending = std::make_shared<Ready>(std::move(ready));
  return [pending, logger = std::move(logger)] {
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
