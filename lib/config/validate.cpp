// ClientConfig::validate() and the defaults helper TimeoutConfig::all().
#include "config/validate.hpp"

#include <curl/curl.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <memory>
#include <new>
#include <optional>
#include <rhc/errors.hpp>
#include <sstream>
#include <system_error>

#include "base/ascii.hpp"
#include "config/field_table.hpp"
#include "http/header_check.hpp"
#include "http/request_id.hpp"
#include "logging/logger.hpp"
#include "url/url_check.hpp"

namespace rhc {

TimeoutConfig TimeoutConfig::all(Seconds s) {
  TimeoutConfig t;
  t.connect = t.read = t.write = t.pool = s;
  return t;
}

void ClientConfig::validate() const { detail::config::throw_if_invalid(*this); }

const char* to_string(BreakerMode value) {
  switch (value) {
    case BreakerMode::Consecutive:
      return "consecutive";
    case BreakerMode::FailureRate:
      return "failure_rate";
  }
  return "unknown";
}

const char* to_string(BreakerScope value) {
  switch (value) {
    case BreakerScope::Client:
      return "client";
    case BreakerScope::Authority:
      return "authority";
  }
  return "unknown";
}

const char* to_string(UnsafeRetry value) {
  switch (value) {
    case UnsafeRetry::Always:
      return "always";
    case UnsafeRetry::WhenSafe:
      return "when_safe";
    case UnsafeRetry::Never:
      return "never";
  }
  return "unknown";
}

}  // namespace rhc

namespace rhc::detail::config {
namespace {

void check_range(const Field& f, double v, std::vector<Problem>& out) {
  const Range& r = *f.range;
  const std::string got = " (got " + format_number(v) + ")";
  if (!std::isfinite(v)) {
    out.push_back({f.path, "must be a finite number" + got});
  } else if (r.lo_open ? !(v > r.lo) : !(v >= r.lo)) {
    out.push_back({f.path, (r.lo_open ? "must be > " : "must be >= ") + format_number(r.lo) + got});
  } else if (r.hi_open ? !(v < r.hi) : !(v <= r.hi)) {
    out.push_back({f.path, (r.hi_open ? "must be < " : "must be <= ") + format_number(r.hi) + got});
  }
}

// CR and LF would let a value split an HTTP header or a log line; NUL would cut it short
// where it crosses into C (libcurl, glog).
bool has_line_breaks_or_nul(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// The URL rule prepare() and redirects apply too (url/url_check.hpp), so base_url means
// exactly what a request URL would.
void check_base_url(const std::string& url, std::vector<Problem>& out) {
  if (url.empty()) return;
  constexpr std::string_view kWant = "must be an absolute http or https URL";
  if (has_line_breaks_or_nul(url)) {
    out.push_back({"base_url", std::string(kWant) + " (it contains CR, LF or NUL)"});
    return;
  }
  std::string error;
  if (!parse_absolute_url(url, &error)) {
    out.push_back({"base_url", std::string(kWant) + " (" + error + ")"});
  }
}

void check_ca_bundle(const std::string& path, std::vector<Problem>& out) {
  if (path.empty()) return;
  if (path.find('\0') != std::string::npos) {
    out.push_back({"ca_bundle", "must not contain NUL"});
    return;
  }
  // Checked here so a typo fails at construction, not as a TLS error on every request.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    out.push_back({"ca_bundle", "must name an existing file (got " + quote(path) + ")"});
  }
}

void check_proxy(const std::string& proxy, std::vector<Problem>& out) {
  if (proxy.empty()) return;
  if (proxy.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
    out.push_back({"proxy", "must not contain CR, LF or NUL"});
    return;
  }
  // libcurl's own reading of a proxy string: "host:port" means http://host:port.
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> h(curl_url(), &curl_url_cleanup);
  if (!h) throw std::bad_alloc();
  if (CURLUcode rc = curl_url_set(h.get(), CURLUPART_URL, proxy.c_str(), CURLU_GUESS_SCHEME);
      rc != CURLUE_OK) {
    out.push_back(
        {"proxy", std::string("must be a proxy URL (libcurl: ") + curl_url_strerror(rc) + ")"});
  }
}

// A name that is not a token can match no header, so a typo ("X Api-Key") would silently
// protect nothing; it fails here instead, by the token rule requests are checked with.
void check_sensitive_headers(const std::vector<std::string>& names, std::vector<Problem>& out) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (is_token(names[i])) continue;
    out.push_back({"sensitive_headers",
                   "must be a header name (an RFC 9110 token) (got " + quote(names[i]) + ")", i});
  }
}

// The idempotency key goes out as a header of its own, next to X-Request-ID (which rhc sets on
// every attempt); naming that header would send two X-Request-IDs, or one with two meanings.
void check_key_header(const std::string& name, std::vector<Problem>& out) {
  if (name.empty()) return;
  if (!is_token(name)) {
    out.push_back({"idempotency.key_header",
                   "must be empty or a header name (an RFC 9110 token) (got " + quote(name) + ")"});
  } else if (ascii_iequals(name, kRequestIdHeader)) {
    out.push_back({"idempotency.key_header", "must not be " + std::string(kRequestIdHeader) +
                                                 ", which rhc sends itself (got " + quote(name) +
                                                 ")"});
  }
}

// Each item is compared with a request's method, so a non-token could match none.
std::optional<std::string> method_problem(const std::string& method) {
  if (is_token(method)) return std::nullopt;
  return "must be an HTTP method (an RFC 9110 token) (got " + quote(method) + ")";
}

void check_idempotent_methods(const std::vector<std::string>& methods, std::vector<Problem>& out) {
  for (std::size_t i = 0; i < methods.size(); ++i) {
    if (auto text = method_problem(methods[i])) out.push_back({"idempotency.methods", *text, i});
  }
}

// A method in hedging.methods is hedged without an idempotency key, so it may run twice on
// the server. POST and PATCH may change state each time: they are hedged only per request,
// with a key (RequestOptions::hedge). Matched ignoring case: some servers read "post" as POST.
void check_hedged_methods(const std::vector<std::string>& methods, std::vector<Problem>& out) {
  for (std::size_t i = 0; i < methods.size(); ++i) {
    const std::string& m = methods[i];
    if (auto text = method_problem(m)) {
      out.push_back({"hedging.methods", *text, i});
    } else if (ascii_iequals(m, "POST") || ascii_iequals(m, "PATCH")) {
      out.push_back({"hedging.methods",
                     "must not be POST or PATCH, which are hedged only per request, with an "
                     "idempotency key (got " +
                         quote(m) + ")",
                     i});
    }
  }
}

// `a` >= `b`, two fields named by their key paths, reported under `a`'s: "retry.max_wait_seconds
// must be >= retry.min_wait_seconds (got 1 < 5)". Runs after the range checks and is skipped
// when either field already failed its own, so that one bad value is one message (NaN too).
void check_at_least(std::string_view a, double a_value, std::string_view b, double b_value,
                    std::vector<Problem>& out) {
  for (const Problem& p : out) {
    if (p.path == a || p.path == b) return;
  }
  if (!(a_value < b_value)) return;
  out.push_back({a, "must be >= " + std::string(b) + " (got " + format_number(a_value) + " < " +
                        format_number(b_value) + ")"});
}

// An enum field holds one of its enumerators; only a cast can make it hold anything else.
void check_enums(const ClientConfig& c, std::vector<Problem>& out) {
  for (const Field& f : fields()) {
    const auto* m = std::get_if<EnumMember>(&f.member);
    if (m == nullptr) continue;
    const int value = read(*m, c);
    if (enum_text(*m, value)) continue;
    out.push_back(
        {f.path, "must be one of " + enum_choices(*m) + " (got " + std::to_string(value) + ")"});
  }
}

// The range check of every numeric field whose path starts with `prefix`.
void check_ranges(const ClientConfig& c, std::string_view prefix, std::vector<Problem>& out) {
  for (const Field& f : fields()) {
    if (!f.range || !f.path.starts_with(prefix)) continue;
    if (auto m = std::get_if<IntMember>(&f.member)) check_range(f, read(*m, c), out);
    if (auto m = std::get_if<DoubleMember>(&f.member)) check_range(f, read(*m, c), out);
    if (auto m = std::get_if<SecondsMember>(&f.member)) check_range(f, read(*m, c).count(), out);
  }
}

}  // namespace

std::vector<Problem> find_timeout_problems(const TimeoutConfig& timeout) {
  // The table's accessors reach fields through a ClientConfig; a default one allocates
  // nothing (its strings fit the small-string buffer), so this costs a copy of five doubles.
  ClientConfig scratch;
  scratch.timeout = timeout;
  std::vector<Problem> out;
  check_ranges(scratch, "timeout.", out);
  return out;
}

std::vector<Problem> find_problems(const ClientConfig& c) {
  std::vector<Problem> out;
  check_ranges(c, "", out);
  check_enums(c, out);
  check_at_least("retry.max_wait_seconds", c.retry.max_wait.count(), "retry.min_wait_seconds",
                 c.retry.min_wait.count(), out);
  check_at_least("circuit_breaker.max_recovery_timeout_seconds",
                 c.circuit_breaker.max_recovery_timeout.count(), "circuit_breaker.recovery_timeout",
                 c.circuit_breaker.recovery_timeout.count(), out);
  // An initial limit above bulkhead.max_concurrency is allowed: the ceiling caps it.
  check_at_least("bulkhead.adaptive.initial_limit", c.bulkhead.adaptive.initial_limit,
                 "bulkhead.adaptive.min_limit", c.bulkhead.adaptive.min_limit, out);
  check_base_url(c.base_url, out);
  if (!parse_severity(c.logging.level)) {
    out.push_back({"logging.level", "must be one of DEBUG, INFO, WARNING, ERROR (got " +
                                        quote(c.logging.level) + ")"});
  }
  if (has_line_breaks_or_nul(c.logging.logger_name)) {
    out.push_back({"logging.logger_name", "must not contain CR, LF or NUL"});
  }
  if (has_line_breaks_or_nul(c.user_agent)) {
    out.push_back({"user_agent", "must not contain CR, LF or NUL"});
  } else if (check_header("User-Agent", c.user_agent)) {
    // The only other reason check_header has: the line is too long.
    out.push_back(
        {"user_agent", "must be at most " + std::to_string(kMaxHeaderLineBytes - 12) + " bytes"});
  }
  check_key_header(c.idempotency.key_header, out);
  check_idempotent_methods(c.idempotency.methods, out);
  check_hedged_methods(c.hedging.methods, out);
  check_ca_bundle(c.ca_bundle, out);
  check_proxy(c.proxy, out);
  check_sensitive_headers(c.sensitive_headers, out);
  check_transport(c, out);
  return out;
}

std::string describe(const Problem& problem, const Sources& sources) {
  std::string out(problem.path);
  if (problem.index) {
    // Appended piece by piece: "[" + to_string + "]" trips GCC 12's -Wrestrict at -O3.
    out += '[';
    out += std::to_string(*problem.index);
    out += ']';
  }
  if (auto it = sources.find(problem.path); it != sources.end()) {
    out += " (from " + it->second + ")";
  }
  out += ' ';
  out += problem.text;
  return out;
}

void throw_if_invalid(const ClientConfig& config, const Sources& sources) {
  auto problems = find_problems(config);
  if (problems.empty()) return;
  std::vector<std::string> messages;
  for (const auto& p : problems) messages.push_back(describe(p, sources));
  throw_config_error("ClientConfig", messages);
}

void throw_config_error(std::string_view subject, const std::vector<std::string>& messages) {
  std::string what = "invalid ";
  what += subject;
  what += ": ";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i > 0) what += "; ";
    what += messages[i];
  }
  throw ConfigError(what);
}

std::string quote(std::string_view value) {
  constexpr std::size_t kMax = 64;
  std::string out = "\"";
  for (std::size_t i = 0; i < value.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (value.size() > kMax) out += "...";
  out += '"';
  return out;
}

std::string format_number(double value) {
  std::ostringstream os;
  os.imbue(std::locale::classic());  // "0.5" whatever the host's locale says
  os << std::setprecision(15) << value;
  return os.str();
}

}  // namespace rhc::detail::config
