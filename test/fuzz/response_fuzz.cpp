// Fuzz target: the response path. A real rhc::ResilientClient (one for the whole run) does a
// GET to a server inside this target, on 127.0.0.1, that answers with the input's bytes as
// the raw HTTP response and closes. libcurl parses them; lib/loop/transfer.cpp's header and
// body callbacks collect them; lib/errors/classify.cpp turns the result into an outcome.
//
//   HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi
//
// An input may hold up to four responses separated by "--next-response--": the client then
// makes one request per response, in order, on easy handles its pool reuses, so state that
// one transfer leaves in a handle meets the next response.
//
// The server is this thread, not a thread of its own: the client's loop thread does the
// client side, so one thread can accept, read the request and write the answer while the
// future is pending. One connection per input, nothing shared between inputs but the client.
//
// Asserts, for any response bytes:
//  - the future resolves within 10 s (no hang; the server always closes, and the read timeout
//    is 2 s) with a Response or one of rhc's errors (MyAPIError); nothing else is thrown;
//  - a Response has a 2xx or 3xx status (redirects are not followed: a fuzzed Location must
//    never send traffic off this machine), one attempt, header names that are RFC 9110
//    tokens and values free of CR, LF and NUL (RFC 9112 section 2.2: a bare CR makes a field
//    invalid); json() returns or throws DecodeError, within a 64 KiB stack (a server must not
//    be able to crash its client with a body of nested brackets);
//  - an APIStatusError carries the failing response, with a 4xx status;
//  - no crash, no sanitizer report, no leak (LeakSanitizer), and open file descriptors stay
//    within a few of their count after the first inputs.
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <future>
#include <memory>
#include <rhc/client.hpp>
#include <rhc/errors.hpp>
#include <string>

#include "fuzz_support.hpp"

namespace {

constexpr const char* kTarget = "response";
constexpr std::string_view kNextResponse = "--next-response--";
constexpr int kMaxResponses = 4;
constexpr std::size_t kStackBytes = 64 * 1024;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// RFC 9110 tchar.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

int count_open_fds() {
  int n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (::readdir(d) != nullptr) ++n;
    ::closedir(d);
  }
  return n;
}

int ms_until(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

class Harness {
 public:
  Harness() {
    // Requests go to this server only: no proxy from the environment.
    for (const char* v : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                          "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
      ::unsetenv(v);
    }
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 || ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      rhc_fuzz::fail(kTarget, "cannot listen on 127.0.0.1");
    }

    rhc::ClientConfig config;
    config.base_url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    config.retry.max_attempts = 1;
    config.timeout = rhc::TimeoutConfig::all(rhc::Seconds{2.0});
    config.timeout.total = rhc::Seconds{5.0};
    // Every input gets a transfer: the breaker never opens, the bulkhead never refuses.
    config.circuit_breaker.failure_threshold = INT_MAX;
    config.follow_redirects = false;
    config.logging.level = "ERROR";
    config.executor_threads = 1;
    client_ = std::make_unique<rhc::ResilientClient>(config);
  }

  ~Harness() {
    client_.reset();
    ::close(listen_fd_);
  }

  void run(std::string_view input) {
    for (int i = 0; i < kMaxResponses && !input.empty(); ++i) {
      const auto next = i + 1 < kMaxResponses ? input.find(kNextResponse) : std::string_view::npos;
      exchange(std::string(input.substr(0, next)));
      input = next == std::string_view::npos ? std::string_view()
                                             : input.substr(next + kNextResponse.size());
    }
    check_fds();
  }

 private:
  void exchange(const std::string& response) {
    std::future<rhc::Response> future = client_->get("/fuzz");
    const auto deadline = Clock::now() + 10s;
    serve_one(response, future, deadline);
    if (future.wait_until(deadline) != std::future_status::ready) {
      rhc_fuzz::fail(kTarget, "the future did not resolve within 10 s");
    }
    check(future);
  }

  // Accepts the client's connection, reads its request, writes `response` and closes. Gives up
  // quietly if the future resolves first or the deadline passes: the future is what is judged.
  void serve_one(std::string_view response, std::future<rhc::Response>& future,
                 Clock::time_point deadline) {
    int conn = -1;
    while (conn < 0) {
      if (future.wait_for(0s) == std::future_status::ready) return;
      pollfd p{listen_fd_, POLLIN, 0};
      const int ready = ::poll(&p, 1, std::min(ms_until(deadline), 50));
      if (ready > 0) conn = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (ms_until(deadline) == 0) return;
    }
    // The request is a GET without a body: read up to the blank line, so that closing does
    // not find unread bytes (which would turn the close into a reset).
    std::string request;
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
      pollfd p{conn, POLLIN, 0};
      if (::poll(&p, 1, std::min(ms_until(deadline), 2000)) <= 0) break;
      char buf[4096];
      const ssize_t n = ::recv(conn, buf, sizeof buf, 0);
      if (n <= 0) break;
      request.append(buf, static_cast<std::size_t>(n));
    }
    std::size_t sent = 0;
    while (sent < response.size()) {
      pollfd p{conn, POLLOUT, 0};
      if (::poll(&p, 1, std::min(ms_until(deadline), 2000)) <= 0) break;
      const ssize_t n = ::send(conn, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    ::shutdown(conn, SHUT_WR);
    ::close(conn);
  }

  void check(std::future<rhc::Response>& future) {
    rhc::Response r;
    try {
      r = future.get();
    } catch (const rhc::APIStatusError& e) {
      const rhc::Response* failed = e.response();
      if (failed == nullptr || failed->status_code < 400 || failed->status_code > 499 ||
          e.status_code() != failed->status_code) {
        rhc_fuzz::fail(kTarget, std::string("APIStatusError without its 4xx response: ") +
                                    rhc_fuzz::printable(e.what()));
      }
      return;
    } catch (const rhc::MyAPIError& e) {
      if (std::string_view(e.what()).empty()) rhc_fuzz::fail(kTarget, "error without a message");
      return;
    } catch (const std::exception& e) {
      rhc_fuzz::fail(kTarget, std::string("the future threw a non-rhc exception: ") +
                                  rhc_fuzz::printable(e.what()));
    } catch (...) {
      rhc_fuzz::fail(kTarget, "the future threw a non-std exception");
    }
    if (r.status_code < 200 || r.status_code > 399) {
      rhc_fuzz::fail(kTarget, "a Response with status " + std::to_string(r.status_code));
    }
    if (r.attempts != 1) {
      rhc_fuzz::fail(kTarget, "a Response after " + std::to_string(r.attempts) + " attempts");
    }
    for (const auto& [name, value] : r.headers) {
      if (!is_token(name) || rhc_fuzz::has_cr_lf_nul(value)) {
        rhc_fuzz::fail(kTarget, "header field " + rhc_fuzz::printable(name) + ": " +
                                    rhc_fuzz::printable(value));
      }
    }
    try {
      rhc_fuzz::on_small_stack(kStackBytes, [&r] { (void)r.json(); });
    } catch (const rhc::DecodeError&) {
    } catch (const std::exception& e) {
      rhc_fuzz::fail(
          kTarget, std::string("json() threw a non-DecodeError: ") + rhc_fuzz::printable(e.what()));
    }
  }

  // The first inputs settle the client's pools; after them, open descriptors stay put.
  void check_fds() {
    ++runs_;
    const int fds = count_open_fds();
    if (runs_ == 8) baseline_fds_ = fds;
    if (runs_ > 8 && fds > baseline_fds_ + 4) {
      rhc_fuzz::fail(kTarget, std::to_string(fds) + " open descriptors, " +
                                  std::to_string(baseline_fds_) + " after the first inputs");
    }
  }

  int listen_fd_ = -1;
  std::unique_ptr<rhc::ResilientClient> client_;
  long runs_ = 0;
  int baseline_fds_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness harness;
  harness.run(rhc_fuzz::as_text(data, size));
  return 0;
}
