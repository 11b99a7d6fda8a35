// ASCII case-insensitive comparison, for the protocol words rhc matches (header names, log
// levels, boolean spellings). Locale-independent on purpose: "INFO" must match "info" even
// under a Turkish locale.
#pragma once

#include <string_view>

namespace rhc::detail {

constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
constexpr char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c; }

constexpr bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace rhc::detail
