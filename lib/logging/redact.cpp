#include "logging/redact.hpp"

#include <array>

#include "logging/ascii.hpp"

namespace rhc::detail {
bool is_secret_header(std::string_view name) {
  // Set-Cookie is what a server sends back; it carries session secrets as much as Cookie does.
  constexpr std::array<std::string_view, 4> kSecret = {"authorization", "proxy-authorization",
                                                       "cookie", "set-cookie"};
  for (std::string_view s : kSecret) {
    if (ascii_iequals(name, s)) return true;
  }
  return false;
}

std::string redact_header(std::string_view name, std::string_view value) {
  return is_secret_header(name) ? std::string("<redacted>") : std::string(value);
}

}  // namespace rhc::detail
