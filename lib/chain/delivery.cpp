#include "chain/delivery.hpp"

#include <utility>

#include "chain/request.hpp"
#include "exec/thread_pool.hpp"
#include "logging/logger.hpp"

namespace rhc::detail {

void Delivery::succeed(Request& request, Response response) {
  if (!request.callback) {
    request.promise.set_value(std::move(response));
    return;
  }
  Outcome outcome;
  outcome.response = std::move(response);
  run_callback(request, std::move(outcome));
}

void Delivery::fail(Request& request, const Failure& failure) {
  ErrorContext context;
  context.request_id = request.request_id;
  context.attempts = request.attempts;
  context.method = request.method;
  context.url = request.loggable_url();
  std::exception_ptr error = make_exception(failure, std::move(context));
  if (!request.callback) {
    request.promise.set_exception(std::move(error));
    return;
  }
  Outcome outcome;
  outcome.error = std::move(error);
  run_callback(request, std::move(outcome));
}

void Delivery::run_callback(Request& request, Outcome outcome) {
  // A throwing callback must not take down an executor thread or the loop: catch, log.
  // The pending call is held by a shared_ptr so that a refused post() (the executor is
  // shutting down while a call raced close()) leaves it here to run, instead of dropping it,
  // and so that posting copies a pointer, not the response.
  struct Pending {
    Callback callback;
    Outcome outcome;
    std::string request_id;
  };
  auto pending = std::make_shared<Pending>(
      Pending{std::move(request.callback), std::move(outcome), request.request_id});
  auto job = [pending, &logger = logger_] {
    try {
      pending->callback(std::move(pending->outcome));
    } catch (const std::exception& e) {
      RHC_LOG(logger, Severity::Error, pending->request_id) << "callback threw: " << e.what();
    } catch (...) {
      RHC_LOG(logger, Severity::Error, pending->request_id)
          << "callback threw a non-std exception";
    }
  };
  if (executor_ == nullptr || !executor_->post(job)) job();
}

}  // namespace rhc::detail
