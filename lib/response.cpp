// Response's and Outcome's members: JSON decoding and header lookup.
#include <algorithm>
#include <string>

#include <rapidjson/error/en.h>

#include <rhc/client.hpp>
#include <rhc/errors.hpp>
#include <rhc/response.hpp>

#include "base/ascii.hpp"

namespace rhc {

rapidjson::Document Response::json() const {
  rapidjson::Document doc;
  // Iterative: a server answering 200 KB of '[' must not overflow the caller's stack
  // (found by the response fuzzer).
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError()) {
    ErrorContext context;
    context.status_code = status_code;
    context.request_id = request_id;
    context.attempts = attempts;
    context.url = url;
    throw DecodeError("response body of " + url + " [req=" + request_id +
                          "] is not JSON: " + rapidjson::GetParseError_En(doc.GetParseError()) +
                          " at offset " + std::to_string(doc.GetErrorOffset()),
                      std::move(context));
  }
  return doc;
}

std::optional<std::string> Response::header(std::string_view name) const {
  auto same = [name](const std::pair<std::string, std::string>& h) {
    return detail::ascii_iequals(h.first, name);
  };
  auto it = std::find_if(headers.begin(), headers.end(), same);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

Response& Outcome::value() {
  if (error) std::rethrow_exception(error);
  return *response;
}

const char* to_string(CircuitState state) {
  switch (state) {
    case CircuitState::Closed:
      return "CLOSED";
    case CircuitState::Open:
      return "OPEN";
    case CircuitState::HalfOpen:
      return "HALF_OPEN";
  }
  return "UNKNOWN";
}

}  // namespace rhc
