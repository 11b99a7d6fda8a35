// A parsed URL (libcurl's CURLU), owned. Requests keep theirs parsed from prepare() to the
// transfer: libcurl takes it as is (CURLOPT_CURLU), and text is made only for people.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

namespace rhc::detail {

struct UrlDeleter {
  void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;
// A parsed URL that no one changes any more: requests to the same path may share one
// (libcurl copies the handle it is given at the start of each transfer and never writes to
// it).
using SharedUrl = std::shared_ptr<CURLU>;

// The URL as text, for logs, errors and tests; without_credentials drops user:password.
std::string render_url(CURLU* handle, bool without_credentials);

// The URL's authority as rhc keys per-host state by it (docs/retry.md "Authorities"):
// "scheme://host:port", lower-cased, the scheme's default port filled in
// ("http://Api.Example/x" -> "http://api.example:80"; IPv6 hosts keep their brackets).
// Empty if the handle has no scheme or host.
std::string authority_of(CURLU* handle);

}  // namespace rhc::detail
