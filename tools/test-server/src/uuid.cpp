#include "uuid.hpp"

#include <cstdint>
#include <cstdio>
#include <random>

namespace rhc::test_server::detail {

std::string make_uuid_v4() {
  // One generator per thread: no lock on the hot path of 256 concurrent requests.
  thread_local std::mt19937_64 random{std::random_device{}()};
  const std::uint64_t high = (random() & ~0xF000ULL) | 0x4000ULL;             // version 4
  const std::uint64_t low = (random() & ~(0xC0ULL << 56)) | (0x80ULL << 56);  // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                static_cast<unsigned>(low >> 48),
                static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

}  // namespace rhc::test_server::detail
