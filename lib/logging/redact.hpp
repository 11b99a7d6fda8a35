// Keeps secrets out of logs: the values of credential-bearing headers are replaced before a
// header is ever formatted into a log line.
#pragma once

#include <string>
#include <string_view>

namespace rhc::detail {

// Whether `name` is Authorization, Proxy-Authorization or Cookie (case-insensitive).
bool is_secret_header(std::string_view name);

// `value`, or "<redacted>" when `name` is a secret header.
//   redact_header("authorization", "Bearer abc") == "<redacted>"
std::string redact_header(std::string_view name, std::string_view value);

}  // namespace rhc::detail
