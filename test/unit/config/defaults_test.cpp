#include <catch2/catch.hpp>
#include <rhc/config.hpp>
#include <set>
#include <string>

#include "config/field_table.hpp"

using rhc::ClientConfig;
using rhc::Seconds;
using rhc::TimeoutConfig;
namespace cfg = rhc::detail::config;

TEST_CASE("a default ClientConfig has the Python guide's values", "[config][defaults]") {
  ClientConfig c;
  CHECK(c.base_url.empty());
  CHECK(c.timeout.connect == Seconds(60.0));
  CHECK(c.timeout.read == Seconds(15.0));
  CHECK(c.timeout.write == Seconds(15.0));
  CHECK(c.timeout.pool == Seconds(5.0));
  CHECK(c.timeout.total == Seconds(0.0));
  CHECK(c.retry.max_attempts == 5);
  CHECK(c.retry.min_wait == Seconds(1.0));
  CHECK(c.retry.max_wait == Seconds(60.0));
  CHECK(c.retry.multiplier == 2.0);
  CHECK(c.retry.jitter);
  CHECK(c.circuit_breaker.failure_threshold == 5);
  CHECK(c.circuit_breaker.recovery_timeout == Seconds(30.0));
  CHECK(c.bulkhead.max_concurrency == 50);
  CHECK(c.bulkhead.acquisition_timeout == Seconds(30.0));
  CHECK(c.logging.level == "INFO");
  CHECK(c.logging.include_request_id);
  CHECK(c.logging.logger_name == "rhc");
  CHECK(c.follow_redirects);
  CHECK(c.verify_ssl);
  CHECK(c.user_agent.empty());
  CHECK(c.max_redirects == 10);
  CHECK(c.max_host_connections == 0);
  CHECK(c.executor_threads == 0);
  CHECK(c.ca_bundle.empty());
  CHECK(c.max_response_bytes == 64 << 20);
  CHECK(c.proxy.empty());
  CHECK(c.sensitive_headers.empty());  // Authorization, Cookie, ... are dropped regardless
}

TEST_CASE("the default ClientConfig is valid", "[config][defaults]") {
  CHECK_NOTHROW(ClientConfig{}.validate());
}

TEST_CASE("TimeoutConfig::all sets connect, read, write and pool but not total",
          "[config][defaults]") {
  TimeoutConfig t = TimeoutConfig::all(Seconds(30.0));
  CHECK(t.connect == Seconds(30.0));
  CHECK(t.read == Seconds(30.0));
  CHECK(t.write == Seconds(30.0));
  CHECK(t.pool == Seconds(30.0));
  CHECK(t.total == Seconds(0.0));

  TimeoutConfig ms = TimeoutConfig::all(std::chrono::milliseconds(250));
  CHECK(ms.read == Seconds(0.25));
}

TEST_CASE("the field table lists every setting once, under the Python guide's key names",
          "[config][fields]") {
  std::set<std::string> paths;
  for (const auto& f : cfg::fields()) paths.insert(std::string(f.path));
  const std::set<std::string> expected = {
      "base_url",
      "timeout.connect",
      "timeout.read",
      "timeout.write",
      "timeout.pool",
      "timeout.total",
      "retry.max_attempts",
      "retry.min_wait_seconds",
      "retry.max_wait_seconds",
      "retry.multiplier",
      "retry.jitter",
      "circuit_breaker.failure_threshold",
      "circuit_breaker.recovery_timeout",
      "bulkhead.max_concurrency",
      "bulkhead.acquisition_timeout",
      "logging.level",
      "logging.include_request_id",
      "logging.logger_name",
      "follow_redirects",
      "verify_ssl",
      "user_agent",
      "max_redirects",
      "max_host_connections",
      "executor_threads",
      "ca_bundle",
      "max_response_bytes",
      "proxy",
      "sensitive_headers",
  };
  CHECK(paths == expected);
  CHECK(cfg::fields().size() == expected.size());
}

TEST_CASE("environment variable names are the prefix plus the upper-cased key path",
          "[config][fields]") {
  CHECK(cfg::env_var_name("RHC_", *cfg::find_field("base_url")) == "RHC_BASE_URL");
  CHECK(cfg::env_var_name("RHC_", *cfg::find_field("retry.min_wait_seconds")) ==
        "RHC_RETRY_MIN_WAIT_SECONDS");
  CHECK(cfg::env_var_name("APP_", *cfg::find_field("circuit_breaker.recovery_timeout")) ==
        "APP_CIRCUIT_BREAKER_RECOVERY_TIMEOUT");
  CHECK(cfg::find_field("retry") == nullptr);
  CHECK(cfg::is_group("retry"));
  CHECK_FALSE(cfg::is_group("retry.jitter"));
  CHECK_FALSE(cfg::is_group("ret"));
}
