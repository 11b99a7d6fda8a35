#include <curl/curl.h>

#include <string>

#include <rhc/version.hpp>

namespace rhc {

const char* version() { return RHC_VERSION_STRING; }

std::string version_details() {
  // curl_version_info reports the TLS backend libcurl was built with (OpenSSL/3.0.x here).
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  std::string out = std::string("rhc/") + version() + " libcurl/" + info->version;
  if (info->ssl_version != nullptr) out += std::string(" ") + info->ssl_version;
  if ((info->features & CURL_VERSION_HTTP2) != 0 && info->nghttp2_version != nullptr) {
    out += std::string(" nghttp2/") + info->nghttp2_version;
  }
  return out;
}

}  // namespace rhc
