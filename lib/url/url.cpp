#include "url/url.hpp"

#include "base/ascii.hpp"

namespace rhc::detail {

std::string render_url(CURLU* handle, bool without_credentials) {
  if (handle == nullptr) return {};
  UrlPtr copy;
  if (without_credentials) {
    copy.reset(curl_url_dup(handle));
    curl_url_set(copy.get(), CURLUPART_USER, nullptr, 0);
    curl_url_set(copy.get(), CURLUPART_PASSWORD, nullptr, 0);
    handle = copy.get();
  }
  char* text = nullptr;
  if (curl_url_get(handle, CURLUPART_URL, &text, 0) != CURLUE_OK) return {};
  std::string out(text);
  curl_free(text);
  return out;
}

namespace {

// One part of the URL, or empty.
std::string part(CURLU* handle, CURLUPart which, unsigned flags = 0) {
  char* text = nullptr;
  if (curl_url_get(handle, which, &text, flags) != CURLUE_OK || text == nullptr) return {};
  std::string out(text);
  curl_free(text);
  return out;
}

}  // namespace

std::string authority_of(CURLU* handle) {
  if (handle == nullptr) return {};
  std::string scheme = part(handle, CURLUPART_SCHEME);
  std::string host = part(handle, CURLUPART_HOST);
  if (scheme.empty() || host.empty()) return {};
  const std::string port = part(handle, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  std::string out;
  out.reserve(scheme.size() + host.size() + port.size() + 4);
  out.append(scheme).append("://").append(host);
  if (!port.empty()) out.append(":").append(port);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace rhc::detail
