// A TCP server on 127.0.0.1 that answers every connection with fixed bytes, then closes it:
// for responses no HTTP library would send (a chunk cut short, a body that is not UTF-8).
#pragma once

#include <atomic>
#include <string>
#include <thread>

namespace rhc::testing {

class RawResponseServer {
 public:
  explicit RawResponseServer(std::string response_bytes);
  ~RawResponseServer();
  std::string base_url() const;
  std::size_t connections() const { return connections_.load(); }

 private:
  std::string response_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> connections_{0};
  std::thread thread_;
};

}  // namespace rhc::testing
