#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <rhc/config.hpp>
#include <rhc/errors.hpp>
#include <string>
#include <vector>

#include "config/validate.hpp"

using Catch::Matchers::Contains;
using rhc::ClientConfig;
using rhc::Seconds;

namespace {

// validate()'s message, or "" when the config is valid.
std::string problems(const ClientConfig& c) {
  try {
    c.validate();
    return "";
  } catch (const rhc::ConfigError& e) {
    return e.what();
  }
}

template <typename Mutate>
std::string problems_after(Mutate mutate) {
  ClientConfig c;
  mutate(c);
  return problems(c);
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("validate reports every invalid field in one ConfigError", "[config][validate]") {
  ClientConfig c;
  c.retry.max_attempts = 0;
  c.timeout.read = Seconds(-1);
  CHECK(problems(c) ==
        "invalid ClientConfig: timeout.read must be > 0 (got -1); "
        "retry.max_attempts must be >= 1 (got 0)");
  CHECK_THROWS_AS(c.validate(), rhc::MyAPIError);  // ConfigError is an rhc error like any other
}

TEST_CASE("connect, read, write and pool timeouts must be positive", "[config][validate]") {
  for (auto member : {&rhc::TimeoutConfig::connect, &rhc::TimeoutConfig::read,
                      &rhc::TimeoutConfig::write, &rhc::TimeoutConfig::pool}) {
    CHECK(problems_after([&](ClientConfig& c) { c.timeout.*member = Seconds(0.001); }).empty());
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.timeout.*member = Seconds(0); }),
               Contains("must be > 0 (got 0)"));
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.timeout.*member = Seconds(-2.5); }),
               Contains("must be > 0 (got -2.5)"));
  }
  CHECK_THAT(problems_after([](ClientConfig& c) { c.timeout.pool = Seconds(0); }),
             Contains("timeout.pool must be > 0"));
}

TEST_CASE("the total timeout may be zero but not negative", "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) { c.timeout.total = Seconds(0); }).empty());
  CHECK(problems_after([](ClientConfig& c) { c.timeout.total = Seconds(120); }).empty());
  CHECK_THAT(problems_after([](ClientConfig& c) { c.timeout.total = Seconds(-1); }),
             Contains("timeout.total must be >= 0 (got -1)"));
}

TEST_CASE("durations must be finite and at most a billion seconds", "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) { c.timeout.connect = Seconds(1e9); }).empty());
  CHECK_THAT(problems_after([](ClientConfig& c) { c.timeout.connect = Seconds(2e9); }),
             Contains("timeout.connect must be <= 1000000000 (got 2000000000)"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.timeout.read = Seconds(kNaN); }),
             Contains("timeout.read must be a finite number (got nan)"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.max_wait = Seconds(kInf); }),
             Contains("retry.max_wait_seconds must be a finite number (got inf)"));
}

TEST_CASE("retry settings are checked against their ranges", "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) { c.retry.max_attempts = 1; }).empty());
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.max_attempts = -1; }),
             Contains("retry.max_attempts must be >= 1 (got -1)"));

  CHECK(problems_after([](ClientConfig& c) { c.retry.min_wait = Seconds(0); }).empty());
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.min_wait = Seconds(-0.5); }),
             Contains("retry.min_wait_seconds must be >= 0 (got -0.5)"));

  CHECK(problems_after([](ClientConfig& c) { c.retry.multiplier = 1.0; }).empty());
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.multiplier = 0.5; }),
             Contains("retry.multiplier must be >= 1 (got 0.5)"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.multiplier = kNaN; }),
             Contains("retry.multiplier must be a finite number"));
}

TEST_CASE("max_wait may equal min_wait but not be less", "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) {
          c.retry.min_wait = Seconds(2);
          c.retry.max_wait = Seconds(2);
        }).empty());
  CHECK(problems_after([](ClientConfig& c) {
          c.retry.min_wait = Seconds(5);
          c.retry.max_wait = Seconds(1);
        }) ==
        "invalid ClientConfig: retry.max_wait_seconds must be >= "
        "retry.min_wait_seconds (got 1 < 5)");
}

TEST_CASE("circuit breaker and bulkhead settings are checked against their ranges",
          "[config][validate]") {
  CHECK_THAT(problems_after([](ClientConfig& c) { c.circuit_breaker.failure_threshold = 0; }),
             Contains("circuit_breaker.failure_threshold must be >= 1 (got 0)"));
  CHECK_THAT(
      problems_after([](ClientConfig& c) { c.circuit_breaker.recovery_timeout = Seconds(0); }),
      Contains("circuit_breaker.recovery_timeout must be > 0 (got 0)"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.bulkhead.max_concurrency = 0; }),
             Contains("bulkhead.max_concurrency must be >= 1 (got 0)"));
  CHECK(
      problems_after([](ClientConfig& c) { c.bulkhead.acquisition_timeout = Seconds(0); }).empty());
  CHECK_THAT(problems_after([](ClientConfig& c) { c.bulkhead.acquisition_timeout = Seconds(-1); }),
             Contains("bulkhead.acquisition_timeout must be >= 0 (got -1)"));
}

TEST_CASE("redirect, connection and thread counts may be zero but not negative",
          "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) {
          c.max_redirects = 0;
          c.max_host_connections = 0;
          c.executor_threads = 0;
        }).empty());
  CHECK(problems_after([](ClientConfig& c) {
          c.max_redirects = -1;
          c.max_host_connections = -2;
          c.executor_threads = -3;
        }) ==
        "invalid ClientConfig: max_redirects must be >= 0 (got -1); "
        "max_host_connections must be >= 0 (got -2); "
        "executor_threads must be >= 0 (got -3)");
}

TEST_CASE("the log level is one of four names, in any case", "[config][validate]") {
  for (const char* level : {"DEBUG", "INFO", "WARNING", "ERROR", "debug", "Warning"}) {
    CHECK(problems_after([&](ClientConfig& c) { c.logging.level = level; }).empty());
  }
  for (const char* level : {"WARN", "CRITICAL", "", "INFO "}) {
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.logging.level = level; }),
               Contains("logging.level must be one of DEBUG, INFO, WARNING, ERROR"));
  }
}

TEST_CASE("user_agent and logger_name must not contain CR, LF or NUL", "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) { c.user_agent = "MyApp/1.0 (+ops)"; }).empty());
  for (std::string bad : {std::string("a\rb"), std::string("a\nb"), std::string("a\0b", 3)}) {
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.user_agent = bad; }),
               Contains("user_agent must not contain CR, LF or NUL"));
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.logging.logger_name = bad; }),
               Contains("logging.logger_name must not contain CR, LF or NUL"));
  }
}

TEST_CASE("base_url is empty or an absolute http or https URL", "[config][validate]") {
  for (const char* ok : {"", "http://localhost:8000", "https://api.example.com/v1/",
                         "HTTPS://Example.com", "http://[::1]:8080"}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) { c.base_url = ok; }).empty());
  }
  for (const char* bad : {"localhost:8000", "/relative/path", "http://", "ftp://example.com",
                          "file:///etc/passwd", "http://exa mple.com", "http://a\r\nb"}) {
    INFO(bad);
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.base_url = bad; }),
               Contains("base_url must be an absolute http or https URL"));
  }
  CHECK_THAT(problems_after([](ClientConfig& c) { c.base_url = "ftp://example.com"; }),
             Contains("unsupported URL scheme 'ftp' (http and https only)"));
}

TEST_CASE("base_url needs exactly two slashes, a host and a port of 1-65535",
          "[config][validate]") {
  // Issue #19: libcurl accepts all of these ("http:///path" even reads "path" as the host).
  CHECK(problems_after([](ClientConfig& c) { c.base_url = "http:/host:8000"; }) ==
        "invalid ClientConfig: base_url must be an absolute http or https URL (invalid URL: an "
        "absolute URL must start with scheme:// (two slashes) and a host)");
  CHECK_THAT(problems_after([](ClientConfig& c) { c.base_url = "http:///path"; }),
             Contains("scheme:// (two slashes)"));
  CHECK(problems_after([](ClientConfig& c) { c.base_url = "http://host:0"; }) ==
        "invalid ClientConfig: base_url must be an absolute http or https URL (invalid URL: "
        "port must be 1 to 65535 (got 0))");
  CHECK(problems_after([](ClientConfig& c) { c.base_url = "http://host:65535"; }).empty());
  CHECK(problems_after([](ClientConfig& c) { c.base_url = "http://host:1"; }).empty());
  CHECK_THAT(
      problems_after([](ClientConfig& c) { c.base_url = "http://h/" + std::string(70000, 'a'); }),
      Contains("base_url must be an absolute http or https URL (invalid URL: longer than "
               "65536 bytes)"));
}

TEST_CASE("user_agent fits one 64 KiB header line", "[config][validate]") {
  // "User-Agent: " is 12 bytes of the 65536.
  CHECK(
      problems_after([](ClientConfig& c) { c.user_agent = std::string(65536 - 12, 'a'); }).empty());
  CHECK(problems_after([](ClientConfig& c) { c.user_agent = std::string(65536 - 11, 'a'); }) ==
        "invalid ClientConfig: user_agent must be at most 65524 bytes");
}

TEST_CASE("per-request timeouts are checked by ClientConfig's own timeout rows",
          "[config][validate]") {
  using rhc::detail::config::describe;
  using rhc::detail::config::find_timeout_problems;
  rhc::TimeoutConfig t;
  CHECK(find_timeout_problems(t).empty());
  t.read = Seconds(kInf);
  t.write = Seconds(1e10);
  t.connect = Seconds(kNaN);
  t.pool = Seconds(0);
  t.total = Seconds(-kInf);
  const auto found = find_timeout_problems(t);
  std::vector<std::string> text;
  for (const auto& p : found) text.push_back(describe(p));
  CHECK(text == std::vector<std::string>{"timeout.connect must be a finite number (got nan)",
                                         "timeout.read must be a finite number (got inf)",
                                         "timeout.write must be <= 1000000000 (got 10000000000)",
                                         "timeout.pool must be > 0 (got 0)",
                                         "timeout.total must be a finite number (got -inf)"});
  // The same values in a ClientConfig give the same messages.
  ClientConfig c;
  c.timeout = t;
  for (const auto& line : text) CHECK_THAT(problems(c), Contains(line));
}

TEST_CASE("ca_bundle is empty or an existing file", "[config][validate]") {
  const auto file = std::filesystem::temp_directory_path() / "rhc-config-test-ca.pem";
  std::ofstream(file) << "not checked for PEM content\n";
  CHECK(problems_after([&](ClientConfig& c) { c.ca_bundle = file.string(); }).empty());
  std::filesystem::remove(file);

  CHECK_THAT(problems_after([&](ClientConfig& c) { c.ca_bundle = file.string(); }),
             Contains("ca_bundle must name an existing file"));
  CHECK_THAT(problems_after([](ClientConfig& c) {
               c.ca_bundle = std::filesystem::temp_directory_path().string();
             }),
             Contains("ca_bundle must name an existing file"));
}

TEST_CASE("every sensitive header name is an RFC 9110 token", "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) {
          c.sensitive_headers = {"X-Api-Key", "x_session", "!#$%&'*+-.^_`|~09AZaz"};
        }).empty());
  for (std::string bad :
       {std::string(""), std::string("X Bad"), std::string("X-Key:"), std::string("a\r\nb"),
        std::string("a\0b", 3), std::string("caf\xc3\xa9"), std::string("(x)")}) {
    INFO(bad);
    CHECK_THAT(problems_after([&](ClientConfig& c) {
                 c.sensitive_headers = {"X-Ok", bad};
               }),
               Contains("sensitive_headers[1] must be a header name (an RFC 9110 token)"));
  }
  // Quoted back escaped, so a name cannot break the message into lines.
  CHECK(problems_after([](ClientConfig& c) {
          c.sensitive_headers = {"a\r\nb", "X Bad"};
        }) ==
        "invalid ClientConfig: sensitive_headers[0] must be a header name (an RFC 9110 token) "
        "(got \"a\\x0d\\x0ab\"); sensitive_headers[1] must be a header name (an RFC 9110 "
        "token) (got \"X Bad\")");
}
