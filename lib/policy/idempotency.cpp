#include "policy/idempotency.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <random>

namespace rhc::detail {
namespace {

void random_bytes(std::array<unsigned char, 16>& bytes) {
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) == 1) return;
  std::random_device device;
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    const std::uint32_t word = device();
    for (std::size_t j = 0; j < 4; ++j) bytes[i + j] = static_cast<unsigned char>(word >> (8 * j));
  }
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string new_request_id() {
  std::array<unsigned char, 16> b{};
  random_bytes(b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // variant 10 (RFC 9562)

  static constexpr char kHex[] = "0123456789abcdef";
  char out[36];
  std::size_t pos = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out[pos++] = '-';
    out[pos++] = kHex[b[i] >> 4];
    out[pos++] = kHex[b[i] & 0x0F];
  }
  return std::string(out, sizeof out);
}

std::string resolve_request_id(const std::optional<std::string>& explicit_id,
                               const Headers& headers) {
  if (explicit_id && !explicit_id->empty()) return *explicit_id;
  for (const auto& [name, value] : headers) {
    if (!value.empty() && iequals_ascii(name, kRequestIdHeader)) return value;
  }
  return new_request_id();
}

}  // namespace rhc::detail
