#include "raw_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace rhc::testing {

RawResponseServer::RawResponseServer(std::string response_bytes)
    : response_(std::move(response_bytes)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    throw std::runtime_error("RawResponseServer: cannot bind");
  }
  ::listen(listen_fd_, 64);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++connections_;
      // Read the request head (best effort), answer, close.
      char buffer[8192];
      pollfd in{fd, POLLIN, 0};
      if (::poll(&in, 1, 1000) > 0) (void)::recv(fd, buffer, sizeof buffer, 0);
      std::size_t sent = 0;
      while (sent < response_.size()) {
        ssize_t n = ::send(fd, response_.data() + sent, response_.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
      }
      ::close(fd);
    }
  });
}

RawResponseServer::~RawResponseServer() {
  stop_ = true;
  thread_.join();
  ::close(listen_fd_);
}

std::string RawResponseServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

}  // namespace rhc::testing
