// The one rule for what counts as an absolute URL rhc will talk to, shared by validate()
// (base_url), prepare() (absolute request URLs) and redirects (Location targets), so the
// three cannot drift apart.
//
// libcurl's parser is lenient on purpose, as browsers are: "http:/host:81" and "http:///h"
// parse (the second with "h" as the host), and port 0 passes. Each of those is a typo that
// would otherwise reach a server rhc was never meant to call, so rhc asks for more:
//   - the text starts with "<scheme>://" and exactly two slashes;
//   - the scheme is http or https (any case);
//   - the host is not empty;
//   - a port, when given, is 1 to 65535;
//   - the whole text is at most kMaxUrlBytes.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "url/url.hpp"

namespace rhc::detail {

// Longest URL rhc sends. Servers refuse far less (nginx: 8 KiB per request line by default,
// then 414), so a longer one is a bug on the caller's side, and failing it before anything
// is sent beats a failure libcurl or the server reports as a retryable connection error.
inline constexpr std::size_t kMaxUrlBytes = 64 * 1024;

// "http" or "https", in any case: the only schemes rhc speaks.
bool is_http_scheme(std::string_view scheme);

// Whether `text` begins with "<scheme>://" (RFC 3986 scheme characters before it). Text
// that does not is a relative reference, joined to the base URL.
bool has_scheme_and_authority(std::string_view text);

// Checks an already parsed URL: http(s) scheme, non-empty host, port 1-65535 when given.
// Returns the reason it is not acceptable, or nullopt. Sets *https when acceptable.
std::optional<std::string> check_http_url(CURLU* url, bool* https = nullptr);

// Parses `text` as an absolute http(s) URL by the rule above. On failure returns null and
// sets *error (the URL itself is never quoted: it may carry credentials).
UrlPtr parse_absolute_url(const std::string& text, std::string* error, bool* https = nullptr);

}  // namespace rhc::detail
