// Checks on how a response frames itself (RFC 9112 sections 4, 5.2 and 6.3), applied by the
// header callback (loop/transfer.cpp) line by line. libcurl reads the length of the body from
// the same lines, leniently (the last Content-Length wins, "5abc" is 5, a folded line is a
// field of its own); wherever its reading and another reader's (a proxy's, a cache's) can
// differ, a response could smuggle a second one, so rhc refuses such a message outright
// with ProtocolError rather than guess which reading was meant.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace rhc::detail {

// Whether a status line ("HTTP/1.1 200 OK\r\n", "HTTP/2 204 \r\n") carries a status code of
// exactly three digits in 100-999, followed by a space or the end of the line.
bool valid_status_line(std::string_view line);
// The status code of a line valid_status_line() accepts.
int status_code_of(std::string_view valid_line);

// The value of one Content-Length field (OWS already trimmed): 1*DIGIT, or a comma list of
// such values that are all equal (RFC 9110 8.6 lets a recipient take "5, 5" as 5). Anything
// else (empty, signs, other characters, differing members, more than fits in 63 bits) is
// nullopt: the message is invalid.
std::optional<std::uint64_t> parse_content_length(std::string_view value);

// Whether a header line continues the previous one (obs-fold: it starts with SP or HTAB).
inline bool is_obs_fold(std::string_view line) {
  return !line.empty() && (line.front() == ' ' || line.front() == '\t');
}

}  // namespace rhc::detail
