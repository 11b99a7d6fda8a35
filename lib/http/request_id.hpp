// Idempotency: every logical request has one id, sent as X-Request-ID on every attempt and
// named in every log line about the request, so a server can de-duplicate retries.
//
//   std::string id = resolve_request_id(opts.request_id, opts.headers);
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rhc/request.hpp>

namespace rhc::detail {

inline constexpr std::string_view kRequestIdHeader = "X-Request-ID";

// A random (version 4) UUID, lowercase 8-4-4-4-12 hex, e.g.
// "3b241101-e2bb-4255-8caf-4136c566a962". The 122 random bits come from OpenSSL's
// RAND_bytes (a CSPRNG, fork-safe), so ids are unguessable and collisions negligible; if
// RAND_bytes ever fails, std::random_device (the OS entropy source on Linux) is used instead.
// Thread-safe; no allocation beyond the returned string.
std::string new_request_id();

// The id of a request: explicit_id if set and non-empty; else the value of the first
// X-Request-ID header (name matched case-insensitively) with a non-empty value; else
// new_request_id(). The result is not validated here: the chain checks it, like any header
// value, with check_header() (header_check.hpp).
std::string resolve_request_id(const std::optional<std::string>& explicit_id,
                               const Headers& headers);

}  // namespace rhc::detail
