// The slow endpoint for the RSS run. nginx cannot delay a response by itself, and the
// project's rhc-test-server spends a thread per connection, which 10,000 connections make
// the dominant cost of the machine; this is one epoll thread that keeps every connection
// open, holds every request, and answers them all together once `release_after` of them
// have arrived, so the client sees a plateau with exactly that many requests in flight.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "clients.hpp"

namespace rhc::bench {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Connection {
  std::string input;
  unsigned generation = 0;  // bumped on close, so a held request never answers a reused fd
  bool open = false;
};

struct Held {
  int fd;
  unsigned generation;
  Clock::time_point arrived;
};

const std::string kResponse = [] {
  const std::string body =
      R"({"message_id":"5b0e3c1e-8d2a-4c61-9a57-0f1d2e3c4b5a","replayed":false,)"
      R"("method":"GET","request_id":null,"attempt":1,"delay_ms":0})";
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: keep-alive\r\n\r\n" + body;
}();

class SlowServer {
 public:
  explicit SlowServer(const SlowServerOptions& o) : o_(o) {}

  int run() {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    const int one = 1;
    setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(o_.port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listener_, 65535) != 0) {
      std::perror("slow-server: bind/listen");
      return 1;
    }
    epoll_ = epoll_create1(0);
    watch(listener_);
    std::printf("slow-server listening on http://127.0.0.1:%d/\n", o_.port);
    std::fflush(stdout);

    std::vector<epoll_event> events(1024);
    for (;;) {
      const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 10);
      for (int i = 0; i < n; ++i) {
        const int fd = events[static_cast<std::size_t>(i)].data.fd;
        if (fd == listener_) {
          accept_all();
        } else {
          read_from(fd);
        }
      }
      answer_due(Clock::now());
    }
  }

 private:
  void watch(int fd) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
  }

  Connection& connection(int fd) {
    if (static_cast<std::size_t>(fd) >= connections_.size()) {
      connections_.resize(static_cast<std::size_t>(fd) + 1);
    }
    return connections_[static_cast<std::size_t>(fd)];
  }

  void accept_all() {
    for (;;) {
      const int fd = accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK);
      if (fd < 0) return;
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      Connection& c = connection(fd);
      c.input.clear();
      c.open = true;
      watch(fd);
    }
  }

  void close_connection(int fd) {
    Connection& c = connection(fd);
    c.open = false;
    ++c.generation;
    close(fd);
  }

  void read_from(int fd) {
    Connection& c = connection(fd);
    char buffer[4096];
    for (;;) {
      const ssize_t got = read(fd, buffer, sizeof buffer);
      if (got > 0) {
        c.input.append(buffer, static_cast<std::size_t>(got));
        continue;
      }
      if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        close_connection(fd);
        return;
      }
      break;
    }
    // GET requests only: a request ends at its blank line.
    std::size_t end;
    while ((end = c.input.find("\r\n\r\n")) != std::string::npos) {
      c.input.erase(0, end + 4);
      const auto now = Clock::now();
      held_.push_back({fd, c.generation, now});
      if (o_.release_after > 0 && ++received_ >= o_.release_after && !released_at_) {
        released_at_ = now;
        std::printf("slow-server: %ld requests held, answering in %ld ms\n", received_,
                    o_.delay_ms);
        std::fflush(stdout);
      }
    }
  }

  Clock::time_point due(const Held& h) const {
    if (o_.release_after == 0) return h.arrived + milliseconds(o_.delay_ms);
    if (released_at_) return std::max(h.arrived, *released_at_) + milliseconds(o_.delay_ms);
    return h.arrived + milliseconds(o_.max_hold_ms);
  }

  void answer_due(Clock::time_point now) {
    // Due times never decrease along the queue: it is in arrival order.
    while (!held_.empty() && due(held_.front()) <= now) {
      const Held h = held_.front();
      held_.pop_front();
      Connection& c = connection(h.fd);
      if (!c.open || c.generation != h.generation) continue;
      if (write(h.fd, kResponse.data(), kResponse.size()) < 0) close_connection(h.fd);
    }
    if (released_at_ && held_.empty()) {
      released_at_.reset();  // ready for the next run
      received_ = 0;
    }
  }

  SlowServerOptions o_;
  int listener_ = -1;
  int epoll_ = -1;
  std::vector<Connection> connections_;
  std::deque<Held> held_;
  long received_ = 0;
  std::optional<Clock::time_point> released_at_;
};

}  // namespace

int run_slow_server(const SlowServerOptions& options) { return SlowServer(options).run(); }

}  // namespace rhc::bench
