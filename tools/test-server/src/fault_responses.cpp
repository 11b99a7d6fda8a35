#include "fault_responses.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "connection.hpp"
#include "http_date.hpp"

namespace rhc::test_server::detail {
namespace {

constexpr const char* kJson = "application/json";

std::string padded(std::string body, std::size_t size) {
  if (body.size() < size) body.append(size - body.size(), ' ');
  return body;
}

}  // namespace

void answer_with_status(httplib::Response& response, const Fault& fault, const std::string& body) {
  response.status = fault.status;
  if (fault.retry_after) {
    response.set_header(
        "Retry-After", fault.retry_after_http_date
                           ? format_http_date(std::chrono::system_clock::now() + *fault.retry_after)
                           : std::to_string(fault.retry_after->count()));
  }
  response.set_content(body, kJson);
}

void answer_truncated(httplib::Response& response, const Fault& fault, std::string body) {
  const std::size_t announced = std::max<std::size_t>(fault.body_bytes, 2);
  auto full = std::make_shared<const std::string>(padded(std::move(body), announced));
  const std::size_t sent = announced / 2;
  response.status = 200;
  // cpp-httplib writes the status line and headers (Content-Length: announced) before it asks
  // the provider for the body. The provider hands over half and then reports failure, and
  // cpp-httplib closes the connection: the client sees a body shorter than announced.
  auto half_then_fail = [full, sent](size_t offset, size_t, httplib::DataSink& sink) {
    return offset < sent && sink.write(full->data() + offset, sent - offset);
  };
  response.set_content_provider(announced, kJson, half_then_fail);
}

void answer_slowly(httplib::Response& response, const Fault& fault, std::string body,
                   const StopSignal& stop) {
  auto full = std::make_shared<const std::string>(padded(std::move(body), fault.body_bytes));
  response.status = 200;
  auto chunk_after_pause = [full, chunk = fault.chunk_bytes, pause = fault.chunk_interval, &stop](
                               size_t offset, size_t length, httplib::DataSink& sink) {
    return !stop.wait_for(pause) && sink.write(full->data() + offset, std::min(chunk, length));
  };
  response.set_content_provider(full->size(), kJson, chunk_after_pause);
}

void reset_connection() {
  if (Connection* connection = Connection::current()) connection->abort();
}

void answer_with_failure(httplib::Response& response, const Fault& fault, std::string body,
                         const StopSignal& stop) {
  switch (fault.kind) {
    case FaultKind::status:
      answer_with_status(response, fault, body);
      return;
    case FaultKind::truncate:
      answer_truncated(response, fault, std::move(body));
      return;
    case FaultKind::hang:
      stop.wait_for(fault.hang_for);
      reset_connection();
      return;
    case FaultKind::reset:
    case FaultKind::slow_body:  // not a failure; callers answer it with answer_slowly()
      reset_connection();
      return;
  }
}

}  // namespace rhc::test_server::detail
