// The X-Request-ID a request carries, by which /stats counts attempts.
#pragma once

#include <httplib.h>

#include <optional>
#include <string>

namespace rhc::test_server::detail {

// nullopt when the header is absent or empty.
inline std::optional<std::string> request_id_of(const httplib::Request& request) {
  std::string id = request.get_header_value("X-Request-ID");
  if (id.empty()) return std::nullopt;
  return id;
}

}  // namespace rhc::test_server::detail
