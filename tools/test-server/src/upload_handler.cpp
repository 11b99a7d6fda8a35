#include "upload_handler.hpp"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

#include "fault_responses.hpp"
#include "json_bodies.hpp"
#include "sha256.hpp"
#include "transport_json.hpp"

namespace rhc::test_server::detail {
namespace {

constexpr const char* kJson = "application/json";

std::optional<std::string> header_of(const httplib::Request& request, const char* name) {
  if (!request.has_header(name)) return std::nullopt;
  return request.get_header_value(name);
}

std::optional<std::uint64_t> content_length_of(const httplib::Request& request) {
  const std::optional<std::string> text = header_of(request, "Content-Length");
  std::uint64_t value = 0;
  if (!text) return std::nullopt;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc{} || end != text->data() + text->size()) return std::nullopt;
  return value;
}

}  // namespace

UploadHandler::UploadHandler(FaultInjector& faults, StatsRecorder& stats, const StopSignal& stop)
    : faults_(faults), stats_(stats), stop_(stop) {}

void UploadHandler::operator()(const httplib::Request& request, httplib::Response& response,
                               const httplib::ContentReader& read) const {
  stats_.count_upload_request();
  if (request.is_multipart_form_data()) {
    // cpp-httplib parses such a body only part by part; reading it all keeps the connection
    // usable for the next request.
    read([](const httplib::MultipartFormData&) { return true; },
         [](const char*, size_t) { return true; });
    response.status = 415;
    response.set_content(error_json("multipart/form-data bodies go to POST /multipart"), kJson);
    return;
  }

  // Drawn on arrival, so that faults follow arrival order, not the order bodies finish.
  const std::optional<Fault> fault = faults_.next();
  if (fault) stats_.count_transport_fault(*fault);

  UploadEcho echo;
  echo.method = request.method;
  echo.content_type = header_of(request, "Content-Type");
  echo.content_length = content_length_of(request);
  echo.chunked = request.get_header_value("Transfer-Encoding") == "chunked";
  Sha256 digest;
  const bool complete = read([&](const char* data, size_t size) {
    digest.update(data, size);
    echo.length += size;
    return true;
  });
  if (!complete) {
    // The client went away or sent a broken body; what is left of it cannot be skipped, so the
    // connection cannot serve another request.
    reset_connection();
    return;
  }
  echo.sha256 = digest.hex_digest();
  stats_.count_upload_body(echo.sha256, echo.length);

  if (!fault) {
    response.set_content(upload_json(echo), kJson);
    return;
  }
  if (fault->kind == FaultKind::slow_body) {
    answer_slowly(response, *fault, upload_json(echo), stop_);
  } else {
    answer_with_failure(response, *fault, idempotent_fault_json(*fault), stop_);
  }
}

}  // namespace rhc::test_server::detail
