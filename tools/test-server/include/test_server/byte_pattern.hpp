// The deterministic body of `GET /bytes/{n}`, so a client can check every byte it streamed.
//
// Byte i of the body is i % 251: a period prime to every buffer and chunk size, so a chunk
// delivered twice, lost or out of order changes the bytes, not only the length. The body is
// binary (it holds NUL bytes). test/support's NginxServer serves the same pattern at /large.
//
//   std::uint64_t offset = 0;
//   options.on_chunk = [&](std::string_view chunk) {
//     ok = ok && rhc::test_server::matches_pattern(chunk, offset);
//     offset += chunk.size();
//   };
#pragma once

#include <cstdint>
#include <string_view>

namespace rhc::test_server {

inline constexpr unsigned kBytePatternPeriod = 251;

// Byte `offset` of a /bytes body.
constexpr char pattern_byte(std::uint64_t offset) {
  return static_cast<char>(offset % kBytePatternPeriod);
}

// True if `data`, starting at `offset` of a /bytes body, holds exactly the pattern's bytes.
inline bool matches_pattern(std::string_view data, std::uint64_t offset) {
  for (const char byte : data) {
    if (byte != pattern_byte(offset++)) return false;
  }
  return true;
}

}  // namespace rhc::test_server
