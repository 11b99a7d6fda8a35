// The first link of the chain, run on the caller's thread: checks the call's options, joins
// the URL, fixes the request's X-Request-ID (idempotency) and builds the header list every
// attempt will send. Pure work with no shared state, so it costs the loop thread nothing.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <rhc/config.hpp>
#include <rhc/request.hpp>

#include "chain/request.hpp"
#include "errors/classify.hpp"
#include "url/base_url.hpp"

namespace rhc::detail {

// POST, PUT and PATCH without a body still send "Content-Length: 0", as servers expect.
bool sends_empty_body(std::string_view method);

// Fills `request` from the call, or returns the ConfigError to resolve it with. On error,
// request.url/request_id are filled as far as they could be, for the error message.
std::optional<Failure> prepare(const ClientConfig& config, const BaseUrl& base, std::string method,
                               const std::string& path, RequestOptions&& options, Request& request);

}  // namespace rhc::detail
