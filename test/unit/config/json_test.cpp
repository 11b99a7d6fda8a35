#include <catch2/catch.hpp>
#include <rhc/config.hpp>
#include <rhc/errors.hpp>
#include <string>
#include <utility>
#include <vector>

#include "config/json_config.hpp"
#include "config_test_support.hpp"

using Catch::Matchers::Contains;
using rhc::ClientConfig;
using rhc::Seconds;

namespace {

// from_json's message, or "" when it succeeds.
std::string json_error(std::string_view text) {
  try {
    ClientConfig::from_json(text);
    return "";
  } catch (const rhc::ConfigError& e) {
    return e.what();
  }
}

// Every key in the Python guide's spelling, each with a value other than its default.
constexpr const char* kEveryKey = R"({
  "base_url": "https://api.example.com/v1",
  "timeout": {"connect": 30, "read": 10.5, "write": 11, "pool": 2, "total": 90},
  "retry": {"max_attempts": 3, "min_wait_seconds": 0.1, "max_wait_seconds": 30,
            "multiplier": 1.5, "jitter": false,
            "budget": {"enabled": false, "ratio": 0.5, "min_retries_per_second": 2.5,
                       "window_seconds": 30},
            "unsafe_methods": "when_safe"},
  "circuit_breaker": {"failure_threshold": 7, "recovery_timeout": 60,
                      "mode": "failure_rate", "scope": "authority", "window_seconds": 30,
                      "minimum_calls": 20, "failure_rate_threshold": 0.25,
                      "slow_call_duration_seconds": 2.5, "slow_call_rate_threshold": 0.8,
                      "half_open_probes": 3, "recovery_multiplier": 2,
                      "max_recovery_timeout_seconds": 600},
  "bulkhead": {"max_concurrency": 20, "acquisition_timeout": 0,
               "adaptive": {"enabled": true, "initial_limit": 8, "min_limit": 2,
                            "backoff_ratio": 0.75, "latency_threshold_seconds": 1.5}},
  "logging": {"level": "DEBUG", "include_request_id": false, "logger_name": "my_client"},
  "idempotency": {"key_header": "Idempotency-Key", "methods": ["POST"]},
  "hedging": {"enabled": true, "max_hedged_attempts": 2, "delay_seconds": 0.25,
              "delay_percentile": 0.95, "min_samples": 50, "methods": ["GET", "PUT"]},
  "follow_redirects": false,
  "verify_ssl": false,
  "user_agent": "MyApp/1.0",
  "max_redirects": 3,
  "max_host_connections": 8,
  "executor_threads": 2,
  "ca_bundle": "",
  "sensitive_headers": ["X-Api-Key", "x-session"]
})";

}  // namespace

TEST_CASE("from_json reads every key under the Python guide's names", "[config][json]") {
  ClientConfig c = ClientConfig::from_json(kEveryKey);
  CHECK(c.base_url == "https://api.example.com/v1");
  CHECK(c.timeout.connect == Seconds(30));
  CHECK(c.timeout.read == Seconds(10.5));
  CHECK(c.timeout.write == Seconds(11));
  CHECK(c.timeout.pool == Seconds(2));
  CHECK(c.timeout.total == Seconds(90));
  CHECK(c.retry.max_attempts == 3);
  CHECK(c.retry.min_wait == Seconds(0.1));
  CHECK(c.retry.max_wait == Seconds(30));
  CHECK(c.retry.multiplier == 1.5);
  CHECK_FALSE(c.retry.jitter);
  CHECK_FALSE(c.retry.budget.enabled);
  CHECK(c.retry.budget.ratio == 0.5);
  CHECK(c.retry.budget.min_retries_per_second == 2.5);
  CHECK(c.retry.budget.window == Seconds(30));
  CHECK(c.retry.unsafe_methods == rhc::UnsafeRetry::WhenSafe);
  CHECK(c.circuit_breaker.failure_threshold == 7);
  CHECK(c.circuit_breaker.recovery_timeout == Seconds(60));
  CHECK(c.circuit_breaker.mode == rhc::BreakerMode::FailureRate);
  CHECK(c.circuit_breaker.scope == rhc::BreakerScope::Authority);
  CHECK(c.circuit_breaker.window == Seconds(30));
  CHECK(c.circuit_breaker.minimum_calls == 20);
  CHECK(c.circuit_breaker.failure_rate_threshold == 0.25);
  CHECK(c.circuit_breaker.slow_call_duration == Seconds(2.5));
  CHECK(c.circuit_breaker.slow_call_rate_threshold == 0.8);
  CHECK(c.circuit_breaker.half_open_probes == 3);
  CHECK(c.circuit_breaker.recovery_multiplier == 2.0);
  CHECK(c.circuit_breaker.max_recovery_timeout == Seconds(600));
  CHECK(c.bulkhead.max_concurrency == 20);
  CHECK(c.bulkhead.acquisition_timeout == Seconds(0));
  CHECK(c.bulkhead.adaptive.enabled);
  CHECK(c.bulkhead.adaptive.initial_limit == 8);
  CHECK(c.bulkhead.adaptive.min_limit == 2);
  CHECK(c.bulkhead.adaptive.backoff_ratio == 0.75);
  CHECK(c.bulkhead.adaptive.latency_threshold == Seconds(1.5));
  CHECK(c.logging.level == "DEBUG");
  CHECK_FALSE(c.logging.include_request_id);
  CHECK(c.logging.logger_name == "my_client");
  CHECK(c.idempotency.key_header == "Idempotency-Key");
  CHECK(c.idempotency.methods == std::vector<std::string>{"POST"});
  CHECK(c.hedging.enabled);
  CHECK(c.hedging.max_hedged_attempts == 2);
  CHECK(c.hedging.delay == Seconds(0.25));
  CHECK(c.hedging.delay_percentile == 0.95);
  CHECK(c.hedging.min_samples == 50);
  CHECK(c.hedging.methods == std::vector<std::string>{"GET", "PUT"});
  CHECK_FALSE(c.follow_redirects);
  CHECK_FALSE(c.verify_ssl);
  CHECK(c.user_agent == "MyApp/1.0");
  CHECK(c.max_redirects == 3);
  CHECK(c.max_host_connections == 8);
  CHECK(c.executor_threads == 2);
  CHECK(c.ca_bundle.empty());
  CHECK(c.sensitive_headers == std::vector<std::string>{"X-Api-Key", "x-session"});
}

TEST_CASE("to_json writes every field, and from_json reads it back unchanged", "[config][json]") {
  ClientConfig original = ClientConfig::from_json(kEveryKey);
  original.user_agent = "quote \" backslash \\ unicode \xc3\xa9";
  ClientConfig again = ClientConfig::from_json(rhc::detail::config::to_json(original));
  rhc::test::check_same_config(original, again);

  rhc::test::check_same_config(ClientConfig{},
                               ClientConfig::from_json(rhc::detail::config::to_json({})));
}

TEST_CASE("missing keys keep their defaults", "[config][json]") {
  rhc::test::check_same_config(ClientConfig::from_json("{}"), ClientConfig{});

  ClientConfig c = ClientConfig::from_json(R"({"retry": {"max_attempts": 2}, "timeout": {}})");
  CHECK(c.retry.max_attempts == 2);
  CHECK(c.retry.min_wait == Seconds(1.0));
  CHECK(c.timeout.connect == Seconds(60.0));
}

TEST_CASE("seconds may be written as integers or decimals", "[config][json]") {
  ClientConfig c = ClientConfig::from_json(R"({"timeout": {"read": 3, "write": 0.25}})");
  CHECK(c.timeout.read == Seconds(3.0));
  CHECK(c.timeout.write == Seconds(0.25));
}

TEST_CASE("an unknown key is a ConfigError naming its path", "[config][json]") {
  CHECK(json_error(R"({"retry": {"max_attempt": 3}})") ==
        R"(invalid JSON config: unknown key "retry.max_attempt")");
  CHECK(json_error(R"({"base_uri": "http://x"})") ==
        R"(invalid JSON config: unknown key "base_uri")");
  // A C++ member name is not a JSON key: the Python guide spells it min_wait_seconds.
  CHECK_THAT(json_error(R"({"retry": {"min_wait": 1}})"),
             Contains(R"(unknown key "retry.min_wait")"));
  // Dotted keys do not stand in for nesting.
  CHECK_THAT(json_error(R"({"retry.jitter": false})"), Contains(R"(unknown key "retry.jitter")"));
}

TEST_CASE("a value of the wrong type is a ConfigError naming its path", "[config][json]") {
  CHECK(json_error(R"({"retry": {"max_attempts": "3"}})") ==
        "invalid JSON config: retry.max_attempts must be an integer (got a string)");
  CHECK_THAT(json_error(R"({"retry": {"max_attempts": 2.5}})"),
             Contains("retry.max_attempts must be an integer from -2147483648 to 2147483647 "
                      "(got 2.5)"));
  CHECK_THAT(json_error(R"({"max_redirects": 3000000000})"),
             Contains("max_redirects must be an integer from"));
  CHECK_THAT(json_error(R"({"timeout": {"read": "15"}})"),
             Contains("timeout.read must be a number of seconds (got a string)"));
  CHECK_THAT(json_error(R"({"retry": {"multiplier": true}})"),
             Contains("retry.multiplier must be a number (got a boolean)"));
  CHECK_THAT(json_error(R"({"verify_ssl": "false"})"),
             Contains("verify_ssl must be a boolean (got a string)"));
  CHECK_THAT(json_error(R"({"base_url": null})"), Contains("base_url must be a string (got null)"));
  CHECK_THAT(json_error(R"({"timeout": 30})"),
             Contains("timeout must be an object (got a number)"));
  CHECK_THAT(json_error(R"({"logging": ["DEBUG"]})"),
             Contains("logging must be an object (got an array)"));
}

TEST_CASE("every key and type error in a document is reported together", "[config][json]") {
  CHECK(json_error(R"({"retry": {"max_attempts": "x", "bogus": 1}, "verify_ssl": 1})") ==
        "invalid JSON config: retry.max_attempts must be an integer (got a string); "
        "unknown key \"retry.bogus\"; verify_ssl must be a boolean (got a number)");
}

TEST_CASE("invalid JSON is a ConfigError giving the parser's offset", "[config][json]") {
  CHECK(json_error(R"({"retry": {"max_attempts": 3,}})") ==
        "invalid JSON config: not valid JSON at offset 29: Missing a name for object member.");
  CHECK_THAT(json_error(""), Contains("not valid JSON at offset 0: The document is empty."));
  CHECK_THAT(json_error("{} {}"), Contains("not valid JSON at offset 3"));
  CHECK_THAT(json_error(R"({"timeout": {"read": NaN}})"), Contains("not valid JSON"));
  CHECK_THAT(json_error("// comment\n{}"), Contains("not valid JSON at offset 0"));
}

TEST_CASE("the JSON document must be an object", "[config][json]") {
  CHECK(json_error("[]") == "invalid JSON config: the document must be an object (got an array)");
  CHECK_THAT(json_error("42"), Contains("the document must be an object (got a number)"));
}

TEST_CASE("from_json validates what it read", "[config][json]") {
  CHECK(json_error(R"({"retry": {"max_attempts": 0}, "timeout": {"read": -1}})") ==
        "invalid ClientConfig: timeout.read must be > 0 (got -1); "
        "retry.max_attempts must be >= 1 (got 0)");
  CHECK_THAT(json_error(R"({"base_url": "localhost:8000"})"),
             Contains("base_url must be an absolute http or https URL"));
}

TEST_CASE("strings may hold any JSON escape, including NUL, which validation then rejects",
          "[config][json]") {
  CHECK(ClientConfig::from_json(R"({"user_agent": "caf\u00e9/1.0"})").user_agent ==
        "caf\xc3\xa9/1.0");
  CHECK_THAT(json_error(R"({"user_agent": "a\u0000b"})"),
             Contains("user_agent must not contain CR, LF or NUL"));
  CHECK_THAT(json_error(R"({"user_agent": "a\r\nX-Evil: 1"})"),
             Contains("user_agent must not contain CR, LF or NUL"));
}

TEST_CASE("sensitive_headers is an array of strings, written back as one", "[config][json]") {
  using List = std::vector<std::string>;
  CHECK(ClientConfig::from_json(R"({"sensitive_headers": []})").sensitive_headers.empty());
  CHECK(ClientConfig::from_json(R"({"sensitive_headers": ["X-Api-Key"]})").sensitive_headers ==
        List{"X-Api-Key"});

  ClientConfig c;
  c.sensitive_headers = {"X-Api-Key", "X-Session"};
  const std::string json = rhc::detail::config::to_json(c);
  CHECK_THAT(json, Contains(R"("sensitive_headers": [)"));
  CHECK(ClientConfig::from_json(json).sensitive_headers == c.sensitive_headers);
}

TEST_CASE("sensitive_headers of the wrong type is a ConfigError naming the key or the item",
          "[config][json]") {
  CHECK(json_error(R"({"sensitive_headers": "X-Api-Key"})") ==
        "invalid JSON config: sensitive_headers must be an array of strings (got a string)");
  CHECK_THAT(json_error(R"({"sensitive_headers": null})"),
             Contains("sensitive_headers must be an array of strings (got null)"));
  CHECK_THAT(json_error(R"({"sensitive_headers": {"X-Api-Key": true}})"),
             Contains("sensitive_headers must be an array of strings (got an object)"));
  CHECK(json_error(R"({"sensitive_headers": ["X-Api-Key", 7]})") ==
        "invalid JSON config: sensitive_headers[1] must be a string (got a number)");
  CHECK_THAT(json_error(R"({"sensitive_headers": [["X-Api-Key"]]})"),
             Contains("sensitive_headers[0] must be a string (got an array)"));

  // A rejected array leaves the field as it was rather than half-read.
  ClientConfig c;
  c.sensitive_headers = {"X-Before"};
  std::vector<std::string> errors;
  rhc::detail::config::apply_json(R"({"sensitive_headers": ["X-New", false]})", c, errors);
  CHECK(errors.size() == 1);
  CHECK(c.sensitive_headers == std::vector<std::string>{"X-Before"});
}

TEST_CASE("from_json validates every sensitive header name", "[config][json]") {
  CHECK(json_error(R"({"sensitive_headers": ["X-Ok", "X Bad", ""]})") ==
        "invalid ClientConfig: sensitive_headers[1] must be a header name (an RFC 9110 token) "
        "(got \"X Bad\"); sensitive_headers[2] must be a header name (an RFC 9110 token) "
        "(got \"\")");
}

TEST_CASE("the retry budget is a group inside retry, read at any depth and partially",
          "[config][json]") {
  ClientConfig c = ClientConfig::from_json(R"({"retry": {"budget": {"ratio": 0.1}}})");
  CHECK(c.retry.budget.ratio == 0.1);
  CHECK(c.retry.budget.enabled);
  CHECK(c.retry.budget.window == Seconds(10.0));
  CHECK(c.retry.max_attempts == 5);
  rhc::test::check_same_config(ClientConfig::from_json(R"({"retry": {"budget": {}}})"),
                               ClientConfig{});

  CHECK(json_error(R"({"retry": {"budget": 0.2}})") ==
        "invalid JSON config: retry.budget must be an object (got a number)");
  CHECK(json_error(R"({"retry": {"budget": {"ratio": 0.2, "burst": 3}}})") ==
        R"(invalid JSON config: unknown key "retry.budget.burst")");
  // The C++ member is `window`; the key, like every new duration, adds _seconds.
  CHECK_THAT(json_error(R"({"retry": {"budget": {"window": 5}}})"),
             Contains(R"(unknown key "retry.budget.window")"));
  // Dotted keys do not stand in for nesting, at any level.
  CHECK_THAT(json_error(R"({"retry": {"budget.ratio": 0.1}})"),
             Contains(R"(unknown key "retry.budget.ratio")"));
  CHECK_THAT(json_error(R"({"retry.budget": {"ratio": 0.1}})"),
             Contains(R"(unknown key "retry.budget")"));
  CHECK_THAT(json_error(R"({"budget": {"ratio": 0.1}})"), Contains(R"(unknown key "budget")"));
}

TEST_CASE("to_json writes the budget as an object nested in retry", "[config][json]") {
  ClientConfig c;
  c.retry.budget.ratio = 0.5;
  c.retry.budget.window = Seconds(20);
  const std::string json = rhc::detail::config::to_json(c);
  CHECK_THAT(json, Contains(R"("budget": {)"));
  CHECK_THAT(json, Contains(R"("window_seconds": 20.0)"));
  CHECK_THAT(json, Contains(R"("unsafe_methods": "always")"));
  CHECK_THAT(json, Contains(R"("idempotency": {)"));
  rhc::test::check_same_config(c, ClientConfig::from_json(json));
}

TEST_CASE("unsafe_methods is one of always, when_safe, never, in any case", "[config][json]") {
  using rhc::UnsafeRetry;
  const std::vector<std::pair<std::string, UnsafeRetry>> cases = {
      {"always", UnsafeRetry::Always}, {"when_safe", UnsafeRetry::WhenSafe},
      {"never", UnsafeRetry::Never},   {"WHEN_SAFE", UnsafeRetry::WhenSafe},
      {"Never", UnsafeRetry::Never},
  };
  for (const auto& [text, want] : cases) {
    INFO(text);
    const ClientConfig c =
        ClientConfig::from_json(R"({"retry": {"unsafe_methods": ")" + text + R"("}})");
    CHECK(c.retry.unsafe_methods == want);
    // Written back in the one canonical spelling.
    CHECK_THAT(rhc::detail::config::to_json(c),
               Contains(R"("unsafe_methods": ")" + std::string(rhc::to_string(want)) + R"(")"));
  }
}

TEST_CASE("an unknown unsafe_methods spelling is a ConfigError listing the accepted ones",
          "[config][json]") {
  CHECK(json_error(R"({"retry": {"unsafe_methods": "sometimes"}})") ==
        R"(invalid JSON config: retry.unsafe_methods must be one of always, when_safe, never )"
        R"((got "sometimes"))");
  for (std::string bad : {R"("")", R"(" never")", R"("when-safe")", R"("WhenSafe")", R"("1")"}) {
    INFO(bad);
    CHECK_THAT(
        json_error(R"({"retry": {"unsafe_methods": )" + bad + "}}"),
        Contains("retry.unsafe_methods must be one of always, when_safe, never (got " + bad + ")"));
  }
  CHECK(json_error(R"({"retry": {"unsafe_methods": 1}})") ==
        "invalid JSON config: retry.unsafe_methods must be one of always, when_safe, never "
        "(got a number)");
  CHECK_THAT(json_error(R"({"retry": {"unsafe_methods": null}})"),
             Contains("retry.unsafe_methods must be one of always, when_safe, never (got null)"));
  CHECK_THAT(json_error(R"({"retry": {"unsafe_methods": ["never"]}})"),
             Contains("retry.unsafe_methods must be one of always, when_safe, never (got an "
                      "array)"));
}

TEST_CASE("an unsafe_methods value no enumerator has is written as null, which is refused",
          "[config][json]") {
  ClientConfig c;
  c.retry.unsafe_methods = static_cast<rhc::UnsafeRetry>(7);
  const std::string json = rhc::detail::config::to_json(c);
  CHECK_THAT(json, Contains(R"("unsafe_methods": null)"));
  CHECK_THAT(json_error(json), Contains("retry.unsafe_methods must be one of"));
}

TEST_CASE("budget and idempotency values of the wrong type are ConfigErrors naming their path",
          "[config][json]") {
  CHECK(json_error(R"({"retry": {"budget": {"enabled": "true"}}})") ==
        "invalid JSON config: retry.budget.enabled must be a boolean (got a string)");
  CHECK_THAT(json_error(R"({"retry": {"budget": {"ratio": "0.2"}}})"),
             Contains("retry.budget.ratio must be a number (got a string)"));
  CHECK_THAT(json_error(R"({"retry": {"budget": {"min_retries_per_second": null}}})"),
             Contains("retry.budget.min_retries_per_second must be a number (got null)"));
  CHECK_THAT(json_error(R"({"retry": {"budget": {"window_seconds": "10"}}})"),
             Contains("retry.budget.window_seconds must be a number of seconds (got a string)"));
  CHECK_THAT(json_error(R"({"idempotency": {"key_header": true}})"),
             Contains("idempotency.key_header must be a string (got a boolean)"));
  CHECK_THAT(json_error(R"({"idempotency": {"methods": "POST"}})"),
             Contains("idempotency.methods must be an array of strings (got a string)"));
  CHECK_THAT(json_error(R"({"idempotency": {"methods": ["POST", 1]}})"),
             Contains("idempotency.methods[1] must be a string (got a number)"));
  CHECK_THAT(json_error(R"({"idempotency": "Idempotency-Key"})"),
             Contains("idempotency must be an object (got a string)"));
}

TEST_CASE("from_json validates the budget's ranges and the idempotency settings",
          "[config][json]") {
  CHECK(json_error(R"({"retry": {"budget": {"window_seconds": 0.5, "ratio": -1}}})") ==
        "invalid ClientConfig: retry.budget.ratio must be >= 0 (got -1); "
        "retry.budget.window_seconds must be >= 1 (got 0.5)");
  CHECK(json_error(R"({"idempotency": {"key_header": "X-Request-Id", "methods": ["PO ST"]}})") ==
        R"(invalid ClientConfig: idempotency.key_header must not be X-Request-ID, which rhc )"
        R"(sends itself (got "X-Request-Id"); idempotency.methods[0] must be an HTTP method )"
        R"((an RFC 9110 token) (got "PO ST"))");
  // No methods: only requests with an explicit RequestOptions::idempotency_key carry one.
  CHECK(ClientConfig::from_json(R"({"idempotency": {"key_header": "Idempotency-Key",
                                                    "methods": []}})")
            .idempotency.methods.empty());
}

TEST_CASE("bulkhead.adaptive is a group inside bulkhead, read partially and written back nested",
          "[config][json]") {
  ClientConfig c = ClientConfig::from_json(R"({"bulkhead": {"adaptive": {"enabled": true}}})");
  CHECK(c.bulkhead.adaptive.enabled);
  CHECK(c.bulkhead.adaptive.initial_limit == 20);
  CHECK(c.bulkhead.adaptive.backoff_ratio == 0.9);
  CHECK(c.bulkhead.max_concurrency == 50);
  rhc::test::check_same_config(ClientConfig::from_json(R"({"bulkhead": {"adaptive": {}}})"),
                               ClientConfig{});

  c.bulkhead.adaptive.latency_threshold = Seconds(0.5);
  const std::string json = rhc::detail::config::to_json(c);
  CHECK_THAT(json, Contains(R"("adaptive": {)"));
  CHECK_THAT(json, Contains(R"("latency_threshold_seconds": 0.5)"));
  CHECK_THAT(json, Contains(R"("mode": "consecutive")"));
  CHECK_THAT(json, Contains(R"("scope": "client")"));
  CHECK_THAT(json, Contains(R"("max_recovery_timeout_seconds": 300.0)"));
  rhc::test::check_same_config(c, ClientConfig::from_json(json));

  CHECK(json_error(R"({"bulkhead": {"adaptive": true}})") ==
        "invalid JSON config: bulkhead.adaptive must be an object (got a boolean)");
  CHECK(json_error(R"({"bulkhead": {"adaptive": {"max_limit": 3}}})") ==
        R"(invalid JSON config: unknown key "bulkhead.adaptive.max_limit")");
  // The C++ members are window, latency_threshold, ...; new duration keys add _seconds.
  CHECK_THAT(json_error(R"({"bulkhead": {"adaptive": {"latency_threshold": 1}}})"),
             Contains(R"(unknown key "bulkhead.adaptive.latency_threshold")"));
  CHECK_THAT(json_error(R"({"circuit_breaker": {"window": 10}})"),
             Contains(R"(unknown key "circuit_breaker.window")"));
  CHECK_THAT(json_error(R"({"circuit_breaker": {"slow_call_duration": 1}})"),
             Contains(R"(unknown key "circuit_breaker.slow_call_duration")"));
  CHECK_THAT(json_error(R"({"circuit_breaker": {"max_recovery_timeout": 60}})"),
             Contains(R"(unknown key "circuit_breaker.max_recovery_timeout")"));
  // ... while the seed's key keeps its name.
  CHECK_THAT(json_error(R"({"circuit_breaker": {"recovery_timeout_seconds": 60}})"),
             Contains(R"(unknown key "circuit_breaker.recovery_timeout_seconds")"));
  CHECK_THAT(json_error(R"({"bulkhead": {"adaptive.enabled": true}})"),
             Contains(R"(unknown key "bulkhead.adaptive.enabled")"));
  CHECK_THAT(json_error(R"({"adaptive": {"enabled": true}})"),
             Contains(R"(unknown key "adaptive")"));
}

TEST_CASE("the breaker's mode and scope take their spellings in any case", "[config][json]") {
  using rhc::BreakerMode;
  using rhc::BreakerScope;
  const std::vector<std::pair<std::string, BreakerMode>> modes = {
      {"consecutive", BreakerMode::Consecutive},
      {"failure_rate", BreakerMode::FailureRate},
      {"FAILURE_RATE", BreakerMode::FailureRate},
      {"Consecutive", BreakerMode::Consecutive},
  };
  for (const auto& [text, want] : modes) {
    INFO(text);
    const ClientConfig c =
        ClientConfig::from_json(R"({"circuit_breaker": {"mode": ")" + text + R"("}})");
    CHECK(c.circuit_breaker.mode == want);
    CHECK_THAT(rhc::detail::config::to_json(c),
               Contains(R"("mode": ")" + std::string(rhc::to_string(want)) + R"(")"));
  }
  const std::vector<std::pair<std::string, BreakerScope>> scopes = {
      {"client", BreakerScope::Client},
      {"authority", BreakerScope::Authority},
      {"AUTHORITY", BreakerScope::Authority},
  };
  for (const auto& [text, want] : scopes) {
    INFO(text);
    const ClientConfig c =
        ClientConfig::from_json(R"({"circuit_breaker": {"scope": ")" + text + R"("}})");
    CHECK(c.circuit_breaker.scope == want);
    CHECK_THAT(rhc::detail::config::to_json(c),
               Contains(R"("scope": ")" + std::string(rhc::to_string(want)) + R"(")"));
  }
}

TEST_CASE("an unknown mode or scope spelling is a ConfigError listing the accepted ones",
          "[config][json]") {
  CHECK(json_error(R"({"circuit_breaker": {"mode": "rate"}})") ==
        R"(invalid JSON config: circuit_breaker.mode must be one of consecutive, failure_rate )"
        R"((got "rate"))");
  for (std::string bad : {R"("")", R"("failure-rate")", R"("FailureRate")", R"(" consecutive")"}) {
    INFO(bad);
    CHECK_THAT(json_error(R"({"circuit_breaker": {"mode": )" + bad + "}}"),
               Contains("circuit_breaker.mode must be one of consecutive, failure_rate (got " +
                        bad + ")"));
  }
  CHECK_THAT(json_error(R"({"circuit_breaker": {"mode": 1}})"),
             Contains("circuit_breaker.mode must be one of consecutive, failure_rate (got a "
                      "number)"));
  CHECK(json_error(R"({"circuit_breaker": {"scope": "host"}})") ==
        R"(invalid JSON config: circuit_breaker.scope must be one of client, authority )"
        R"((got "host"))");
  CHECK_THAT(json_error(R"({"circuit_breaker": {"scope": null}})"),
             Contains("circuit_breaker.scope must be one of client, authority (got null)"));
  // Both reported together, in document order.
  CHECK(json_error(R"({"circuit_breaker": {"scope": "per_host", "mode": "sliding"}})") ==
        R"(invalid JSON config: circuit_breaker.scope must be one of client, authority )"
        R"((got "per_host"); circuit_breaker.mode must be one of consecutive, failure_rate )"
        R"((got "sliding"))");
}

TEST_CASE("breaker and adaptive values of the wrong type are ConfigErrors naming their path",
          "[config][json]") {
  CHECK(json_error(R"({"circuit_breaker": {"window_seconds": "10"}})") ==
        "invalid JSON config: circuit_breaker.window_seconds must be a number of seconds "
        "(got a string)");
  CHECK_THAT(json_error(R"({"circuit_breaker": {"minimum_calls": 2.5}})"),
             Contains("circuit_breaker.minimum_calls must be an integer from"));
  CHECK_THAT(json_error(R"({"circuit_breaker": {"half_open_probes": "3"}})"),
             Contains("circuit_breaker.half_open_probes must be an integer (got a string)"));
  CHECK_THAT(json_error(R"({"circuit_breaker": {"failure_rate_threshold": true}})"),
             Contains("circuit_breaker.failure_rate_threshold must be a number (got a boolean)"));
  CHECK_THAT(json_error(R"({"circuit_breaker": {"recovery_multiplier": null}})"),
             Contains("circuit_breaker.recovery_multiplier must be a number (got null)"));
  CHECK_THAT(json_error(R"({"bulkhead": {"adaptive": {"enabled": 1}}})"),
             Contains("bulkhead.adaptive.enabled must be a boolean (got a number)"));
  CHECK_THAT(json_error(R"({"bulkhead": {"adaptive": {"initial_limit": 1e3}}})"),
             Contains("bulkhead.adaptive.initial_limit must be an integer from"));
  CHECK_THAT(json_error(R"({"bulkhead": {"adaptive": {"latency_threshold_seconds": "1"}}})"),
             Contains("bulkhead.adaptive.latency_threshold_seconds must be a number of seconds "
                      "(got a string)"));
}

TEST_CASE("from_json validates the breaker's and adaptive limit's ranges and cross-field rules",
          "[config][json]") {
  CHECK(json_error(R"({"circuit_breaker": {"window_seconds": 601, "failure_rate_threshold": 0,
                                           "recovery_timeout": 60,
                                           "max_recovery_timeout_seconds": 30}})") ==
        "invalid ClientConfig: circuit_breaker.window_seconds must be <= 600 (got 601); "
        "circuit_breaker.failure_rate_threshold must be > 0 (got 0); "
        "circuit_breaker.max_recovery_timeout_seconds must be >= "
        "circuit_breaker.recovery_timeout (got 30 < 60)");
  CHECK(json_error(R"({"bulkhead": {"adaptive": {"backoff_ratio": 1, "initial_limit": 2,
                                                 "min_limit": 4}}})") ==
        "invalid ClientConfig: bulkhead.adaptive.backoff_ratio must be < 1 (got 1); "
        "bulkhead.adaptive.initial_limit must be >= bulkhead.adaptive.min_limit (got 2 < 4)");
  // Above max_concurrency is allowed: the ceiling caps it.
  CHECK(ClientConfig::from_json(R"({"bulkhead": {"max_concurrency": 4,
                                                 "adaptive": {"initial_limit": 100}}})")
            .bulkhead.adaptive.initial_limit == 100);
}

TEST_CASE("a mode or scope value no enumerator has is written as null, which is refused",
          "[config][json]") {
  ClientConfig c;
  c.circuit_breaker.mode = static_cast<rhc::BreakerMode>(9);
  c.circuit_breaker.scope = static_cast<rhc::BreakerScope>(-1);
  const std::string json = rhc::detail::config::to_json(c);
  CHECK_THAT(json, Contains(R"("mode": null)"));
  CHECK_THAT(json, Contains(R"("scope": null)"));
  CHECK_THAT(json_error(json), Contains("circuit_breaker.mode must be one of"));
  CHECK_THAT(json_error(json), Contains("circuit_breaker.scope must be one of"));
}

TEST_CASE("hedging is a group at the top, read partially and written back nested",
          "[config][json][hedging]") {
  ClientConfig c = ClientConfig::from_json(R"({"hedging": {"enabled": true}})");
  CHECK(c.hedging.enabled);
  CHECK(c.hedging.max_hedged_attempts == 1);
  CHECK(c.hedging.delay == Seconds(1.0));
  CHECK(c.hedging.methods == std::vector<std::string>{"GET", "HEAD", "OPTIONS"});
  rhc::test::check_same_config(ClientConfig::from_json(R"({"hedging": {}})"), ClientConfig{});

  c.hedging.delay = Seconds(0.05);
  c.hedging.delay_percentile = 0.99;
  c.hedging.methods = {};
  const std::string json = rhc::detail::config::to_json(c);
  CHECK_THAT(json, Contains(R"("hedging": {)"));
  CHECK_THAT(json, Contains(R"("max_hedged_attempts": 1)"));
  CHECK_THAT(json, Contains(R"("delay_seconds": 0.05)"));
  CHECK_THAT(json, Contains(R"("delay_percentile": 0.99)"));
  CHECK_THAT(json, Contains(R"("min_samples": 100)"));
  CHECK_THAT(json, Contains(R"("methods": [])"));
  rhc::test::check_same_config(c, ClientConfig::from_json(json));

  CHECK(json_error(R"({"hedging": true})") ==
        "invalid JSON config: hedging must be an object (got a boolean)");
  CHECK(json_error(R"({"hedging": {"max_hedges": 2}})") ==
        R"(invalid JSON config: unknown key "hedging.max_hedges")");
  // The C++ member is `delay`; the key, like every new duration, adds _seconds.
  CHECK(json_error(R"({"hedging": {"delay": 0.5}})") ==
        R"(invalid JSON config: unknown key "hedging.delay")");
  CHECK_THAT(json_error(R"({"hedging.enabled": true})"),
             Contains(R"(unknown key "hedging.enabled")"));
  CHECK_THAT(json_error(R"({"retry": {"hedging": {"enabled": true}}})"),
             Contains(R"(unknown key "retry.hedging")"));
}

TEST_CASE("hedging values of the wrong type are ConfigErrors naming their path",
          "[config][json][hedging]") {
  CHECK(json_error(R"({"hedging": {"enabled": "true"}})") ==
        "invalid JSON config: hedging.enabled must be a boolean (got a string)");
  CHECK_THAT(json_error(R"({"hedging": {"max_hedged_attempts": 1.5}})"),
             Contains("hedging.max_hedged_attempts must be an integer from"));
  CHECK_THAT(json_error(R"({"hedging": {"max_hedged_attempts": "2"}})"),
             Contains("hedging.max_hedged_attempts must be an integer (got a string)"));
  CHECK_THAT(json_error(R"({"hedging": {"delay_seconds": "0.5"}})"),
             Contains("hedging.delay_seconds must be a number of seconds (got a string)"));
  CHECK_THAT(json_error(R"({"hedging": {"delay_percentile": null}})"),
             Contains("hedging.delay_percentile must be a number (got null)"));
  CHECK_THAT(json_error(R"({"hedging": {"min_samples": 1e2}})"),
             Contains("hedging.min_samples must be an integer from"));
  CHECK_THAT(json_error(R"({"hedging": {"methods": "GET"}})"),
             Contains("hedging.methods must be an array of strings (got a string)"));
  CHECK_THAT(json_error(R"({"hedging": {"methods": ["GET", true]}})"),
             Contains("hedging.methods[1] must be a string (got a boolean)"));
}

TEST_CASE("from_json validates the hedging settings, naming each field",
          "[config][json][hedging]") {
  CHECK(json_error(R"({"hedging": {"max_hedged_attempts": 5, "delay_seconds": 0,
                                   "delay_percentile": 1, "min_samples": 0,
                                   "methods": ["GET", "POST", "GE T"]}})") ==
        "invalid ClientConfig: hedging.max_hedged_attempts must be <= 4 (got 5); "
        "hedging.delay_seconds must be > 0 (got 0); "
        "hedging.delay_percentile must be < 1 (got 1); "
        "hedging.min_samples must be >= 1 (got 0); "
        R"(hedging.methods[1] must not be POST or PATCH, which are hedged only per request, )"
        R"(with an idempotency key (got "POST"); )"
        R"(hedging.methods[2] must be an HTTP method (an RFC 9110 token) (got "GE T"))");
  // No methods: only requests with hedge = true and an idempotency key are hedged.
  CHECK(ClientConfig::from_json(R"({"hedging": {"enabled": true, "methods": []}})")
            .hedging.methods.empty());
}
