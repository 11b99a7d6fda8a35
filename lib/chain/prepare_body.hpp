// The request body, settled on the caller's thread: JSON text, raw bytes, a file or
// multipart parts (at most one), checked before anything is sent, with the Content-Type
// line it implies added to the request's headers.
#pragma once

#include <optional>

#include <rhc/request.hpp>

#include "chain/request.hpp"
#include "errors/classify.hpp"

namespace rhc::detail {

// `has_content_type`: the caller's headers set one. Returns the ConfigError to resolve the
// request with, or fills request.body / body_fd / multipart and its header list.
std::optional<Failure> prepare_body(RequestOptions& options, bool has_content_type,
                                    Request& request);

}  // namespace rhc::detail
