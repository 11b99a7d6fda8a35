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
//  - an error is one of the classes a response can cause (docs/reliability.md "Response
//    framing"): ProtocolError, ResponseTooLargeError, APITimeoutError, another
//    APIConnectionError, APIStatusError; never ConfigError, RedirectError or the like;
//  - a response whose first head is cleanly delimited (CRLF lines, "name:" fields, a blank
//    line) and frames itself ambiguously (two different or malformed Content-Length values,
//    Transfer-Encoding with Content-Length, an obs-fold line, a status code that is not three
//    digits in 100-999) ends in ProtocolError (or ResponseTooLargeError), never a Response;
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
#include <string_view>
#include <vector>

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

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9110 8.6: 1*DIGIT, or a list of one repeated value. Written apart from rhc's own parser
// (lib/http/response_framing.cpp) so that the two check each other.
bool valid_content_length(std::string_view value, std::string& seen) {
  std::size_t start = 0;
  for (;;) {
    const auto comma = value.find(',', start);
    std::string_view member = trim_ows(value.substr(start, comma - start));
    while (member.size() > 1 && member.front() == '0') member.remove_prefix(1);
    // rhc refuses a length beyond curl_off_t (63 bits).
    if (!is_digits(member) || member.size() > 19 ||
        (member.size() == 19 && member > "9223372036854775807")) {
      return false;
    }
    if (!seen.empty() && seen != member) return false;
    seen = std::string(member);
    if (comma == std::string_view::npos) return true;
    start = comma + 1;
  }
}

// Why the response's first head frames itself ambiguously, or "" when it does not or when it
// is not clean enough to judge here (bare CR or LF, NUL, no blank line, a line that is not
// "token:" or a fold: libcurl's own reading of those is not this oracle's business).
std::string framing_violation(std::string_view response) {
  const auto end = response.find("\r\n\r\n");
  if (end == std::string_view::npos) return "";
  const std::string_view head = response.substr(0, end + 2);
  if (head.find('\0') != std::string_view::npos) return "";
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < head.size();) {
    const auto eol = head.find("\r\n", pos);
    const std::string_view line = head.substr(pos, eol - pos);
    if (line.find_first_of("\r\n") != std::string_view::npos) return "";
    lines.push_back(line);
    pos = eol + 2;
  }
  const std::string_view status = lines.front();
  if (status.compare(0, 9, "HTTP/1.1 ") != 0 && status.compare(0, 9, "HTTP/1.0 ") != 0) return "";
  std::string violation;
  const std::string_view code = status.substr(9, 4);
  if (code.size() < 3 || code[0] < '1' || code[0] > '9' || !is_digits(code.substr(0, 3)) ||
      (code.size() == 4 && code[3] != ' ')) {
    violation = "status code not in 100-999";
  }
  std::string length;
  bool has_length = false;
  bool has_transfer_encoding = false;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
      if (violation.empty()) violation = "obs-fold";
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) return "";
    const std::string_view name = line.substr(0, colon);
    if (name.size() == 14 && ::strncasecmp(name.data(), "content-length", name.size()) == 0) {
      has_length = true;
      if (!valid_content_length(trim_ows(line.substr(colon + 1)), length) && violation.empty()) {
        violation = "invalid or differing Content-Length";
      }
    } else if (name.size() == 17 &&
               ::strncasecmp(name.data(), "transfer-encoding", name.size()) == 0) {
      has_transfer_encoding = true;
    }
  }
  if (violation.empty() && has_length && has_transfer_encoding) {
    violation = "Transfer-Encoding with Content-Length";
  }
  return violation;
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
    check(future, framing_violation(response));
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

  void check(std::future<rhc::Response>& future, const std::string& violation) {
    rhc::Response r;
    try {
      r = future.get();
    } catch (const rhc::ProtocolError&) {
      return;
    } catch (const rhc::ResponseTooLargeError&) {
      return;
    } catch (const rhc::APIConnectionError& e) {
      // Timeouts, connections cut short, 5xx, 408, 429: the transient classes.
      if (!violation.empty()) {
        rhc_fuzz::fail(kTarget, "a head with " + violation + " ended in " +
                                    rhc_fuzz::printable(e.what()) + ", not a ProtocolError");
      }
      return;
    } catch (const rhc::APIStatusError& e) {
      if (!violation.empty()) {
        rhc_fuzz::fail(kTarget, "a head with " + violation + " was taken as HTTP " +
                                    std::to_string(e.status_code()));
      }
      const rhc::Response* failed = e.response();
      if (failed == nullptr || failed->status_code < 400 || failed->status_code > 499 ||
          e.status_code() != failed->status_code) {
        rhc_fuzz::fail(kTarget, std::string("APIStatusError without its 4xx response: ") +
                                    rhc_fuzz::printable(e.what()));
      }
      return;
    } catch (const rhc::MyAPIError& e) {
      // ConfigError, RedirectError, DecodeError...: no response should cause those.
      rhc_fuzz::fail(kTarget, std::string("a response caused an error of an undocumented class: ") +
                                  rhc_fuzz::printable(e.what()));
    } catch (const std::exception& e) {
      rhc_fuzz::fail(kTarget, std::string("the future threw a non-rhc exception: ") +
                                  rhc_fuzz::printable(e.what()));
    } catch (...) {
      rhc_fuzz::fail(kTarget, "the future threw a non-std exception");
    }
    if (!violation.empty()) {
      rhc_fuzz::fail(kTarget, "a head with " + violation + " was taken as a Response, HTTP " +
                                  std::to_string(r.status_code));
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
