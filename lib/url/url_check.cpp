#include "url/url_check.hpp"

#include <charconv>
#include <new>

#include "base/ascii.hpp"

namespace rhc::detail {
namespace {

bool is_scheme_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.';
}

// One part of a parsed URL; nullopt when absent.
std::optional<std::string> part(CURLU* url, CURLUPart which) {
  char* text = nullptr;
  if (curl_url_get(url, which, &text, 0) != CURLUE_OK || text == nullptr) return std::nullopt;
  std::string out(text);
  curl_free(text);
  return out;
}

}  // namespace

bool is_http_scheme(std::string_view scheme) {
  return ascii_iequals(scheme, "http") || ascii_iequals(scheme, "https");
}

bool has_scheme_and_authority(std::string_view text) {
  const auto colon = text.find("://");
  if (colon == std::string_view::npos || colon == 0) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    if (!is_scheme_char(text[i])) return false;
  }
  return true;
}

std::optional<std::string> check_http_url(CURLU* url, bool* https) {
  const std::string scheme = part(url, CURLUPART_SCHEME).value_or("");
  if (!is_http_scheme(scheme)) {
    return "unsupported URL scheme '" + scheme + "' (http and https only)";
  }
  // libcurl refuses "http://:80" itself; an empty host can still come from "http://@/".
  const auto host = part(url, CURLUPART_HOST);
  if (!host || host->empty()) return std::string("invalid URL: it has no host");
  if (auto port = part(url, CURLUPART_PORT)) {
    // libcurl already refuses ports above 65535 and non-digits; 0 it lets through.
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), value);
    if (ec != std::errc() || end != port->data() + port->size() || value < 1 || value > 65535) {
      return "invalid URL: port must be 1 to 65535 (got " + *port + ")";
    }
  }
  if (https != nullptr) *https = ascii_iequals(scheme, "https");
  return std::nullopt;
}

UrlPtr parse_absolute_url(const std::string& text, std::string* error, bool* https) {
  if (text.size() > kMaxUrlBytes) {
    *error = "invalid URL: longer than " + std::to_string(kMaxUrlBytes) + " bytes";
    return nullptr;
  }
  if (text.find('\0') != std::string::npos) {
    // libcurl reads C strings: the part after a NUL would silently vanish.
    *error = "invalid URL: it contains a NUL byte";
    return nullptr;
  }
  // Exactly two slashes: libcurl reads "http:/h" and "http:///h" as "http://h".
  const auto colon = text.find(':');
  if (has_scheme_and_authority(text) && !is_http_scheme(std::string_view(text).substr(0, colon))) {
    // Named first, so "file:///etc/passwd" is refused for its scheme, not its slashes.
    *error = "unsupported URL scheme '" + text.substr(0, colon) + "' (http and https only)";
    return nullptr;
  }
  if (!has_scheme_and_authority(text) || (text.size() > colon + 3 && text[colon + 3] == '/')) {
    *error = "invalid URL: an absolute URL must start with scheme:// (two slashes) and a host";
    return nullptr;
  }
  UrlPtr url(curl_url());
  if (!url) throw std::bad_alloc();
  // Any scheme parses, so that the refusal below names it instead of "malformed".
  if (CURLUcode rc = curl_url_set(url.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME);
      rc != CURLUE_OK) {
    *error = std::string("invalid URL: ") + curl_url_strerror(rc);
    return nullptr;
  }
  if (auto why = check_http_url(url.get(), https)) {
    *error = std::move(*why);
    return nullptr;
  }
  return url;
}

}  // namespace rhc::detail
