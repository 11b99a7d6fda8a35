#pragma once

#include <chrono>
#include <string>

namespace rhc::test_server::detail {

// `when` as an HTTP-date (RFC 9110 IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
std::string format_http_date(std::chrono::system_clock::time_point when);

}  // namespace rhc::test_server::detail
