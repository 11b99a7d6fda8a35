// Which TLS failure a libcurl error is, read from its code and message, and whether it is
// one at all: a handshake the other side refused (an alert, a certificate that does not
// verify, a pin that does not match) fails the same way on every attempt, while a
// connection reset in the middle of a handshake is an ordinary transient network failure.
#pragma once

#include <curl/curl.h>

#include <optional>
#include <string_view>

#include <rhc/errors.hpp>

namespace rhc::detail {

// The problem when `code` with libcurl's error `message` is a TLS failure a retry cannot
// fix; nullopt for anything else (including TLS handshakes cut short by the network).
std::optional<TlsProblem> tls_problem(CURLcode code, std::string_view message);

}  // namespace rhc::detail
