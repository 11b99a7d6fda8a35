#include "http/response_framing.hpp"

#include <limits>

namespace rhc::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// 1*DIGIT, at most curl_off_t's range (libcurl keeps the length signed).
std::optional<std::uint64_t> parse_digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  constexpr std::uint64_t kMax = std::numeric_limits<std::int64_t>::max();
  std::uint64_t n = 0;
  for (const char c : s) {
    if (!is_digit(c)) return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (n > (kMax - d) / 10) return std::nullopt;
    n = n * 10 + d;
  }
  return n;
}

}  // namespace

bool valid_status_line(std::string_view line) {
  // HTTP-version SP status-code [SP reason]: the version is libcurl's to judge (it refuses
  // what it cannot speak); the code must be three digits, the first not 0.
  const auto space = line.find(' ');
  if (space == std::string_view::npos || line.size() < space + 4) return false;
  const std::string_view code = line.substr(space + 1, 3);
  if (code[0] < '1' || code[0] > '9' || !is_digit(code[1]) || !is_digit(code[2])) return false;
  if (line.size() == space + 4) return true;
  const char after = line[space + 4];
  return after == ' ' || after == '\r' || after == '\n';
}

int status_code_of(std::string_view line) {
  const std::string_view code = line.substr(line.find(' ') + 1, 3);
  return (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
}

std::optional<std::uint64_t> parse_content_length(std::string_view value) {
  std::optional<std::uint64_t> length;
  for (;;) {
    const auto comma = value.find(',');
    const auto member = parse_digits(trim_ows(value.substr(0, comma)));
    if (!member || (length && *length != *member)) return std::nullopt;
    length = member;
    if (comma == std::string_view::npos) return length;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace rhc::detail
