// SHA-256 over a body that arrives in pieces, for the upload and multipart echoes.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace rhc::test_server::detail {

// OpenSSL's EVP digest, fed piece by piece so a body of gigabytes is never held in memory.
// Not thread-safe: one per body.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const char* data, std::size_t size);
  // The digest of everything fed so far, as 64 lowercase hex digits. Ends the digest: call
  // once.
  std::string hex_digest();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace rhc::test_server::detail
