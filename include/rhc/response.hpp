// Response: what a successful request resolves with. Public fields, like cpr's.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include <rhc/duration.hpp>
#include <rhc/export.hpp>
#include <rhc/request.hpp>

namespace rhc {

struct RHC_EXPORT Response {
  int status_code = 0;     // 2xx, or 3xx when redirects are not followed.
  std::string text;        // the body.
  Headers headers;         // the final response's headers, in order received.
  std::string url;         // effective URL, after redirects.
  Seconds elapsed{0};      // the whole logical request: retries, waits and queueing included.
  std::string request_id;  // the X-Request-ID sent on every attempt.
  int attempts = 0;        // attempts made, >= 1.
  bool replayed = false;   // the server answered "Idempotent-Replayed: true": this is the
                           // stored response to an earlier request with the same idempotency
                           // key, not a new execution (docs/idempotency.md).

  // Parses text. Throws DecodeError (with the parser's message and offset) if it is not JSON.
  rapidjson::Document json() const;

  // The first header of that name, compared case-insensitively; nullopt if absent.
  std::optional<std::string> header(std::string_view name) const;
};

}  // namespace rhc
