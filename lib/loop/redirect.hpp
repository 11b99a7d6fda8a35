// Redirects, followed by rhc one hop at a time instead of by libcurl (CURLOPT_FOLLOWLOCATION
// stays off): libcurl would send every custom header to wherever a Location points, and
// only rhc knows which headers the caller marked sensitive (ClientConfig::sensitive_headers).
//
// A hop is a new transfer within the same attempt: it is not an attempt of its own, the
// breaker and the bulkhead never see it, and it carries the same X-Request-ID. Loop thread.
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "errors/classify.hpp"
#include "url/url.hpp"

namespace rhc::detail {

// 301, 302, 303, 307 and 308, as browsers and httpx follow. 300, 304 and 305 are answers,
// not redirects: they reach the caller as a Response.
bool is_followed_redirect(long status);

struct NextHop {
  UrlPtr url;
  bool https = false;          // the target's scheme (the proxy is chosen per scheme)
  bool leaves_origin = false;  // scheme, host or port differ from the URL that answered
  bool becomes_get = false;    // 303 (unless HEAD), or 301/302 after a POST: the next hop
                               // is a GET without a body (RFC 9110 15.4, as browsers do)
};

// Where a redirect leads. `target` is libcurl's CURLINFO_REDIRECT_URL: the Location already
// resolved against `current`, the URL that answered. A Failure of kind Redirect when the
// target is not an http or https URL.
std::variant<NextHop, Failure> next_hop(long status, std::string_view method, const char* target,
                                        CURLU* current);

// The next hop's headers: a copy of `headers` without, when `drop_credentials`,
// Authorization, Cookie, Host and every name in `sensitive` (any case), and without, when
// `drop_body_headers`, the headers that describe a body (Content-*, Transfer-Encoding).
// Proxy-Authorization is never in `headers`: it goes to the proxy alone (CURLOPT_PROXYHEADER).
curl_slist* hop_headers(const curl_slist* headers, const std::vector<std::string>& sensitive,
                        bool drop_credentials, bool drop_body_headers);

// The name of one libcurl header line: "Name: value", "Name;" or "Name:".
std::string_view header_line_name(std::string_view line);

}  // namespace rhc::detail
