#include "multipart_handler.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fault_responses.hpp"
#include "json_bodies.hpp"
#include "sha256.hpp"
#include "transport_json.hpp"

namespace rhc::test_server::detail {
namespace {

constexpr const char* kJson = "application/json";
// A field (a part without a file name) up to this size is echoed as "value" too.
constexpr std::size_t kMaxEchoedValue = 64 * 1024;

std::optional<std::string> unless_empty(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

// Collects the parts as cpp-httplib reports them: a header, then the part's data in pieces.
class PartCollector {
 public:
  bool begin(const httplib::MultipartFormData& header) {
    finish();
    PartEcho part;
    part.name = header.name;
    part.filename = unless_empty(header.filename);
    part.content_type = unless_empty(header.content_type);
    parts_.push_back(std::move(part));
    digest_ = std::make_unique<Sha256>();
    value_.clear();
    return true;
  }

  bool data(const char* bytes, std::size_t size) {
    if (!digest_) return false;  // data before any part header: not multipart
    PartEcho& part = parts_.back();
    digest_->update(bytes, size);
    part.length += size;
    if (!part.filename && part.length <= kMaxEchoedValue) value_.append(bytes, size);
    return true;
  }

  std::vector<PartEcho> parts() {
    finish();
    return std::move(parts_);
  }

 private:
  void finish() {
    if (!digest_) return;
    PartEcho& part = parts_.back();
    part.sha256 = digest_->hex_digest();
    if (!part.filename && part.length <= kMaxEchoedValue) part.value = value_;
    digest_.reset();
  }

  std::vector<PartEcho> parts_;
  std::unique_ptr<Sha256> digest_;  // of the part being read
  std::string value_;
};

}  // namespace

MultipartHandler::MultipartHandler(FaultInjector& faults, StatsRecorder& stats,
                                   const StopSignal& stop)
    : faults_(faults), stats_(stats), stop_(stop) {}

void MultipartHandler::operator()(const httplib::Request& request, httplib::Response& response,
                                  const httplib::ContentReader& read) const {
  stats_.count_multipart_request();
  if (!request.is_multipart_form_data()) {
    read([](const char*, size_t) { return true; });
    response.status = 400;
    response.set_content(error_json("POST /multipart wants a multipart/form-data body"), kJson);
    return;
  }
  // Drawn on arrival, so that faults follow arrival order, not the order bodies finish.
  const std::optional<Fault> fault = faults_.next();
  if (fault) stats_.count_transport_fault(*fault);

  PartCollector collector;
  const bool complete = read(
      [&collector](const httplib::MultipartFormData& header) { return collector.begin(header); },
      [&collector](const char* data, size_t size) { return collector.data(data, size); });
  if (!complete) {
    // A broken body: what is left of it cannot be skipped, so the connection cannot serve
    // another request.
    reset_connection();
    return;
  }
  const std::string body =
      multipart_json(request.get_header_value("Content-Type"), collector.parts());
  if (!fault) {
    response.set_content(body, kJson);
  } else if (fault->kind == FaultKind::slow_body) {
    answer_slowly(response, *fault, body, stop_);
  } else {
    answer_with_failure(response, *fault, idempotent_fault_json(*fault), stop_);
  }
}

}  // namespace rhc::test_server::detail
