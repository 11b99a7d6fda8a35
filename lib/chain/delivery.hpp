// The API edge: where an outcome value leaves the chain and becomes a fulfilled future or a
// callback run on the executor. The only place that turns a Failure into an exception.
#pragma once

#include <rhc/client.hpp>

#include "errors/classify.hpp"

namespace rhc::detail {

class Logger;
class Request;
class ThreadPool;

class Delivery {
 public:
  // executor may be null: callbacks then run inline (unit tests only).
  Delivery(ThreadPool* executor, const Logger& logger) : executor_(executor), logger_(logger) {}

  // Loop thread (or the caller's, for requests refused before submission). Each request is
  // delivered exactly once.
  void succeed(Request& request, Response response);
  void fail(Request& request, const Failure& failure);

 private:
  void run_callback(Request& request, Outcome outcome);

  ThreadPool* executor_;
  const Logger& logger_;
};

}  // namespace rhc::detail
