#include <catch2/catch.hpp>
#include <rhc/config.hpp>
#include <rhc/request.hpp>
#include <set>
#include <string>
#include <variant>
#include <vector>

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

TEST_CASE("the transport settings default to what rhc did before they existed",
          "[config][defaults]") {
  ClientConfig c;
  CHECK(c.tls.ca_file.empty());  // the system store (or ca_bundle)
  CHECK(c.tls.ca_path.empty());
  CHECK(c.tls.client_cert.empty());
  CHECK(c.tls.client_key.empty());
  CHECK(c.tls.key_password.empty());
  CHECK(c.tls.pinned_public_key.empty());
  CHECK(c.tls.min_version.empty());
  CHECK(c.http_version == "auto");
  CHECK(c.unix_socket.empty());
  CHECK_FALSE(c.cookies);
  CHECK(c.accept_encoding == "gzip");
  CHECK_NOTHROW(c.validate());
}

TEST_CASE("the retry budget, method safety and idempotency keys default to the seed's behaviour",
          "[config][defaults]") {
  ClientConfig c;
  CHECK(c.retry.budget.enabled);
  CHECK(c.retry.budget.ratio == 0.2);
  CHECK(c.retry.budget.min_retries_per_second == 10.0);
  CHECK(c.retry.budget.window == Seconds(10.0));
  CHECK(c.retry.unsafe_methods == rhc::UnsafeRetry::Always);
  CHECK(c.idempotency.key_header.empty());  // off: no key header is sent
  CHECK(c.idempotency.methods == std::vector<std::string>{"POST", "PATCH"});
}

TEST_CASE("UnsafeRetry's names are the spellings JSON and the environment take",
          "[config][defaults]") {
  CHECK(std::string(rhc::to_string(rhc::UnsafeRetry::Always)) == "always");
  CHECK(std::string(rhc::to_string(rhc::UnsafeRetry::WhenSafe)) == "when_safe");
  CHECK(std::string(rhc::to_string(rhc::UnsafeRetry::Never)) == "never");

  // The field table spells every enumerator as to_string() does, and nothing else.
  const auto& member = std::get<cfg::EnumMember>(cfg::find_field("retry.unsafe_methods")->member);
  REQUIRE(member.spellings.size() == 3);
  for (const cfg::EnumSpelling& s : member.spellings) {
    INFO(s.text);
    CHECK(s.text == rhc::to_string(static_cast<rhc::UnsafeRetry>(s.value)));
  }
  CHECK(cfg::enum_choices(member) == "always, when_safe, never");
}

TEST_CASE("the breaker's and bulkhead's new settings default to the seed's behaviour",
          "[config][defaults]") {
  ClientConfig c;
  const rhc::CircuitBreakerConfig& b = c.circuit_breaker;
  CHECK(b.mode == rhc::BreakerMode::Consecutive);
  CHECK(b.scope == rhc::BreakerScope::Client);
  CHECK(b.window == Seconds(10.0));
  CHECK(b.minimum_calls == 10);
  CHECK(b.failure_rate_threshold == 0.5);
  CHECK(b.slow_call_duration == Seconds(0.0));  // slow calls not counted
  CHECK(b.slow_call_rate_threshold == 1.0);
  CHECK(b.half_open_probes == 1);
  CHECK(b.recovery_multiplier == 1.0);  // every opening lasts recovery_timeout
  CHECK(b.max_recovery_timeout == Seconds(300.0));
  const rhc::AdaptiveLimitConfig& a = c.bulkhead.adaptive;
  CHECK_FALSE(a.enabled);
  CHECK(a.initial_limit == 20);
  CHECK(a.min_limit == 1);
  CHECK(a.backoff_ratio == 0.9);
  CHECK(a.latency_threshold == Seconds(0.0));  // latency never counts as a drop
}

TEST_CASE("hedging is off by default, with the spec's values ready for when it is on",
          "[config][defaults]") {
  const rhc::HedgingConfig h = ClientConfig{}.hedging;
  CHECK_FALSE(h.enabled);
  CHECK(h.max_hedged_attempts == 1);
  CHECK(h.delay == Seconds(1.0));
  CHECK(h.delay_percentile == 0.0);  // a fixed delay
  CHECK(h.min_samples == 100);
  CHECK(h.methods == std::vector<std::string>{"GET", "HEAD", "OPTIONS"});
  // Off means nothing changes for a request that does not ask: RequestOptions::hedge is unset.
  CHECK_FALSE(rhc::RequestOptions{}.hedge.has_value());
}

TEST_CASE("BreakerMode's and BreakerScope's names are the spellings JSON and the environment take",
          "[config][defaults]") {
  CHECK(std::string(rhc::to_string(rhc::BreakerMode::Consecutive)) == "consecutive");
  CHECK(std::string(rhc::to_string(rhc::BreakerMode::FailureRate)) == "failure_rate");
  CHECK(std::string(rhc::to_string(rhc::BreakerScope::Client)) == "client");
  CHECK(std::string(rhc::to_string(rhc::BreakerScope::Authority)) == "authority");

  const auto& mode = std::get<cfg::EnumMember>(cfg::find_field("circuit_breaker.mode")->member);
  REQUIRE(mode.spellings.size() == 2);
  for (const cfg::EnumSpelling& s : mode.spellings) {
    INFO(s.text);
    CHECK(s.text == rhc::to_string(static_cast<rhc::BreakerMode>(s.value)));
  }
  CHECK(cfg::enum_choices(mode) == "consecutive, failure_rate");

  const auto& scope = std::get<cfg::EnumMember>(cfg::find_field("circuit_breaker.scope")->member);
  REQUIRE(scope.spellings.size() == 2);
  for (const cfg::EnumSpelling& s : scope.spellings) {
    INFO(s.text);
    CHECK(s.text == rhc::to_string(static_cast<rhc::BreakerScope>(s.value)));
  }
  CHECK(cfg::enum_choices(scope) == "client, authority");
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
      "retry.budget.enabled",
      "retry.budget.ratio",
      "retry.budget.min_retries_per_second",
      "retry.budget.window_seconds",
      "retry.unsafe_methods",
      "circuit_breaker.failure_threshold",
      "circuit_breaker.recovery_timeout",
      "circuit_breaker.mode",
      "circuit_breaker.scope",
      "circuit_breaker.window_seconds",
      "circuit_breaker.minimum_calls",
      "circuit_breaker.failure_rate_threshold",
      "circuit_breaker.slow_call_duration_seconds",
      "circuit_breaker.slow_call_rate_threshold",
      "circuit_breaker.half_open_probes",
      "circuit_breaker.recovery_multiplier",
      "circuit_breaker.max_recovery_timeout_seconds",
      "bulkhead.max_concurrency",
      "bulkhead.acquisition_timeout",
      "bulkhead.adaptive.enabled",
      "bulkhead.adaptive.initial_limit",
      "bulkhead.adaptive.min_limit",
      "bulkhead.adaptive.backoff_ratio",
      "bulkhead.adaptive.latency_threshold_seconds",
      "logging.level",
      "logging.include_request_id",
      "logging.logger_name",
      "idempotency.key_header",
      "idempotency.methods",
      "hedging.enabled",
      "hedging.max_hedged_attempts",
      "hedging.delay_seconds",
      "hedging.delay_percentile",
      "hedging.min_samples",
      "hedging.methods",
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
      "tls.ca_file",
      "tls.ca_path",
      "tls.client_cert",
      "tls.client_key",
      "tls.key_password",
      "tls.pinned_public_key",
      "tls.min_version",
      "http_version",
      "unix_socket",
      "cookies",
      "accept_encoding",
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
  CHECK(cfg::env_var_name("RHC_", *cfg::find_field("retry.budget.window_seconds")) ==
        "RHC_RETRY_BUDGET_WINDOW_SECONDS");
  CHECK(cfg::env_var_name("RHC_", *cfg::find_field("idempotency.key_header")) ==
        "RHC_IDEMPOTENCY_KEY_HEADER");
  CHECK(cfg::env_var_name("RHC_", *cfg::find_field("circuit_breaker.window_seconds")) ==
        "RHC_CIRCUIT_BREAKER_WINDOW_SECONDS");
  CHECK(cfg::env_var_name("RHC_", *cfg::find_field("bulkhead.adaptive.enabled")) ==
        "RHC_BULKHEAD_ADAPTIVE_ENABLED");
  CHECK(
      cfg::env_var_name("RHC_", *cfg::find_field("bulkhead.adaptive.latency_threshold_seconds")) ==
      "RHC_BULKHEAD_ADAPTIVE_LATENCY_THRESHOLD_SECONDS");
  CHECK(cfg::env_var_name("RHC_", *cfg::find_field("hedging.delay_seconds")) ==
        "RHC_HEDGING_DELAY_SECONDS");
  CHECK(cfg::env_var_name("RHC_", *cfg::find_field("hedging.max_hedged_attempts")) ==
        "RHC_HEDGING_MAX_HEDGED_ATTEMPTS");
  CHECK(cfg::find_field("retry") == nullptr);
  CHECK(cfg::is_group("retry"));
  CHECK_FALSE(cfg::is_group("retry.jitter"));
  CHECK_FALSE(cfg::is_group("ret"));
}

TEST_CASE("groups nest: retry.budget is a group inside retry", "[config][fields]") {
  CHECK(cfg::is_group("retry.budget"));
  CHECK(cfg::find_field("retry.budget") == nullptr);
  CHECK_FALSE(cfg::is_group("budget"));
  CHECK_FALSE(cfg::is_group("retry.budget.ratio"));
  CHECK_FALSE(cfg::is_group("retry.bud"));
  CHECK(cfg::is_group("idempotency"));
}

TEST_CASE("groups nest: bulkhead.adaptive is a group inside bulkhead", "[config][fields]") {
  CHECK(cfg::is_group("bulkhead"));
  CHECK(cfg::is_group("bulkhead.adaptive"));
  CHECK(cfg::find_field("bulkhead.adaptive") == nullptr);
  CHECK_FALSE(cfg::is_group("adaptive"));
  CHECK_FALSE(cfg::is_group("bulkhead.adaptive.enabled"));
  // The C++ members without _seconds are not keys.
  CHECK(cfg::find_field("circuit_breaker.window") == nullptr);
  CHECK(cfg::find_field("bulkhead.adaptive.latency_threshold") == nullptr);
}

TEST_CASE("hedging is a group at the top, its delay keyed with _seconds", "[config][fields]") {
  CHECK(cfg::is_group("hedging"));
  CHECK(cfg::find_field("hedging") == nullptr);
  CHECK_FALSE(cfg::is_group("hedging.methods"));
  // The C++ member is `delay`; like every duration key beyond the Python guide, the key adds
  // _seconds.
  CHECK(cfg::find_field("hedging.delay") == nullptr);
  REQUIRE(cfg::find_field("hedging.delay_seconds") != nullptr);
  CHECK(
      std::holds_alternative<cfg::SecondsMember>(cfg::find_field("hedging.delay_seconds")->member));
  CHECK(std::holds_alternative<cfg::DoubleMember>(
      cfg::find_field("hedging.delay_percentile")->member));
  CHECK(std::holds_alternative<cfg::IntMember>(cfg::find_field("hedging.min_samples")->member));
  CHECK(std::holds_alternative<cfg::StringListMember>(cfg::find_field("hedging.methods")->member));
}

TEST_CASE("no two fields share an environment variable", "[config][fields]") {
  // '.' and '_' both become '_', so "a.b_c" and "a_b.c" would collide.
  std::set<std::string> names;
  for (const auto& f : cfg::fields()) {
    INFO("field " << f.path);
    CHECK(names.insert(cfg::env_var_name("RHC_", f)).second);
  }
  CHECK(names.count("RHC_CONFIG_FILE") == 0);
}
