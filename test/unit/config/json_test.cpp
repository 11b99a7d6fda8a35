#include <catch2/catch.hpp>
#include <rhc/config.hpp>
#include <rhc/errors.hpp>
#include <string>
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
            "multiplier": 1.5, "jitter": false},
  "circuit_breaker": {"failure_threshold": 7, "recovery_timeout": 60},
  "bulkhead": {"max_concurrency": 20, "acquisition_timeout": 0},
  "logging": {"level": "DEBUG", "include_request_id": false, "logger_name": "my_client"},
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
  CHECK(c.circuit_breaker.failure_threshold == 7);
  CHECK(c.circuit_breaker.recovery_timeout == Seconds(60));
  CHECK(c.bulkhead.max_concurrency == 20);
  CHECK(c.bulkhead.acquisition_timeout == Seconds(0));
  CHECK(c.logging.level == "DEBUG");
  CHECK_FALSE(c.logging.include_request_id);
  CHECK(c.logging.logger_name == "my_client");
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
