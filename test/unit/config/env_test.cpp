#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <rhc/config.hpp>
#include <rhc/errors.hpp>
#include <string>
#include <utility>
#include <vector>

#include "config_test_support.hpp"

using Catch::Matchers::Contains;
using rhc::ClientConfig;
using rhc::Seconds;
using rhc::test::ScopedEnv;

namespace {

// from_env's message, or "" when it succeeds.
std::string env_error(const std::string& prefix) {
  try {
    ClientConfig::from_env(prefix);
    return "";
  } catch (const rhc::ConfigError& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("from_env reads every documented variable", "[config][env]") {
  const std::string p = "RHCT_ALL_";
  ScopedEnv env;
  env.set(p + "BASE_URL", "https://api.example.com");
  env.set(p + "TIMEOUT_CONNECT", "30");
  env.set(p + "TIMEOUT_READ", "10.5");
  env.set(p + "TIMEOUT_WRITE", "11");
  env.set(p + "TIMEOUT_POOL", "2");
  env.set(p + "TIMEOUT_TOTAL", "90");
  env.set(p + "RETRY_MAX_ATTEMPTS", "3");
  env.set(p + "RETRY_MIN_WAIT_SECONDS", "0.1");
  env.set(p + "RETRY_MAX_WAIT_SECONDS", "30");
  env.set(p + "RETRY_MULTIPLIER", "1.5");
  env.set(p + "RETRY_JITTER", "false");
  env.set(p + "RETRY_BUDGET_ENABLED", "no");
  env.set(p + "RETRY_BUDGET_RATIO", "0.5");
  env.set(p + "RETRY_BUDGET_MIN_RETRIES_PER_SECOND", "2.5");
  env.set(p + "RETRY_BUDGET_WINDOW_SECONDS", "30");
  env.set(p + "RETRY_UNSAFE_METHODS", "never");
  env.set(p + "CIRCUIT_BREAKER_FAILURE_THRESHOLD", "7");
  env.set(p + "CIRCUIT_BREAKER_RECOVERY_TIMEOUT", "60");
  env.set(p + "CIRCUIT_BREAKER_MODE", "failure_rate");
  env.set(p + "CIRCUIT_BREAKER_SCOPE", "Authority");
  env.set(p + "CIRCUIT_BREAKER_WINDOW_SECONDS", "30");
  env.set(p + "CIRCUIT_BREAKER_MINIMUM_CALLS", "20");
  env.set(p + "CIRCUIT_BREAKER_FAILURE_RATE_THRESHOLD", "0.25");
  env.set(p + "CIRCUIT_BREAKER_SLOW_CALL_DURATION_SECONDS", "2.5");
  env.set(p + "CIRCUIT_BREAKER_SLOW_CALL_RATE_THRESHOLD", "0.8");
  env.set(p + "CIRCUIT_BREAKER_HALF_OPEN_PROBES", "3");
  env.set(p + "CIRCUIT_BREAKER_RECOVERY_MULTIPLIER", "2");
  env.set(p + "CIRCUIT_BREAKER_MAX_RECOVERY_TIMEOUT_SECONDS", "600");
  env.set(p + "BULKHEAD_MAX_CONCURRENCY", "20");
  env.set(p + "BULKHEAD_ACQUISITION_TIMEOUT", "0");
  env.set(p + "BULKHEAD_ADAPTIVE_ENABLED", "yes");
  env.set(p + "BULKHEAD_ADAPTIVE_INITIAL_LIMIT", "8");
  env.set(p + "BULKHEAD_ADAPTIVE_MIN_LIMIT", "2");
  env.set(p + "BULKHEAD_ADAPTIVE_BACKOFF_RATIO", "0.75");
  env.set(p + "BULKHEAD_ADAPTIVE_LATENCY_THRESHOLD_SECONDS", "1.5");
  env.set(p + "LOGGING_LEVEL", "debug");
  env.set(p + "LOGGING_INCLUDE_REQUEST_ID", "no");
  env.set(p + "LOGGING_LOGGER_NAME", "my_client");
  env.set(p + "IDEMPOTENCY_KEY_HEADER", "Idempotency-Key");
  env.set(p + "IDEMPOTENCY_METHODS", "POST, PUT");
  env.set(p + "HEDGING_ENABLED", "true");
  env.set(p + "HEDGING_MAX_HEDGED_ATTEMPTS", "2");
  env.set(p + "HEDGING_DELAY_SECONDS", "0.25");
  env.set(p + "HEDGING_DELAY_PERCENTILE", "0.95");
  env.set(p + "HEDGING_MIN_SAMPLES", "50");
  env.set(p + "HEDGING_METHODS", "GET, PUT");
  env.set(p + "FOLLOW_REDIRECTS", "0");
  env.set(p + "VERIFY_SSL", "FALSE");
  env.set(p + "USER_AGENT", "MyApp/1.0");
  env.set(p + "MAX_REDIRECTS", "3");
  env.set(p + "MAX_HOST_CONNECTIONS", "8");
  env.set(p + "EXECUTOR_THREADS", "2");
  env.set(p + "CA_BUNDLE", "");
  env.set(p + "SENSITIVE_HEADERS", "X-Api-Key,x-session");

  ClientConfig c = ClientConfig::from_env(p);
  CHECK(c.base_url == "https://api.example.com");
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
  CHECK(c.retry.unsafe_methods == rhc::UnsafeRetry::Never);
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
  CHECK(c.logging.level == "debug");
  CHECK_FALSE(c.logging.include_request_id);
  CHECK(c.logging.logger_name == "my_client");
  CHECK(c.idempotency.key_header == "Idempotency-Key");
  CHECK(c.idempotency.methods == std::vector<std::string>{"POST", "PUT"});
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

TEST_CASE("unset variables keep their defaults", "[config][env]") {
  rhc::test::check_same_config(ClientConfig::from_env("RHCT_NONE_SET_"), ClientConfig{});

  ScopedEnv env;
  env.set("RHCT_ONE_RETRY_MAX_ATTEMPTS", "2");
  ClientConfig c = ClientConfig::from_env("RHCT_ONE_");
  CHECK(c.retry.max_attempts == 2);
  CHECK(c.timeout.read == Seconds(15.0));
}

TEST_CASE("booleans are true, false, 1, 0, yes or no, in any case", "[config][env]") {
  ScopedEnv env;
  for (const char* yes : {"true", "TRUE", "1", "yes", "Yes"}) {
    env.set("RHCT_BOOL_VERIFY_SSL", "false");
    env.set("RHCT_BOOL_VERIFY_SSL", yes);
    CHECK(ClientConfig::from_env("RHCT_BOOL_").verify_ssl);
  }
  for (const char* no : {"false", "False", "0", "no", "NO"}) {
    env.set("RHCT_BOOL_VERIFY_SSL", no);
    CHECK_FALSE(ClientConfig::from_env("RHCT_BOOL_").verify_ssl);
  }
  for (const char* bad : {"", "on", "off", "y", "2", " true"}) {
    env.set("RHCT_BOOL_VERIFY_SSL", bad);
    CHECK_THAT(env_error("RHCT_BOOL_"),
               Contains("RHCT_BOOL_VERIFY_SSL must be one of true, false, 1, 0, yes, no"));
  }
}

TEST_CASE("numbers must be the whole variable, with nothing around them", "[config][env]") {
  ScopedEnv env;
  for (const char* bad : {"", "3 ", " 3", "+3", "3.0", "0x10", "three", "3s"}) {
    INFO(bad);
    env.set("RHCT_INT_RETRY_MAX_ATTEMPTS", bad);
    CHECK_THAT(env_error("RHCT_INT_"), Contains("RHCT_INT_RETRY_MAX_ATTEMPTS must be an integer"));
  }
  env.set("RHCT_INT_RETRY_MAX_ATTEMPTS", "99999999999");
  CHECK_THAT(env_error("RHCT_INT_"),
             Contains("RHCT_INT_RETRY_MAX_ATTEMPTS is out of range for an integer"));
  env.set("RHCT_INT_RETRY_MAX_ATTEMPTS", "4");

  for (const char* bad : {"", "1.5s", " 2", "nan", "inf", "-infinity", "1e999", "1,5"}) {
    INFO(bad);
    env.set("RHCT_INT_TIMEOUT_READ", bad);
    CHECK_THAT(env_error("RHCT_INT_"), Contains("RHCT_INT_TIMEOUT_READ must be a finite number"));
  }
  for (const char* good : {"2", "2.5", "1e1", ".5", "0.001"}) {
    INFO(good);
    env.set("RHCT_INT_TIMEOUT_READ", good);
    CHECK(env_error("RHCT_INT_").empty());
  }
}

TEST_CASE("a bad value is a ConfigError naming the variable and quoting the value",
          "[config][env]") {
  ScopedEnv env;
  env.set("RHCT_BAD_RETRY_MAX_ATTEMPTS", "abc");
  env.set("RHCT_BAD_VERIFY_SSL", "maybe\n");
  CHECK(env_error("RHCT_BAD_") ==
        "invalid environment config: RHCT_BAD_RETRY_MAX_ATTEMPTS must be an integer "
        "(got \"abc\"); RHCT_BAD_VERIFY_SSL must be one of true, false, 1, 0, yes, no "
        "(got \"maybe\\x0a\")");
}

TEST_CASE("from_env validates, naming the variable a bad value came from", "[config][env]") {
  ScopedEnv env;
  env.set("RHCT_RANGE_RETRY_MAX_ATTEMPTS", "0");
  env.set("RHCT_RANGE_LOGGING_LEVEL", "LOUD");
  CHECK(env_error("RHCT_RANGE_") ==
        "invalid ClientConfig: retry.max_attempts (from RHCT_RANGE_RETRY_MAX_ATTEMPTS) must be "
        ">= 1 (got 0); logging.level (from RHCT_RANGE_LOGGING_LEVEL) must be one of DEBUG, "
        "INFO, WARNING, ERROR (got \"LOUD\")");
}

TEST_CASE("CONFIG_FILE gives a JSON base that single variables override", "[config][env]") {
  const auto file = std::filesystem::temp_directory_path() / "rhc-config-test-env.json";
  std::ofstream(file) << R"({"retry": {"max_attempts": 3, "jitter": false},
                            "base_url": "http://from-file:8000"})";
  ScopedEnv env;
  env.set("RHCT_FILE_CONFIG_FILE", file.string());
  env.set("RHCT_FILE_BASE_URL", "http://from-env:9000");

  ClientConfig c = ClientConfig::from_env("RHCT_FILE_");
  CHECK(c.retry.max_attempts == 3);
  CHECK_FALSE(c.retry.jitter);
  CHECK(c.base_url == "http://from-env:9000");

  std::ofstream(file) << R"({"retry": {"max_attempts": 0}})";
  CHECK_THAT(env_error("RHCT_FILE_"),
             Contains("retry.max_attempts (from RHCT_FILE_CONFIG_FILE) must be >= 1 (got 0)"));

  std::ofstream(file) << R"({"retry": {"max_attempts": "3", "nope": 1}})";
  CHECK_THAT(env_error("RHCT_FILE_"),
             Contains("invalid environment config: RHCT_FILE_CONFIG_FILE \"" + file.string() +
                      "\": retry.max_attempts must be an integer (got a string); "
                      "RHCT_FILE_CONFIG_FILE \"" +
                      file.string() + "\": unknown key \"retry.nope\""));
  std::filesystem::remove(file);

  CHECK_THAT(env_error("RHCT_FILE_"),
             Contains("RHCT_FILE_CONFIG_FILE: cannot open \"" + file.string() + "\""));
}

TEST_CASE("CONFIG_FILE must be a regular file; a FIFO without a writer does not block",
          "[config][env]") {
  // Issue #19: opening a FIFO that no one writes to blocked from_env forever.
  char dir_template[] = "/tmp/rhc-config-fifo-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  const std::filesystem::path dir(dir_template);
  const auto fifo = dir / "config.json";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  ScopedEnv env;
  env.set("RHCT_FIFO_CONFIG_FILE", fifo.string());
  // On a thread of its own, so that a regression fails the test instead of hanging it: if
  // from_env is still blocked after the bound, a writer opens the FIFO to release it.
  auto result = std::async(std::launch::async, [] { return env_error("RHCT_FIFO_"); });
  const bool ready = result.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  if (!ready) {
    const int writer = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (writer >= 0) ::close(writer);
  }
  REQUIRE(ready);
  CHECK(result.get() == "invalid environment config: RHCT_FIFO_CONFIG_FILE: \"" + fifo.string() +
                            "\" is not a regular file (it is a FIFO)");

  env.set("RHCT_FIFO_CONFIG_FILE", dir.string());
  CHECK(env_error("RHCT_FIFO_") == "invalid environment config: RHCT_FIFO_CONFIG_FILE: \"" +
                                       dir.string() +
                                       "\" is not a regular file (it is a directory)");
  env.set("RHCT_FIFO_CONFIG_FILE", "/dev/zero");
  CHECK_THAT(env_error("RHCT_FIFO_"), Contains("is not a regular file (it is a character device)"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("an empty CONFIG_FILE is ignored", "[config][env]") {
  ScopedEnv env;
  env.set("RHCT_EMPTYFILE_CONFIG_FILE", "");
  CHECK(env_error("RHCT_EMPTYFILE_").empty());
}

TEST_CASE("the default prefix is RHC_", "[config][env]") {
  ScopedEnv env;
  env.set("RHC_RETRY_MAX_ATTEMPTS", "2");
  CHECK(ClientConfig::from_env().retry.max_attempts == 2);
}

TEST_CASE("a list variable is comma-separated, trimmed, without empty items", "[config][env]") {
  using List = std::vector<std::string>;
  ScopedEnv env;
  const std::string var = "RHCT_LIST_SENSITIVE_HEADERS";
  const std::vector<std::pair<std::string, List>> cases = {
      {"X-Api-Key, X-Session", {"X-Api-Key", "X-Session"}},
      {" \tX-Api-Key\t ,x-session ", {"X-Api-Key", "x-session"}},
      {",X-A,, ,X-B,", {"X-A", "X-B"}},
      {"X-Only", {"X-Only"}},
      {"", {}},
      {" , ,", {}},
  };
  for (const auto& [text, want] : cases) {
    INFO(text);
    env.set(var, text);
    CHECK(ClientConfig::from_env("RHCT_LIST_").sensitive_headers == want);
  }
}

TEST_CASE("a bad name in a list variable is reported with its index and variable",
          "[config][env]") {
  ScopedEnv env;
  env.set("RHCT_BADLIST_SENSITIVE_HEADERS", "X-Ok, X Bad");
  CHECK(env_error("RHCT_BADLIST_") ==
        "invalid ClientConfig: sensitive_headers[1] (from RHCT_BADLIST_SENSITIVE_HEADERS) must "
        "be a header name (an RFC 9110 token) (got \"X Bad\")");
}

TEST_CASE("a list variable replaces the config file's list, even with an empty one",
          "[config][env]") {
  const auto file = std::filesystem::temp_directory_path() / "rhc-config-test-env-list.json";
  std::ofstream(file) << R"({"sensitive_headers": ["X-From-File"]})";
  ScopedEnv env;
  env.set("RHCT_FILELIST_CONFIG_FILE", file.string());
  CHECK(ClientConfig::from_env("RHCT_FILELIST_").sensitive_headers ==
        std::vector<std::string>{"X-From-File"});
  env.set("RHCT_FILELIST_SENSITIVE_HEADERS", "X-From-Env");
  CHECK(ClientConfig::from_env("RHCT_FILELIST_").sensitive_headers ==
        std::vector<std::string>{"X-From-Env"});
  env.set("RHCT_FILELIST_SENSITIVE_HEADERS", "");
  CHECK(ClientConfig::from_env("RHCT_FILELIST_").sensitive_headers.empty());
  std::filesystem::remove(file);
}

TEST_CASE("RETRY_UNSAFE_METHODS takes always, when_safe or never, in any case", "[config][env]") {
  using rhc::UnsafeRetry;
  ScopedEnv env;
  const std::string var = "RHCT_ENUM_RETRY_UNSAFE_METHODS";
  const std::vector<std::pair<std::string, UnsafeRetry>> cases = {
      {"always", UnsafeRetry::Always},
      {"when_safe", UnsafeRetry::WhenSafe},
      {"never", UnsafeRetry::Never},
      {"WHEN_SAFE", UnsafeRetry::WhenSafe},
  };
  for (const auto& [text, want] : cases) {
    INFO(text);
    env.set(var, text);
    CHECK(ClientConfig::from_env("RHCT_ENUM_").retry.unsafe_methods == want);
  }
  for (const char* bad : {"", "sometimes", " never", "never ", "when-safe", "1"}) {
    INFO(bad);
    env.set(var, bad);
    CHECK_THAT(env_error("RHCT_ENUM_"),
               Contains("RHCT_ENUM_RETRY_UNSAFE_METHODS must be one of always, when_safe, never"));
  }
  env.set(var, "sometimes");
  CHECK(env_error("RHCT_ENUM_") ==
        "invalid environment config: RHCT_ENUM_RETRY_UNSAFE_METHODS must be one of always, "
        "when_safe, never (got \"sometimes\")");
}

TEST_CASE("the budget's variables are numbers and a boolean, validated with the variable named",
          "[config][env]") {
  ScopedEnv env;
  env.set("RHCT_BUDGET_RETRY_BUDGET_RATIO", "0.2x");
  env.set("RHCT_BUDGET_RETRY_BUDGET_ENABLED", "on");
  CHECK(env_error("RHCT_BUDGET_") ==
        "invalid environment config: RHCT_BUDGET_RETRY_BUDGET_ENABLED must be one of true, false, "
        "1, 0, yes, no (got \"on\"); RHCT_BUDGET_RETRY_BUDGET_RATIO must be a finite number "
        "(got \"0.2x\")");
  env.set("RHCT_BUDGET_RETRY_BUDGET_ENABLED", "false");
  env.set("RHCT_BUDGET_RETRY_BUDGET_RATIO", "0");
  env.set("RHCT_BUDGET_RETRY_BUDGET_WINDOW_SECONDS", "61");
  CHECK(env_error("RHCT_BUDGET_") ==
        "invalid ClientConfig: retry.budget.window_seconds (from "
        "RHCT_BUDGET_RETRY_BUDGET_WINDOW_SECONDS) must be <= 60 (got 61)");
  env.set("RHCT_BUDGET_RETRY_BUDGET_WINDOW_SECONDS", "1");
  env.set("RHCT_BUDGET_RETRY_BUDGET_MIN_RETRIES_PER_SECOND", "0");
  const ClientConfig c = ClientConfig::from_env("RHCT_BUDGET_");
  CHECK_FALSE(c.retry.budget.enabled);
  CHECK(c.retry.budget.ratio == 0);
  CHECK(c.retry.budget.min_retries_per_second == 0);
  CHECK(c.retry.budget.window == Seconds(1));
}

TEST_CASE("IDEMPOTENCY_METHODS is a list like SENSITIVE_HEADERS; empty is no methods",
          "[config][env]") {
  using List = std::vector<std::string>;
  ScopedEnv env;
  const std::string var = "RHCT_IDEM_IDEMPOTENCY_METHODS";
  env.set(var, " POST ,\tPATCH,,DELETE ");
  CHECK(ClientConfig::from_env("RHCT_IDEM_").idempotency.methods ==
        List{"POST", "PATCH", "DELETE"});
  env.set(var, "");
  CHECK(ClientConfig::from_env("RHCT_IDEM_").idempotency.methods.empty());

  env.set(var, "POST, GET /x");
  CHECK(env_error("RHCT_IDEM_") ==
        "invalid ClientConfig: idempotency.methods[1] (from RHCT_IDEM_IDEMPOTENCY_METHODS) must "
        "be an HTTP method (an RFC 9110 token) (got \"GET /x\")");
  env.set(var, "POST");
  env.set("RHCT_IDEM_IDEMPOTENCY_KEY_HEADER", "x-request-id");
  CHECK(env_error("RHCT_IDEM_") ==
        "invalid ClientConfig: idempotency.key_header (from RHCT_IDEM_IDEMPOTENCY_KEY_HEADER) must "
        "not be X-Request-ID, which rhc sends itself (got \"x-request-id\")");
  env.set("RHCT_IDEM_IDEMPOTENCY_KEY_HEADER", "");
  CHECK(ClientConfig::from_env("RHCT_IDEM_").idempotency.key_header.empty());
}

TEST_CASE("nested settings in CONFIG_FILE are overridden by their variables", "[config][env]") {
  const auto file = std::filesystem::temp_directory_path() / "rhc-config-test-env-budget.json";
  std::ofstream(file) << R"({"retry": {"budget": {"ratio": 0.5, "window_seconds": 20},
                                       "unsafe_methods": "never"}})";
  ScopedEnv env;
  env.set("RHCT_NESTED_CONFIG_FILE", file.string());
  env.set("RHCT_NESTED_RETRY_BUDGET_RATIO", "0.3");
  ClientConfig c = ClientConfig::from_env("RHCT_NESTED_");
  CHECK(c.retry.budget.ratio == 0.3);
  CHECK(c.retry.budget.window == Seconds(20));
  CHECK(c.retry.unsafe_methods == rhc::UnsafeRetry::Never);

  std::ofstream(file) << R"({"retry": {"budget": {"window_seconds": 0.5}}})";
  CHECK_THAT(env_error("RHCT_NESTED_"),
             Contains("retry.budget.window_seconds (from RHCT_NESTED_CONFIG_FILE) must be >= 1 "
                      "(got 0.5)"));
  std::filesystem::remove(file);
}

TEST_CASE("CIRCUIT_BREAKER_MODE and _SCOPE take their spellings in any case, nothing around them",
          "[config][env]") {
  ScopedEnv env;
  const std::string mode = "RHCT_BRK_CIRCUIT_BREAKER_MODE";
  const std::string scope = "RHCT_BRK_CIRCUIT_BREAKER_SCOPE";
  env.set(mode, "FAILURE_RATE");
  env.set(scope, "authority");
  ClientConfig c = ClientConfig::from_env("RHCT_BRK_");
  CHECK(c.circuit_breaker.mode == rhc::BreakerMode::FailureRate);
  CHECK(c.circuit_breaker.scope == rhc::BreakerScope::Authority);
  env.set(mode, "Consecutive");
  env.set(scope, "CLIENT");
  c = ClientConfig::from_env("RHCT_BRK_");
  CHECK(c.circuit_breaker.mode == rhc::BreakerMode::Consecutive);
  CHECK(c.circuit_breaker.scope == rhc::BreakerScope::Client);

  for (const char* bad : {"", "rate", " consecutive", "failure-rate", "0"}) {
    INFO(bad);
    env.set(mode, bad);
    CHECK_THAT(env_error("RHCT_BRK_"),
               Contains("RHCT_BRK_CIRCUIT_BREAKER_MODE must be one of consecutive, failure_rate"));
  }
  env.set(mode, "rate");
  env.set(scope, "host");
  CHECK(env_error("RHCT_BRK_") ==
        "invalid environment config: RHCT_BRK_CIRCUIT_BREAKER_MODE must be one of consecutive, "
        "failure_rate (got \"rate\"); RHCT_BRK_CIRCUIT_BREAKER_SCOPE must be one of client, "
        "authority (got \"host\")");
}

TEST_CASE("the breaker's and adaptive limit's variables are validated with the variable named",
          "[config][env]") {
  ScopedEnv env;
  env.set("RHCT_BRKV_CIRCUIT_BREAKER_WINDOW_SECONDS", "10m");
  env.set("RHCT_BRKV_BULKHEAD_ADAPTIVE_ENABLED", "on");
  CHECK(env_error("RHCT_BRKV_") ==
        "invalid environment config: RHCT_BRKV_CIRCUIT_BREAKER_WINDOW_SECONDS must be a finite "
        "number (got \"10m\"); RHCT_BRKV_BULKHEAD_ADAPTIVE_ENABLED must be one of true, false, 1, "
        "0, yes, no (got \"on\")");
  env.set("RHCT_BRKV_CIRCUIT_BREAKER_WINDOW_SECONDS", "0.5");
  env.set("RHCT_BRKV_BULKHEAD_ADAPTIVE_ENABLED", "1");
  env.set("RHCT_BRKV_CIRCUIT_BREAKER_MAX_RECOVERY_TIMEOUT_SECONDS", "10");
  env.set("RHCT_BRKV_BULKHEAD_ADAPTIVE_MIN_LIMIT", "30");
  CHECK(env_error("RHCT_BRKV_") ==
        "invalid ClientConfig: circuit_breaker.window_seconds (from "
        "RHCT_BRKV_CIRCUIT_BREAKER_WINDOW_SECONDS) must be >= 1 (got 0.5); "
        "circuit_breaker.max_recovery_timeout_seconds (from "
        "RHCT_BRKV_CIRCUIT_BREAKER_MAX_RECOVERY_TIMEOUT_SECONDS) must be >= "
        "circuit_breaker.recovery_timeout (got 10 < 30); bulkhead.adaptive.initial_limit must be "
        ">= bulkhead.adaptive.min_limit (got 20 < 30)");
  env.set("RHCT_BRKV_CIRCUIT_BREAKER_WINDOW_SECONDS", "600");
  env.set("RHCT_BRKV_CIRCUIT_BREAKER_RECOVERY_TIMEOUT", "10");
  env.set("RHCT_BRKV_BULKHEAD_ADAPTIVE_INITIAL_LIMIT", "30");
  const ClientConfig c = ClientConfig::from_env("RHCT_BRKV_");
  CHECK(c.circuit_breaker.window == Seconds(600));
  CHECK(c.circuit_breaker.max_recovery_timeout == Seconds(10));
  CHECK(c.bulkhead.adaptive.enabled);
  CHECK(c.bulkhead.adaptive.initial_limit == 30);
  CHECK(c.bulkhead.adaptive.min_limit == 30);
}

TEST_CASE("bulkhead.adaptive in CONFIG_FILE is overridden by its variables", "[config][env]") {
  const auto file = std::filesystem::temp_directory_path() / "rhc-config-test-env-adaptive.json";
  std::ofstream(file) << R"({"bulkhead": {"adaptive": {"enabled": true, "initial_limit": 10}},
                            "circuit_breaker": {"mode": "failure_rate"}})";
  ScopedEnv env;
  env.set("RHCT_ADAPT_CONFIG_FILE", file.string());
  env.set("RHCT_ADAPT_BULKHEAD_ADAPTIVE_INITIAL_LIMIT", "5");
  ClientConfig c = ClientConfig::from_env("RHCT_ADAPT_");
  CHECK(c.bulkhead.adaptive.enabled);
  CHECK(c.bulkhead.adaptive.initial_limit == 5);
  CHECK(c.circuit_breaker.mode == rhc::BreakerMode::FailureRate);

  std::ofstream(file) << R"({"bulkhead": {"adaptive": {"backoff_ratio": 0.4}}})";
  CHECK_THAT(env_error("RHCT_ADAPT_"),
             Contains("bulkhead.adaptive.backoff_ratio (from RHCT_ADAPT_CONFIG_FILE) must be >= "
                      "0.5 (got 0.4)"));
  std::filesystem::remove(file);
}

TEST_CASE("HEDGING_METHODS is a list like IDEMPOTENCY_METHODS; empty is no methods",
          "[config][env][hedging]") {
  using List = std::vector<std::string>;
  ScopedEnv env;
  const std::string var = "RHCT_HEDGE_HEDGING_METHODS";
  env.set(var, " GET ,\tHEAD,,PUT ");
  CHECK(ClientConfig::from_env("RHCT_HEDGE_").hedging.methods == List{"GET", "HEAD", "PUT"});
  env.set(var, "");
  CHECK(ClientConfig::from_env("RHCT_HEDGE_").hedging.methods.empty());

  env.set(var, "GET, patch");
  CHECK(env_error("RHCT_HEDGE_") ==
        "invalid ClientConfig: hedging.methods[1] (from RHCT_HEDGE_HEDGING_METHODS) must not be "
        "POST or PATCH, which are hedged only per request, with an idempotency key (got "
        "\"patch\")");
  env.set(var, "GET /x");
  CHECK(env_error("RHCT_HEDGE_") ==
        "invalid ClientConfig: hedging.methods[0] (from RHCT_HEDGE_HEDGING_METHODS) must be an "
        "HTTP method (an RFC 9110 token) (got \"GET /x\")");
}

TEST_CASE("the hedging variables are parsed strictly and validated with the variable named",
          "[config][env][hedging]") {
  ScopedEnv env;
  env.set("RHCT_HEDGEV_HEDGING_ENABLED", "on");
  env.set("RHCT_HEDGEV_HEDGING_MAX_HEDGED_ATTEMPTS", "2.0");
  env.set("RHCT_HEDGEV_HEDGING_DELAY_SECONDS", "50ms");
  env.set("RHCT_HEDGEV_HEDGING_DELAY_PERCENTILE", "p95");
  env.set("RHCT_HEDGEV_HEDGING_MIN_SAMPLES", "");
  CHECK(env_error("RHCT_HEDGEV_") ==
        "invalid environment config: RHCT_HEDGEV_HEDGING_ENABLED must be one of true, false, 1, "
        "0, yes, no (got \"on\"); RHCT_HEDGEV_HEDGING_MAX_HEDGED_ATTEMPTS must be an integer "
        "(got \"2.0\"); RHCT_HEDGEV_HEDGING_DELAY_SECONDS must be a finite number (got "
        "\"50ms\"); RHCT_HEDGEV_HEDGING_DELAY_PERCENTILE must be a finite number (got "
        "\"p95\"); RHCT_HEDGEV_HEDGING_MIN_SAMPLES must be an integer (got \"\")");

  env.set("RHCT_HEDGEV_HEDGING_ENABLED", "yes");
  env.set("RHCT_HEDGEV_HEDGING_MAX_HEDGED_ATTEMPTS", "0");
  env.set("RHCT_HEDGEV_HEDGING_DELAY_SECONDS", "-0.5");
  env.set("RHCT_HEDGEV_HEDGING_DELAY_PERCENTILE", "95");
  env.set("RHCT_HEDGEV_HEDGING_MIN_SAMPLES", "1001");
  CHECK(env_error("RHCT_HEDGEV_") ==
        "invalid ClientConfig: hedging.max_hedged_attempts (from "
        "RHCT_HEDGEV_HEDGING_MAX_HEDGED_ATTEMPTS) must be >= 1 (got 0); hedging.delay_seconds "
        "(from RHCT_HEDGEV_HEDGING_DELAY_SECONDS) must be > 0 (got -0.5); "
        "hedging.delay_percentile (from RHCT_HEDGEV_HEDGING_DELAY_PERCENTILE) must be < 1 (got "
        "95); hedging.min_samples (from RHCT_HEDGEV_HEDGING_MIN_SAMPLES) must be <= 1000 (got "
        "1001)");

  env.set("RHCT_HEDGEV_HEDGING_MAX_HEDGED_ATTEMPTS", "4");
  env.set("RHCT_HEDGEV_HEDGING_DELAY_SECONDS", ".05");
  env.set("RHCT_HEDGEV_HEDGING_DELAY_PERCENTILE", "0");
  env.set("RHCT_HEDGEV_HEDGING_MIN_SAMPLES", "1");
  const ClientConfig c = ClientConfig::from_env("RHCT_HEDGEV_");
  CHECK(c.hedging.enabled);
  CHECK(c.hedging.max_hedged_attempts == 4);
  CHECK(c.hedging.delay == Seconds(0.05));
  CHECK(c.hedging.delay_percentile == 0.0);
  CHECK(c.hedging.min_samples == 1);
}

TEST_CASE("hedging in CONFIG_FILE is overridden by its variables", "[config][env][hedging]") {
  const auto file = std::filesystem::temp_directory_path() / "rhc-config-test-env-hedging.json";
  std::ofstream(file) << R"({"hedging": {"enabled": true, "delay_seconds": 0.2,
                                         "methods": ["GET"]}})";
  ScopedEnv env;
  env.set("RHCT_HEDGEF_CONFIG_FILE", file.string());
  env.set("RHCT_HEDGEF_HEDGING_DELAY_SECONDS", "0.1");
  ClientConfig c = ClientConfig::from_env("RHCT_HEDGEF_");
  CHECK(c.hedging.enabled);
  CHECK(c.hedging.delay == Seconds(0.1));
  CHECK(c.hedging.methods == std::vector<std::string>{"GET"});

  std::ofstream(file) << R"({"hedging": {"max_hedged_attempts": 5}})";
  CHECK_THAT(env_error("RHCT_HEDGEF_"),
             Contains("hedging.max_hedged_attempts (from RHCT_HEDGEF_CONFIG_FILE) must be <= 4 "
                      "(got 5)"));
  std::filesystem::remove(file);
}
