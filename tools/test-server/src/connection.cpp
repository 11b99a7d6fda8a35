#include "connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace rhc::test_server::detail {
namespace {

// Waits are sliced so that a stop is noticed within this long.
constexpr std::chrono::milliseconds kStopPollSlice{50};

thread_local Connection* current_connection = nullptr;

void address_to_ip_and_port(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text);
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof text);
    port = ntohs(v6.sin6_port);
  }
  ip = text;
}

}  // namespace

Connection::Connection(int fd, const StopSignal& stop, std::chrono::milliseconds io_timeout)
    : fd_(fd), stop_(stop), io_timeout_(io_timeout) {}

Connection::~Connection() {
  if (aborted()) {
    // Linger 0 turns close() into an abortive close: the kernel drops unsent data and sends
    // RST, which the client sees as "connection reset by peer".
    linger abortive{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
  } else {
    shutdown(fd_, SHUT_RDWR);
  }
  close(fd_);
}

Connection* Connection::current() { return current_connection; }

Connection::Ready Connection::wait_until(short events, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return Ready::timed_out;
    pollfd watched{fd_, events, 0};
    const int n = poll(&watched, 1, static_cast<int>(std::min(left, kStopPollSlice).count()));
    if (n > 0) return (watched.revents & POLLNVAL) ? Ready::failed : Ready::yes;
    if (n < 0 && errno != EINTR) return Ready::failed;
    if (stop_.stop_requested()) return Ready::stopped;
  }
}

bool Connection::is_readable() const {
  return buffer_begin_ < buffer_end_ || wait_until(POLLIN, io_timeout_) == Ready::yes;
}

bool Connection::is_writable() const {
  return !aborted() && wait_until(POLLOUT, io_timeout_) == Ready::yes;
}

bool Connection::peer_gone() const {
  // A peek reads nothing away: 0 is the FIN, an error other than "nothing yet" the RST.
  char byte;
  const ssize_t n = recv(fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

bool Connection::wait_for_request(std::chrono::milliseconds idle) const {
  if (buffer_begin_ < buffer_end_) return true;  // a pipelined request is already here
  if (wait_until(POLLIN, idle) != Ready::yes) return false;
  char byte;
  return recv(fd_, &byte, 1, MSG_PEEK) > 0;
}

ssize_t Connection::read(char* ptr, size_t size) {
  if (buffer_begin_ == buffer_end_) {
    if (!is_readable()) return -1;
    ssize_t n;
    do {
      n = recv(fd_, buffer_.data(), buffer_.size(), 0);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) return n;
    buffer_begin_ = 0;
    buffer_end_ = static_cast<std::size_t>(n);
  }
  const std::size_t count = std::min(size, buffer_end_ - buffer_begin_);
  std::memcpy(ptr, buffer_.data() + buffer_begin_, count);
  buffer_begin_ += count;
  return static_cast<ssize_t>(count);
}

ssize_t Connection::write(const char* ptr, size_t size) {
  if (!is_writable()) return -1;
  ssize_t n;
  do {
    // MSG_NOSIGNAL: a peer that went away must not SIGPIPE the whole process.
    n = send(fd_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void Connection::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    address_to_ip_and_port(address, ip, port);
  }
}

void Connection::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    address_to_ip_and_port(address, ip, port);
  }
}

CurrentConnectionScope::CurrentConnectionScope(Connection& connection) {
  current_connection = &connection;
}

CurrentConnectionScope::~CurrentConnectionScope() { current_connection = nullptr; }

}  // namespace rhc::test_server::detail
