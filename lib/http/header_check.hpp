// Checks on caller-supplied header names, values and methods before anything is sent:
// a CR or LF would let a value smuggle extra headers or a second request (header
// injection), and a NUL truncates it in C APIs.
//
//   if (auto error = check_header(name, value)) fail with ConfigError(*error);
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace rhc::detail {

// Longest header line rhc sends ("Name: value", without CRLF). Servers refuse far less
// (nginx: 8 KiB per line by default, then 400/431), so a longer line is a bug on the caller's
// side; refused before anything is sent, it is a ConfigError instead of a connection failure
// that would be retried against a server that can only refuse it again.
inline constexpr std::size_t kMaxHeaderLineBytes = 64 * 1024;

// Returns a message for a ConfigError, or nullopt if the header is acceptable:
//  - the name must be a non-empty RFC 9110 token (tchar: ALPHA DIGIT !#$%&'*+-.^_`|~);
//  - the value must not contain CR, LF or NUL (other bytes, obs-text included, pass);
//  - "Name: value" must be at most kMaxHeaderLineBytes.
// The message names the header (escaped, so it is safe to log) but never quotes the value,
// which may be a secret (Authorization, Cookie).
std::optional<std::string> check_header(std::string_view name, std::string_view value);

// Whether text is a non-empty RFC 9110 token (a header name, a method).
bool is_token(std::string_view text);

// Returns a message for a ConfigError if method is not a non-empty token, else nullopt.
// Case is kept as given ("get" is a valid, different method).
std::optional<std::string> check_method(std::string_view method);

}  // namespace rhc::detail
