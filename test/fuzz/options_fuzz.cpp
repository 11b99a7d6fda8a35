// Fuzz target: every option a caller can set, through a REAL client against a local server.
// Each input builds a ClientConfig (retry, timeouts, max_response_bytes) and one request
// (method, path, a header, a param, per-request timeouts), runs it on a fresh
// rhc::ResilientClient against the in-process echo server (test/support/echo_server.hpp),
// and closes the client.
//
// Input: fields cut at the first byte (fuzz_support.hpp's split_fields); a missing or empty
// field keeps its default. Numbers are read with strtod/strtoll, so "inf", "nan", "-1",
// "1e10" and "0x1p-1074" all reach the library.
//    0 method            5 param value        10 timeout.total         15 max_response_bytes
//    1 path suffix       6 timeout.connect    11 retry.max_attempts    16 client timeout.read
//    2 header name       7 timeout.read       12 retry.min_wait        17 client timeout.total
//    3 header value      8 timeout.write      13 retry.max_wait        18 header value repeats
//    4 param key         9 timeout.pool       14 retry.multiplier      19 "status" -> /status/N
// Fields 6-10 all empty: no per-request timeout.
//
// Asserts, for any input:
//  - the client is refused (ConfigError) exactly when the config breaks the documented rules
//    (docs/configuration.md), checked here by code written apart from lib/config;
//  - a request whose options break the rules (a timeout not finite or out of range, a method
//    or header name that is not a token, CR/LF/NUL in a value, a header line over 64 KiB)
//    resolves at once with ConfigError and attempts() == 0, and the server sees nothing;
//  - a request with plain options (token method, simple path, short header and param) is
//    never a ConfigError;
//  - every future resolves: within timeout.total + slack when a total of at most 5 s applies;
//    otherwise within 5 s unless a long wait is legitimate (retries of a 5xx/429, a framing
//    header such as Content-Length that leaves the server waiting, an unusual method), in
//    which case cancelling it resolves it with CancelledError within a few seconds;
//  - close() returns (libFuzzer's -timeout reports it if not); no crash, no sanitizer report.
// Redirects are off: a fuzzed param must never send traffic off this machine.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <future>
#include <limits>
#include <memory>
#include <optional>
#include <rhc/rhc.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "echo_server.hpp"
#include "fuzz_support.hpp"

namespace {

constexpr const char* kTarget = "options";
using namespace std::chrono_literals;
constexpr double kMaxSeconds = 1e9;
constexpr std::size_t kMaxHeaderLine = 64 * 1024;

std::optional<double> number(const std::vector<std::string_view>& f, std::size_t i) {
  if (i >= f.size() || f[i].empty()) return std::nullopt;
  const std::string text(f[i]);
  return std::strtod(text.c_str(), nullptr);
}

std::optional<int> integer(const std::vector<std::string_view>& f, std::size_t i) {
  if (i >= f.size() || f[i].empty()) return std::nullopt;
  const std::string text(f[i]);
  const long long v = std::strtoll(text.c_str(), nullptr, 10);
  if (v > std::numeric_limits<int>::max()) return std::numeric_limits<int>::max();
  if (v < std::numeric_limits<int>::min()) return std::numeric_limits<int>::min();
  return static_cast<int>(v);
}

std::string_view field(const std::vector<std::string_view>& f, std::size_t i) {
  return i < f.size() ? f[i] : std::string_view();
}

bool in_range(double v, double lo, bool lo_open) {
  return std::isfinite(v) && (lo_open ? v > lo : v >= lo) && v <= kMaxSeconds;
}

// docs/configuration.md's timeout rows: connect/read/write/pool in (0, 1e9], total [0, 1e9].
bool timeouts_valid(const rhc::TimeoutConfig& t) {
  return in_range(t.connect.count(), 0, true) && in_range(t.read.count(), 0, true) &&
         in_range(t.write.count(), 0, true) && in_range(t.pool.count(), 0, true) &&
         in_range(t.total.count(), 0, false);
}

bool config_valid(const rhc::ClientConfig& c) {
  const auto& r = c.retry;
  return timeouts_valid(c.timeout) && r.max_attempts >= 1 &&
         in_range(r.min_wait.count(), 0, false) && in_range(r.max_wait.count(), 0, false) &&
         r.max_wait >= r.min_wait && std::isfinite(r.multiplier) && r.multiplier >= 1 &&
         c.max_response_bytes >= 0;
}

bool is_tchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool plain_text(std::string_view s, std::size_t max) {
  if (s.size() > max) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok && c != '-' && c != '_') return false;
  }
  return true;
}

// Headers that change how the server reads the request, so it may wait for bytes that never
// come: then only a timeout (possibly a huge valid one) or a cancel ends the request.
bool may_stall_server(std::string_view name) {
  for (const char* h : {"Content-Length", "Transfer-Encoding", "Expect", "Connection", "Host",
                        "Upgrade", "TE", "Content-Encoding"}) {
    if (iequals(name, h)) return true;
  }
  return false;
}

bool standard_method(std::string_view m) {
  for (const char* s : {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
    if (m == s) return true;
  }
  return false;
}

rhc::testing::EchoServer& server() {
  static auto* s = new rhc::testing::EchoServer();  // one for the run; never torn down
  return *s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto f = rhc_fuzz::split_fields(rhc_fuzz::as_text(data, size));

  rhc::ClientConfig config;
  config.base_url = server().base_url();
  config.logging.level = "ERROR";
  config.follow_redirects = false;
  config.retry.min_wait = std::chrono::milliseconds(1);
  config.retry.max_wait = std::chrono::milliseconds(5);
  config.circuit_breaker.failure_threshold = 1000;
  if (auto v = integer(f, 11)) config.retry.max_attempts = *v;
  if (auto v = number(f, 12)) config.retry.min_wait = rhc::Seconds(*v);
  if (auto v = number(f, 13)) config.retry.max_wait = rhc::Seconds(*v);
  if (auto v = number(f, 14)) config.retry.multiplier = *v;
  if (auto v = integer(f, 15)) config.max_response_bytes = *v;
  if (auto v = number(f, 16)) config.timeout.read = rhc::Seconds(*v);
  if (auto v = number(f, 17)) config.timeout.total = rhc::Seconds(*v);

  const bool valid_config = config_valid(config);
  std::unique_ptr<rhc::ResilientClient> client;
  try {
    client = std::make_unique<rhc::ResilientClient>(config);
  } catch (const rhc::ConfigError& e) {
    if (valid_config) rhc_fuzz::fail(kTarget, std::string("valid config refused: ") + e.what());
    return 0;
  }
  if (!valid_config) rhc_fuzz::fail(kTarget, "invalid config accepted");

  // The request.
  std::string method(field(f, 0).empty() ? std::string_view("GET") : field(f, 0));
  std::string suffix;
  for (char c : field(f, 1)) {
    // No '.' or '%': "/echo/../bytes?n=1e12" must not reach the server's other routes.
    if (c != '.' && c != '%') suffix += c;
  }
  std::string path = "/echo/" + suffix;
  bool retryable_status = false;
  if (field(f, 19) == "status") {
    int status = 200;
    if (auto v = integer(f, 1)) status = *v;
    if (status < 200 || status > 599) status = 200;
    path = "/status/" + std::to_string(status);
    retryable_status = status >= 500 || status == 429 || status == 408;
  }
  rhc::RequestOptions options;
  const std::string header_name(field(f, 2));
  std::string header_value;
  if (!header_name.empty()) {
    long long repeats = 1;
    if (auto v = integer(f, 18)) repeats = std::clamp<long long>(*v, 1, 200000);
    const std::string_view unit = field(f, 3);
    if (!unit.empty() && unit.size() * static_cast<std::size_t>(repeats) <= 300000) {
      for (long long i = 0; i < repeats; ++i) header_value.append(unit);
    } else {
      header_value.assign(unit);
    }
    options.headers.emplace_back(header_name, header_value);
  }
  const std::string param_key(field(f, 4));
  const std::string param_value(field(f, 5));
  if (!param_key.empty()) options.params.emplace_back(param_key, param_value);
  bool any_timeout = false;
  rhc::TimeoutConfig t;
  rhc::Seconds* slots[] = {&t.connect, &t.read, &t.write, &t.pool, &t.total};
  for (std::size_t i = 0; i < 5; ++i) {
    if (auto v = number(f, 6 + i)) {
      *slots[i] = rhc::Seconds(*v);
      any_timeout = true;
    }
  }
  if (any_timeout) options.timeout = t;
  const rhc::TimeoutConfig effective = any_timeout ? t : config.timeout;

  const bool header_ok =
      header_name.empty() || (is_token(header_name) && !rhc_fuzz::has_cr_lf_nul(header_value) &&
                              header_name.size() + 2 + header_value.size() <= kMaxHeaderLine);
  const bool must_refuse = !is_token(method) || !header_ok || (any_timeout && !timeouts_valid(t));
  const bool plain =
      !must_refuse && plain_text(suffix, 1000) && plain_text(param_key, 1000) &&
      plain_text(param_value, 1000) &&
      (header_name.empty() || (plain_text(header_name, 100) && plain_text(header_value, 1000)));
  // Retries may be legitimately long: a 5xx/429, or a timeout (a tiny read timeout is
  // valid), retried max_attempts times with waits of up to max_wait.
  const double retry_budget = (config.retry.max_attempts - 1.0) * config.retry.max_wait.count();
  const bool may_wait_long = (retryable_status && config.retry.max_attempts > 1) ||
                             retry_budget > 1.0 || config.retry.max_attempts > 50 ||
                             may_stall_server(header_name) || !standard_method(method);

  const std::size_t seen_before = server().requests_seen();
  rhc::CancelToken cancel;
  options.cancel = cancel;
  auto future = client->request(method, path, std::move(options));

  const double total = effective.total.count();
  const bool bounded_total = total > 0 && total <= 5.0;
  const auto wait =
      bounded_total
          ? std::chrono::duration_cast<std::chrono::milliseconds>(rhc::Seconds(total)) + 5s
          : std::chrono::milliseconds(5000);
  bool cancelled = false;
  if (future.wait_for(wait) != std::future_status::ready) {
    if (bounded_total || must_refuse || !may_wait_long) {
      rhc_fuzz::fail(kTarget, "request did not resolve within its bound: " + method + " " +
                                  rhc_fuzz::printable(path));
    }
    cancel.cancel();
    cancelled = true;
    if (future.wait_for(5s) != std::future_status::ready) {
      rhc_fuzz::fail(kTarget, "a cancelled request did not resolve");
    }
  }

  try {
    future.get();
    if (must_refuse) rhc_fuzz::fail(kTarget, "options that break the rules were accepted");
    if (cancelled) rhc_fuzz::fail(kTarget, "cancelled, yet a Response");
  } catch (const rhc::ConfigError& e) {
    if (!must_refuse && plain) {
      rhc_fuzz::fail(kTarget, std::string("plain options refused: ") + e.what());
    }
    if (e.attempts() != 0) rhc_fuzz::fail(kTarget, "a ConfigError after an attempt");
    if (server().requests_seen() != seen_before) {
      rhc_fuzz::fail(kTarget, "a refused request reached the server");
    }
  } catch (const rhc::CancelledError&) {
    if (must_refuse) rhc_fuzz::fail(kTarget, "options that break the rules were not refused");
    if (!cancelled) rhc_fuzz::fail(kTarget, "CancelledError without a cancel");
  } catch (const rhc::MyAPIError&) {
    if (must_refuse) rhc_fuzz::fail(kTarget, "options that break the rules were not refused");
  }
  client->close();
  return 0;
}
