// The server of rhc-bench-stream: GET /bytes/N answers N bytes (with a Content-Length) as
// fast as cpp-httplib can write them, from one buffer filled once, on 127.0.0.1.
#pragma once

#include <memory>
#include <string>

namespace rhc::bench {

class ByteServer {
 public:
  ByteServer();   // listening on an ephemeral port before it returns
  ~ByteServer();  // stops
  ByteServer(const ByteServer&) = delete;
  ByteServer& operator=(const ByteServer&) = delete;
  std::string url(std::size_t bytes) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rhc::bench
