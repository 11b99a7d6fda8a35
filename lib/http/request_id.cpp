#include "http/request_id.hpp"

#include <openssl/rand.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <random>

#include "base/ascii.hpp"

namespace rhc::detail {
namespace {

void fill_random(unsigned char* data, std::size_t size) {
  if (RAND_bytes(data, static_cast<int>(size)) == 1) return;
  std::random_device device;
  for (std::size_t i = 0; i < size; i += 4) {
    const std::uint32_t word = device();
    for (std::size_t j = 0; j < 4 && i + j < size; ++j) {
      data[i + j] = static_cast<unsigned char>(word >> (8 * j));
    }
  }
}

// RAND_bytes costs ~7,000 instructions a call (OpenSSL 3's DRBG locks and reseed checks)
// whatever the size, so each thread draws 4 KiB at a time and hands out 16 bytes per id:
// ~12x cheaper per request (574 instead of 7,123 instructions per id, callgrind). A fork
// handler bumps a generation number, so a child never reuses its parent's bytes (which
// would repeat ids); getpid() per id would cost a system call.
std::atomic<unsigned> fork_generation{0};

void note_fork_in_child() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

class RandomPool {
 public:
  void take(unsigned char* out, std::size_t n) {
    static std::once_flag registered;
    std::call_once(registered, [] { ::pthread_atfork(nullptr, nullptr, &note_fork_in_child); });
    const unsigned generation = fork_generation.load(std::memory_order_relaxed);
    if (generation_ != generation || used_ + n > buffer_.size()) {
      fill_random(buffer_.data(), buffer_.size());
      used_ = 0;
      generation_ = generation;
    }
    std::memcpy(out, buffer_.data() + used_, n);
    // Spent bytes are wiped, so a memory disclosure cannot reveal ids already issued.
    std::memset(buffer_.data() + used_, 0, n);
    used_ += n;
  }

 private:
  std::array<unsigned char, 4096> buffer_{};
  std::size_t used_ = sizeof(buffer_);
  unsigned generation_ = 0;
};

void random_bytes(std::array<unsigned char, 16>& bytes) {
  thread_local RandomPool pool;
  pool.take(bytes.data(), bytes.size());
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
    if (!value.empty() && ascii_iequals(name, kRequestIdHeader)) return value;
  }
  return new_request_id();
}

}  // namespace rhc::detail
