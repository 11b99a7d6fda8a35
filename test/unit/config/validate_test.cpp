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
#include "validation_message.hpp"

using Catch::Matchers::Contains;
using rhc::ClientConfig;
using rhc::Seconds;

namespace {

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

TEST_CASE("the retry budget's window is 1 to 60 seconds", "[config][validate]") {
  for (double ok : {1.0, 10.0, 60.0}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) { c.retry.budget.window = Seconds(ok); }).empty());
  }
  CHECK(problems_after([](ClientConfig& c) { c.retry.budget.window = Seconds(0.5); }) ==
        "invalid ClientConfig: retry.budget.window_seconds must be >= 1 (got 0.5)");
  CHECK(problems_after([](ClientConfig& c) { c.retry.budget.window = Seconds(61); }) ==
        "invalid ClientConfig: retry.budget.window_seconds must be <= 60 (got 61)");
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.budget.window = Seconds(kNaN); }),
             Contains("retry.budget.window_seconds must be a finite number (got nan)"));
}

TEST_CASE("the retry budget's ratio and reserve are finite and not negative",
          "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) {
          c.retry.budget.ratio = 0;
          c.retry.budget.min_retries_per_second = 0;
        }).empty());
  CHECK(problems_after([](ClientConfig& c) {
          c.retry.budget.ratio = 1000;
          c.retry.budget.min_retries_per_second = 1e6;
        }).empty());
  CHECK(problems_after([](ClientConfig& c) { c.retry.budget.ratio = -1; }) ==
        "invalid ClientConfig: retry.budget.ratio must be >= 0 (got -1)");
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.budget.ratio = kNaN; }),
             Contains("retry.budget.ratio must be a finite number (got nan)"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.budget.ratio = kInf; }),
             Contains("retry.budget.ratio must be a finite number (got inf)"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.budget.ratio = 1001; }),
             Contains("retry.budget.ratio must be <= 1000 (got 1001)"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.budget.min_retries_per_second = -0.5; }),
             Contains("retry.budget.min_retries_per_second must be >= 0 (got -0.5)"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.budget.min_retries_per_second = kNaN; }),
             Contains("retry.budget.min_retries_per_second must be a finite number (got nan)"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.retry.budget.min_retries_per_second = 2e6; }),
             Contains("retry.budget.min_retries_per_second must be <= 1000000 (got 2000000)"));
}

TEST_CASE("a disabled budget is still checked", "[config][validate]") {
  // The values are what enabling it later would use; a bad one fails now, not then.
  CHECK_THAT(problems_after([](ClientConfig& c) {
               c.retry.budget.enabled = false;
               c.retry.budget.window = Seconds(0);
             }),
             Contains("retry.budget.window_seconds must be >= 1 (got 0)"));
}

TEST_CASE("unsafe_methods holds one of its enumerators", "[config][validate]") {
  using rhc::UnsafeRetry;
  for (auto ok : {UnsafeRetry::Always, UnsafeRetry::WhenSafe, UnsafeRetry::Never}) {
    CHECK(problems_after([&](ClientConfig& c) { c.retry.unsafe_methods = ok; }).empty());
  }
  CHECK(problems_after(
            [](ClientConfig& c) { c.retry.unsafe_methods = static_cast<UnsafeRetry>(7); }) ==
        "invalid ClientConfig: retry.unsafe_methods must be one of always, when_safe, never "
        "(got 7)");
}

TEST_CASE("idempotency.key_header is empty or a header name other than X-Request-ID",
          "[config][validate]") {
  for (const char* ok : {"", "Idempotency-Key", "idempotency-key", "X-Idempotency-Key"}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) { c.idempotency.key_header = ok; }).empty());
  }
  for (std::string bad :
       {std::string("Idempotency Key"), std::string("Idempotency-Key\r"), std::string("a\r\nb"),
        std::string("a\0b", 3), std::string("Idempotency-Key:"), std::string(" Idempotency-Key")}) {
    INFO(bad);
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.idempotency.key_header = bad; }),
               Contains("idempotency.key_header must be empty or a header name (an RFC 9110 "
                        "token)"));
  }
  CHECK(problems_after([](ClientConfig& c) { c.idempotency.key_header = "Idempotency Key"; }) ==
        "invalid ClientConfig: idempotency.key_header must be empty or a header name (an RFC "
        "9110 token) (got \"Idempotency Key\")");
  // Quoted back escaped, so a name cannot break the message into lines.
  CHECK_THAT(problems_after([](ClientConfig& c) { c.idempotency.key_header = "Key\r\n"; }),
             Contains("(got \"Key\\x0d\\x0a\")"));

  for (const char* clash : {"X-Request-ID", "x-request-id", "X-REQUEST-ID", "X-Request-Id"}) {
    INFO(clash);
    CHECK(problems_after([&](ClientConfig& c) { c.idempotency.key_header = clash; }) ==
          "invalid ClientConfig: idempotency.key_header must not be X-Request-ID, which rhc sends "
          "itself (got \"" +
              std::string(clash) + "\")");
  }
}

TEST_CASE("every idempotency method is an RFC 9110 token; no methods is allowed",
          "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) { c.idempotency.methods.clear(); }).empty());
  CHECK(problems_after([](ClientConfig& c) {
          c.idempotency.methods = {"POST", "PATCH", "PUT", "custom-method"};
        }).empty());
  for (std::string bad : {std::string(""), std::string("PO ST"), std::string("POST\r\n"),
                          std::string("POST\0", 5), std::string("GET /"), std::string("(x)")}) {
    INFO(bad);
    CHECK_THAT(problems_after([&](ClientConfig& c) {
                 c.idempotency.methods = {"POST", bad};
               }),
               Contains("idempotency.methods[1] must be an HTTP method (an RFC 9110 token)"));
  }
  CHECK(problems_after([](ClientConfig& c) {
          c.idempotency.methods = {"PO ST", "POST", ""};
        }) ==
        "invalid ClientConfig: idempotency.methods[0] must be an HTTP method (an RFC 9110 token) "
        "(got \"PO ST\"); idempotency.methods[2] must be an HTTP method (an RFC 9110 token) "
        "(got \"\")");
}

TEST_CASE("the breaker's failure-rate window is 1 to 600 seconds", "[config][validate]") {
  for (double ok : {1.0, 10.0, 600.0}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) { c.circuit_breaker.window = Seconds(ok); }).empty());
  }
  CHECK(problems_after([](ClientConfig& c) { c.circuit_breaker.window = Seconds(0.5); }) ==
        "invalid ClientConfig: circuit_breaker.window_seconds must be >= 1 (got 0.5)");
  CHECK(problems_after([](ClientConfig& c) { c.circuit_breaker.window = Seconds(600.5); }) ==
        "invalid ClientConfig: circuit_breaker.window_seconds must be <= 600 (got 600.5)");
  CHECK_THAT(problems_after([](ClientConfig& c) { c.circuit_breaker.window = Seconds(kNaN); }),
             Contains("circuit_breaker.window_seconds must be a finite number (got nan)"));
}

TEST_CASE("minimum_calls and half_open_probes are at least 1", "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) {
          c.circuit_breaker.minimum_calls = 1;
          c.circuit_breaker.half_open_probes = 1;
        }).empty());
  CHECK(problems_after([](ClientConfig& c) {
          c.circuit_breaker.minimum_calls = 1000000;
          c.circuit_breaker.half_open_probes = 50;
        }).empty());
  CHECK(problems_after([](ClientConfig& c) {
          c.circuit_breaker.minimum_calls = 0;
          c.circuit_breaker.half_open_probes = -1;
        }) ==
        "invalid ClientConfig: circuit_breaker.minimum_calls must be >= 1 (got 0); "
        "circuit_breaker.half_open_probes must be >= 1 (got -1)");
}

TEST_CASE("the failure and slow-call rate thresholds are in (0, 1]", "[config][validate]") {
  for (double ok : {1e-9, 0.5, 1.0}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) {
            c.circuit_breaker.failure_rate_threshold = ok;
            c.circuit_breaker.slow_call_rate_threshold = ok;
          }).empty());
  }
  CHECK(problems_after([](ClientConfig& c) { c.circuit_breaker.failure_rate_threshold = 0; }) ==
        "invalid ClientConfig: circuit_breaker.failure_rate_threshold must be > 0 (got 0)");
  CHECK(problems_after([](ClientConfig& c) { c.circuit_breaker.failure_rate_threshold = 1.5; }) ==
        "invalid ClientConfig: circuit_breaker.failure_rate_threshold must be <= 1 (got 1.5)");
  CHECK_THAT(
      problems_after([](ClientConfig& c) { c.circuit_breaker.failure_rate_threshold = kNaN; }),
      Contains("circuit_breaker.failure_rate_threshold must be a finite number (got nan)"));
  CHECK(
      problems_after([](ClientConfig& c) { c.circuit_breaker.slow_call_rate_threshold = -0.1; }) ==
      "invalid ClientConfig: circuit_breaker.slow_call_rate_threshold must be > 0 (got -0.1)");
  CHECK(problems_after([](ClientConfig& c) { c.circuit_breaker.slow_call_rate_threshold = 2; }) ==
        "invalid ClientConfig: circuit_breaker.slow_call_rate_threshold must be <= 1 (got 2)");
}

TEST_CASE("slow_call_duration may be zero (off) but not negative, and is capped like any duration",
          "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) {
          c.circuit_breaker.slow_call_duration = Seconds(0);
        }).empty());
  CHECK(problems_after([](ClientConfig& c) {
          c.circuit_breaker.slow_call_duration = Seconds(2.5);
        }).empty());
  CHECK(
      problems_after([](ClientConfig& c) { c.circuit_breaker.slow_call_duration = Seconds(-1); }) ==
      "invalid ClientConfig: circuit_breaker.slow_call_duration_seconds must be >= 0 (got -1)");
  CHECK_THAT(
      problems_after([](ClientConfig& c) { c.circuit_breaker.slow_call_duration = Seconds(2e9); }),
      Contains("circuit_breaker.slow_call_duration_seconds must be <= 1000000000 (got "
               "2000000000)"));
  CHECK_THAT(
      problems_after([](ClientConfig& c) { c.circuit_breaker.slow_call_duration = Seconds(kInf); }),
      Contains("circuit_breaker.slow_call_duration_seconds must be a finite number (got inf)"));
}

TEST_CASE("recovery_multiplier is finite, 1 to 1000", "[config][validate]") {
  for (double ok : {1.0, 1.5, 2.0, 1000.0}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) {
            c.circuit_breaker.recovery_multiplier = ok;
          }).empty());
  }
  CHECK(problems_after([](ClientConfig& c) { c.circuit_breaker.recovery_multiplier = 0.5; }) ==
        "invalid ClientConfig: circuit_breaker.recovery_multiplier must be >= 1 (got 0.5)");
  CHECK(problems_after([](ClientConfig& c) { c.circuit_breaker.recovery_multiplier = 1001; }) ==
        "invalid ClientConfig: circuit_breaker.recovery_multiplier must be <= 1000 (got 1001)");
  CHECK_THAT(problems_after([](ClientConfig& c) { c.circuit_breaker.recovery_multiplier = kInf; }),
             Contains("circuit_breaker.recovery_multiplier must be a finite number (got inf)"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.circuit_breaker.recovery_multiplier = kNaN; }),
             Contains("circuit_breaker.recovery_multiplier must be a finite number (got nan)"));
}

TEST_CASE("max_recovery_timeout may equal recovery_timeout but not be less", "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) {
          c.circuit_breaker.recovery_timeout = Seconds(60);
          c.circuit_breaker.max_recovery_timeout = Seconds(60);
        }).empty());
  CHECK(problems_after([](ClientConfig& c) {
          c.circuit_breaker.recovery_timeout = Seconds(60);
          c.circuit_breaker.max_recovery_timeout = Seconds(30);
        }) ==
        "invalid ClientConfig: circuit_breaker.max_recovery_timeout_seconds must be >= "
        "circuit_breaker.recovery_timeout (got 30 < 60)");
  // Raising recovery_timeout past the default 300 s cap needs the cap raised too.
  CHECK_THAT(
      problems_after([](ClientConfig& c) { c.circuit_breaker.recovery_timeout = Seconds(600); }),
      Contains("circuit_breaker.max_recovery_timeout_seconds must be >= "
               "circuit_breaker.recovery_timeout (got 300 < 600)"));
  CHECK_THAT(problems_after(
                 [](ClientConfig& c) { c.circuit_breaker.max_recovery_timeout = Seconds(2e9); }),
             Contains("circuit_breaker.max_recovery_timeout_seconds must be <= 1000000000"));
  // A NaN is reported once, by the range check, not again by the comparison.
  CHECK(problems_after(
            [](ClientConfig& c) { c.circuit_breaker.max_recovery_timeout = Seconds(kNaN); }) ==
        "invalid ClientConfig: circuit_breaker.max_recovery_timeout_seconds must be a finite "
        "number (got nan)");
}

TEST_CASE("mode and scope hold one of their enumerators", "[config][validate]") {
  using rhc::BreakerMode;
  using rhc::BreakerScope;
  for (auto mode : {BreakerMode::Consecutive, BreakerMode::FailureRate}) {
    for (auto scope : {BreakerScope::Client, BreakerScope::Authority}) {
      CHECK(problems_after([&](ClientConfig& c) {
              c.circuit_breaker.mode = mode;
              c.circuit_breaker.scope = scope;
            }).empty());
    }
  }
  CHECK(problems_after([](ClientConfig& c) {
          c.circuit_breaker.mode = static_cast<BreakerMode>(2);
          c.circuit_breaker.scope = static_cast<BreakerScope>(5);
        }) ==
        "invalid ClientConfig: circuit_breaker.mode must be one of consecutive, failure_rate "
        "(got 2); circuit_breaker.scope must be one of client, authority (got 5)");
}

TEST_CASE("the failure-rate settings are checked in consecutive mode too", "[config][validate]") {
  // As for a disabled budget: the values are what switching modes would use.
  CHECK_THAT(problems_after([](ClientConfig& c) {
               c.circuit_breaker.mode = rhc::BreakerMode::Consecutive;
               c.circuit_breaker.minimum_calls = 0;
             }),
             Contains("circuit_breaker.minimum_calls must be >= 1 (got 0)"));
}

TEST_CASE("adaptive limits are at least 1, and initial_limit at least min_limit",
          "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) {
          c.bulkhead.adaptive.min_limit = 1;
          c.bulkhead.adaptive.initial_limit = 1;
        }).empty());
  CHECK(problems_after([](ClientConfig& c) {
          c.bulkhead.adaptive.min_limit = 5;
          c.bulkhead.adaptive.initial_limit = 5;
        }).empty());
  CHECK(problems_after([](ClientConfig& c) { c.bulkhead.adaptive.min_limit = 0; }) ==
        "invalid ClientConfig: bulkhead.adaptive.min_limit must be >= 1 (got 0)");
  CHECK(problems_after([](ClientConfig& c) { c.bulkhead.adaptive.initial_limit = 0; }) ==
        "invalid ClientConfig: bulkhead.adaptive.initial_limit must be >= 1 (got 0)");
  CHECK(problems_after([](ClientConfig& c) {
          c.bulkhead.adaptive.min_limit = 8;
          c.bulkhead.adaptive.initial_limit = 4;
        }) ==
        "invalid ClientConfig: bulkhead.adaptive.initial_limit must be >= "
        "bulkhead.adaptive.min_limit (got 4 < 8)");
  // Checked whether or not adaptive limits are on.
  CHECK_THAT(problems_after([](ClientConfig& c) {
               c.bulkhead.adaptive.enabled = false;
               c.bulkhead.adaptive.min_limit = 30;
             }),
             Contains("bulkhead.adaptive.initial_limit must be >= bulkhead.adaptive.min_limit "
                      "(got 20 < 30)"));
}

TEST_CASE("an initial adaptive limit above max_concurrency is allowed: the ceiling caps it",
          "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) {
          c.bulkhead.max_concurrency = 4;
          c.bulkhead.adaptive.enabled = true;
          c.bulkhead.adaptive.initial_limit = 100;
          c.bulkhead.adaptive.min_limit = 10;
        }).empty());
}

TEST_CASE("backoff_ratio is in [0.5, 1)", "[config][validate]") {
  for (double ok : {0.5, 0.75, 0.9, 0.999}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) { c.bulkhead.adaptive.backoff_ratio = ok; }).empty());
  }
  CHECK(problems_after([](ClientConfig& c) { c.bulkhead.adaptive.backoff_ratio = 0.49; }) ==
        "invalid ClientConfig: bulkhead.adaptive.backoff_ratio must be >= 0.5 (got 0.49)");
  // 1 would never cut the limit.
  CHECK(problems_after([](ClientConfig& c) { c.bulkhead.adaptive.backoff_ratio = 1; }) ==
        "invalid ClientConfig: bulkhead.adaptive.backoff_ratio must be < 1 (got 1)");
  CHECK_THAT(problems_after([](ClientConfig& c) { c.bulkhead.adaptive.backoff_ratio = kNaN; }),
             Contains("bulkhead.adaptive.backoff_ratio must be a finite number (got nan)"));
}

TEST_CASE("latency_threshold may be zero (off) but not negative", "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) {
          c.bulkhead.adaptive.latency_threshold = Seconds(0);
        }).empty());
  CHECK(problems_after(
            [](ClientConfig& c) { c.bulkhead.adaptive.latency_threshold = Seconds(-0.5); }) ==
        "invalid ClientConfig: bulkhead.adaptive.latency_threshold_seconds must be >= 0 (got "
        "-0.5)");
  CHECK_THAT(problems_after(
                 [](ClientConfig& c) { c.bulkhead.adaptive.latency_threshold = Seconds(kInf); }),
             Contains("bulkhead.adaptive.latency_threshold_seconds must be a finite number"));
}

TEST_CASE("max_hedged_attempts is 1 to 4", "[config][validate][hedging]") {
  for (int ok : {1, 2, 4}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) { c.hedging.max_hedged_attempts = ok; }).empty());
  }
  CHECK(problems_after([](ClientConfig& c) { c.hedging.max_hedged_attempts = 0; }) ==
        "invalid ClientConfig: hedging.max_hedged_attempts must be >= 1 (got 0)");
  CHECK(problems_after([](ClientConfig& c) { c.hedging.max_hedged_attempts = 5; }) ==
        "invalid ClientConfig: hedging.max_hedged_attempts must be <= 4 (got 5)");
}

TEST_CASE("the hedging delay is positive, finite and capped like any duration",
          "[config][validate][hedging]") {
  for (double ok : {0.001, 1.0, 1e9}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) { c.hedging.delay = Seconds(ok); }).empty());
  }
  CHECK(problems_after([](ClientConfig& c) { c.hedging.delay = Seconds(0); }) ==
        "invalid ClientConfig: hedging.delay_seconds must be > 0 (got 0)");
  CHECK(problems_after([](ClientConfig& c) { c.hedging.delay = Seconds(-1); }) ==
        "invalid ClientConfig: hedging.delay_seconds must be > 0 (got -1)");
  CHECK(problems_after([](ClientConfig& c) { c.hedging.delay = Seconds(2e9); }) ==
        "invalid ClientConfig: hedging.delay_seconds must be <= 1000000000 (got 2000000000)");
  CHECK(problems_after([](ClientConfig& c) { c.hedging.delay = Seconds(kInf); }) ==
        "invalid ClientConfig: hedging.delay_seconds must be a finite number (got inf)");
  CHECK(problems_after([](ClientConfig& c) { c.hedging.delay = Seconds(kNaN); }) ==
        "invalid ClientConfig: hedging.delay_seconds must be a finite number (got nan)");
}

TEST_CASE("delay_percentile is 0 (a fixed delay) or in (0, 1)", "[config][validate][hedging]") {
  for (double ok : {0.0, 1e-9, 0.5, 0.95, 0.999}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) { c.hedging.delay_percentile = ok; }).empty());
  }
  CHECK(problems_after([](ClientConfig& c) { c.hedging.delay_percentile = -0.5; }) ==
        "invalid ClientConfig: hedging.delay_percentile must be >= 0 (got -0.5)");
  // 1 would wait for the slowest attempt seen: never a useful hedge. 95 (for p95) is a typo.
  CHECK(problems_after([](ClientConfig& c) { c.hedging.delay_percentile = 1; }) ==
        "invalid ClientConfig: hedging.delay_percentile must be < 1 (got 1)");
  CHECK(problems_after([](ClientConfig& c) { c.hedging.delay_percentile = 95; }) ==
        "invalid ClientConfig: hedging.delay_percentile must be < 1 (got 95)");
  CHECK(problems_after([](ClientConfig& c) { c.hedging.delay_percentile = kNaN; }) ==
        "invalid ClientConfig: hedging.delay_percentile must be a finite number (got nan)");
}

TEST_CASE("min_samples is 1 to the 1000 samples a latency tracker always holds once warm",
          "[config][validate][hedging]") {
  for (int ok : {1, 100, 1000}) {
    INFO(ok);
    CHECK(problems_after([&](ClientConfig& c) { c.hedging.min_samples = ok; }).empty());
  }
  CHECK(problems_after([](ClientConfig& c) { c.hedging.min_samples = 0; }) ==
        "invalid ClientConfig: hedging.min_samples must be >= 1 (got 0)");
  CHECK(problems_after([](ClientConfig& c) { c.hedging.min_samples = 1001; }) ==
        "invalid ClientConfig: hedging.min_samples must be <= 1000 (got 1001)");
}

TEST_CASE("every hedging method is an RFC 9110 token other than POST and PATCH; none is allowed",
          "[config][validate][hedging]") {
  CHECK(problems_after([](ClientConfig& c) { c.hedging.methods.clear(); }).empty());
  CHECK(problems_after([](ClientConfig& c) {
          c.hedging.methods = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "QUERY", "PROPFIND"};
        }).empty());
  for (std::string bad : {std::string(""), std::string("GE T"), std::string("GET\r\n"),
                          std::string("GET\0", 4), std::string("GET /"), std::string("(x)")}) {
    INFO(bad);
    CHECK_THAT(problems_after([&](ClientConfig& c) {
                 c.hedging.methods = {"GET", bad};
               }),
               Contains("hedging.methods[1] must be an HTTP method (an RFC 9110 token)"));
  }
  // They may change state each time they run: hedged only per request, with a key.
  for (const char* unsafe : {"POST", "PATCH", "post", "Patch"}) {
    INFO(unsafe);
    CHECK(problems_after([&](ClientConfig& c) {
            c.hedging.methods = {"GET", unsafe};
          }) ==
          "invalid ClientConfig: hedging.methods[1] must not be POST or PATCH, which are hedged "
          "only per request, with an idempotency key (got \"" +
              std::string(unsafe) + "\")");
  }
  // In index order, one message per bad item.
  CHECK(problems_after([](ClientConfig& c) {
          c.hedging.methods = {"POST", "GE T", "GET"};
        }) ==
        "invalid ClientConfig: hedging.methods[0] must not be POST or PATCH, which are hedged "
        "only per request, with an idempotency key (got \"POST\"); hedging.methods[1] must be an "
        "HTTP method (an RFC 9110 token) (got \"GE T\")");
}

TEST_CASE("the hedging settings are checked while hedging is off", "[config][validate][hedging]") {
  // As for a disabled budget: the values are what enabling hedging later would use.
  CHECK(problems_after([](ClientConfig& c) {
          c.hedging.enabled = false;
          c.hedging.max_hedged_attempts = 0;
          c.hedging.delay = Seconds(0);
          c.hedging.methods = {"POST"};
        }) ==
        "invalid ClientConfig: hedging.max_hedged_attempts must be >= 1 (got 0); "
        "hedging.delay_seconds must be > 0 (got 0); hedging.methods[0] must not be POST or "
        "PATCH, which are hedged only per request, with an idempotency key (got \"POST\")");
  CHECK(problems_after([](ClientConfig& c) { c.hedging.enabled = true; }).empty());
}
