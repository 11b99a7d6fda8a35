#include "bytes_handler.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <test_server/byte_pattern.hpp>

#include "fault_params.hpp"
#include "fault_responses.hpp"
#include "json_bodies.hpp"

namespace rhc::test_server::detail {
namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kOctets = "application/octet-stream";
// Bytes handed to cpp-httplib per call: large enough that a gigabyte is a few thousand sends.
constexpr std::size_t kBlockBytes = 256 * 1024;

// kBlockBytes of the pattern starting at any phase: the block from `offset % period` on.
const char* pattern_at(std::uint64_t offset) {
  static const std::string block = [] {
    std::string bytes(kBlockBytes + kBytePatternPeriod, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = pattern_byte(i);
    return bytes;
  }();
  return block.data() + offset % kBytePatternPeriod;
}

std::uint64_t parse_size(const std::string& name, const std::string& text, std::uint64_t max) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value > max) {
    throw std::invalid_argument(name + " must be an integer in [0, " + std::to_string(max) +
                                "], got '" + text + "'");
  }
  return value;
}

struct BytesRequest {
  std::uint64_t size = 0;
  std::optional<std::uint64_t> fail_after;
  bool chunked = false;
};

BytesRequest parse(const httplib::Request& request) {
  BytesRequest parsed;
  parsed.size = parse_size("n", request.matches[1].str(), kMaxBytesBody);
  if (request.has_param("fail_after")) {
    if (parsed.size == 0) throw std::invalid_argument("fail_after needs n > 0");
    parsed.fail_after =
        parse_size("fail_after", request.get_param_value("fail_after"), parsed.size - 1);
  }
  parsed.chunked = parse_flag(request.params, "chunked");
  return parsed;
}

// The next piece of the body at `offset`, at most `left` bytes: the whole rest at full speed,
// or one chunk after a pause for slow_body. False once the body should fail or stop.
using Piece = std::function<bool(std::uint64_t offset, std::uint64_t left, httplib::DataSink&)>;

Piece full_speed(std::optional<std::uint64_t> fail_after) {
  return [fail_after](std::uint64_t offset, std::uint64_t left, httplib::DataSink& sink) {
    // Handing over nothing more and reporting failure makes cpp-httplib drop the connection:
    // the client sees fewer bytes than announced (or no last chunk).
    if (fail_after && offset >= *fail_after) return false;
    if (fail_after) left = std::min(left, *fail_after - offset);
    return sink.write(pattern_at(offset), std::min<std::uint64_t>(left, kBlockBytes));
  };
}

Piece slowly(const Fault& fault, const StopSignal& stop) {
  const std::uint64_t chunk = std::clamp<std::uint64_t>(fault.chunk_bytes, 1, kBlockBytes);
  return [chunk, pause = fault.chunk_interval, &stop](std::uint64_t offset, std::uint64_t left,
                                                      httplib::DataSink& sink) {
    return !stop.wait_for(pause) && sink.write(pattern_at(offset), std::min(left, chunk));
  };
}

void answer_bytes(httplib::Response& response, const BytesRequest& request, Piece piece) {
  response.status = 200;
  if (!request.chunked && request.size == 0) {
    // cpp-httplib 0.11 writes no headers at all for a content provider of length 0.
    response.set_content("", kOctets);
    return;
  }
  if (!request.chunked) {
    response.set_content_provider(request.size, kOctets,
                                  [piece](size_t offset, size_t length, httplib::DataSink& sink) {
                                    return piece(offset, length, sink);
                                  });
    return;
  }
  response.set_chunked_content_provider(
      kOctets, [piece, size = request.size](size_t offset, httplib::DataSink& sink) {
        if (offset >= size) {
          sink.done();
          return true;
        }
        return piece(offset, size - offset, sink);
      });
}

}  // namespace

BytesHandler::BytesHandler(FaultInjector& faults, StatsRecorder& stats, const StopSignal& stop)
    : faults_(faults), stats_(stats), stop_(stop) {}

void BytesHandler::operator()(const httplib::Request& request, httplib::Response& response) const {
  stats_.count_bytes_request();
  BytesRequest parsed;
  try {
    parsed = parse(request);
  } catch (const std::invalid_argument& bad) {
    response.status = 400;
    response.set_content(error_json(bad.what()), kJson);
    return;
  }

  const std::optional<Fault> fault = faults_.next();
  if (fault) stats_.count_transport_fault(*fault);
  if (fault && fault->is_failure()) {
    answer_with_failure(response, *fault, idempotent_fault_json(*fault), stop_);
    return;
  }
  answer_bytes(response, parsed, fault ? slowly(*fault, stop_) : full_speed(parsed.fail_after));
}

}  // namespace rhc::test_server::detail
