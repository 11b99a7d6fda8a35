#include "http/header_check.hpp"

#include <string>

namespace rhc::detail {
namespace {

// RFC 9110 tchar.
bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

}  // namespace

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

namespace {

// Names may be attacker-influenced; escape anything unprintable so the message cannot
// forge log lines, and cut long names so it stays one short line.
std::string escaped(std::string_view text) {
  constexpr std::size_t kMaxShown = 64;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\' && c != '"') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  if (text.size() > kMaxShown) out += "...";
  return out;
}

std::optional<std::string> check_token(std::string_view what, std::string_view token) {
  if (token.empty()) return std::string(what) + " is empty";
  for (const char c : token) {
    if (!is_tchar(c)) {
      return std::string(what) + " \"" + escaped(token) +
             "\" contains a character that is not allowed in an HTTP token";
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> check_header(std::string_view name, std::string_view value) {
  if (auto error = check_token("header name", name)) return error;
  if (name.size() + 2 + value.size() > kMaxHeaderLineBytes) {
    return "header \"" + escaped(name) + "\" is longer than " +
           std::to_string(kMaxHeaderLineBytes) + " bytes (name, \": \" and value)";
  }
  for (const char c : value) {
    const char* what = c == '\r' ? "CR" : c == '\n' ? "LF" : c == '\0' ? "NUL" : nullptr;
    if (what != nullptr) {
      return "header \"" + escaped(name) + "\" has a value containing " + what;
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_method(std::string_view method) {
  return check_token("HTTP method", method);
}

}  // namespace rhc::detail
