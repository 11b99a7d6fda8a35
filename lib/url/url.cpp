#include "url/url.hpp"

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

}  // namespace rhc::detail
