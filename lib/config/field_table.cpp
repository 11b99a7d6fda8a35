#include "config/field_table.hpp"

#include <array>
#include <limits>

#include "base/ascii.hpp"

namespace rhc::detail::config {
namespace {

constexpr double kIntMax = std::numeric_limits<int>::max();
constexpr double kFiniteMax = std::numeric_limits<double>::max();

// Retry budget bounds, far beyond any useful setting (enabled = false turns the budget off).
// They keep the allowance, min_retries_per_second * window (at most 6e7) plus ratio * a
// window's first attempts, finite and far from overflowing an int64 it may be converted to.
constexpr double kMaxBudgetRatio = 1000;
constexpr double kMaxRetriesPerSecond = 1e6;

// A breaker's k-th opening lasts recovery_timeout * recovery_multiplier^(k-1), capped by
// max_recovery_timeout. 1000 is far beyond any useful growth (2 already doubles the period at
// each opening); the bound only turns a typo (1e300) into an error.
constexpr double kMaxRecoveryMultiplier = 1000;

// The failure-rate window counts 1 s buckets; ten minutes bounds their memory per breaker.
constexpr double kMaxBreakerWindowSeconds = 600;

// Attempts a hedged request may run next to its first: a request has five lanes (the chain's
// Request::kMaxLanes), and each hedge is a full extra request on the server.
constexpr double kMaxHedgedAttempts = 4;

constexpr Range at_least(double lo, double hi) { return {lo, false, hi}; }
constexpr Range above(double lo, double hi) { return {lo, true, hi}; }
constexpr Range at_least_below(double lo, double hi) { return {lo, false, hi, true}; }

constexpr EnumSpelling kUnsafeRetrySpellings[] = {
    {"always", static_cast<int>(UnsafeRetry::Always)},
    {"when_safe", static_cast<int>(UnsafeRetry::WhenSafe)},
    {"never", static_cast<int>(UnsafeRetry::Never)},
};

constexpr EnumSpelling kBreakerModeSpellings[] = {
    {"consecutive", static_cast<int>(BreakerMode::Consecutive)},
    {"failure_rate", static_cast<int>(BreakerMode::FailureRate)},
};

constexpr EnumSpelling kBreakerScopeSpellings[] = {
    {"client", static_cast<int>(BreakerScope::Client)},
    {"authority", static_cast<int>(BreakerScope::Authority)},
};

// A captureless lambda returning a reference to `expr` inside a ClientConfig `c`; unary +
// turns it into the function pointer the Member variant holds.
#define RHC_MEMBER(expr) +[](ClientConfig& c) -> decltype((c.expr)) { return c.expr; }

// An EnumMember for the enum `expr`, with its table of spellings.
#define RHC_ENUM_MEMBER(expr, spellings)                                                  \
  (EnumMember{+[](const ClientConfig& c) { return static_cast<int>(c.expr); },            \
              +[](ClientConfig& c, int v) { c.expr = static_cast<decltype(c.expr)>(v); }, \
              spellings})

const std::array<Field, 67> kFields = {{
    {"base_url", RHC_MEMBER(base_url), std::nullopt},

    {"timeout.connect", RHC_MEMBER(timeout.connect), above(0, kMaxSeconds)},
    {"timeout.read", RHC_MEMBER(timeout.read), above(0, kMaxSeconds)},
    {"timeout.write", RHC_MEMBER(timeout.write), above(0, kMaxSeconds)},
    {"timeout.pool", RHC_MEMBER(timeout.pool), above(0, kMaxSeconds)},
    {"timeout.total", RHC_MEMBER(timeout.total), at_least(0, kMaxSeconds)},

    {"retry.max_attempts", RHC_MEMBER(retry.max_attempts), at_least(1, kIntMax)},
    {"retry.min_wait_seconds", RHC_MEMBER(retry.min_wait), at_least(0, kMaxSeconds)},
    {"retry.max_wait_seconds", RHC_MEMBER(retry.max_wait), at_least(0, kMaxSeconds)},
    {"retry.multiplier", RHC_MEMBER(retry.multiplier), at_least(1, kFiniteMax)},
    {"retry.jitter", RHC_MEMBER(retry.jitter), std::nullopt},
    {"retry.budget.enabled", RHC_MEMBER(retry.budget.enabled), std::nullopt},
    {"retry.budget.ratio", RHC_MEMBER(retry.budget.ratio), at_least(0, kMaxBudgetRatio)},
    {"retry.budget.min_retries_per_second", RHC_MEMBER(retry.budget.min_retries_per_second),
     at_least(0, kMaxRetriesPerSecond)},
    {"retry.budget.window_seconds", RHC_MEMBER(retry.budget.window), at_least(1, 60)},
    {"retry.unsafe_methods", RHC_ENUM_MEMBER(retry.unsafe_methods, kUnsafeRetrySpellings),
     std::nullopt},

    {"circuit_breaker.failure_threshold", RHC_MEMBER(circuit_breaker.failure_threshold),
     at_least(1, kIntMax)},
    {"circuit_breaker.recovery_timeout", RHC_MEMBER(circuit_breaker.recovery_timeout),
     above(0, kMaxSeconds)},
    {"circuit_breaker.mode", RHC_ENUM_MEMBER(circuit_breaker.mode, kBreakerModeSpellings),
     std::nullopt},
    {"circuit_breaker.scope", RHC_ENUM_MEMBER(circuit_breaker.scope, kBreakerScopeSpellings),
     std::nullopt},
    {"circuit_breaker.window_seconds", RHC_MEMBER(circuit_breaker.window),
     at_least(1, kMaxBreakerWindowSeconds)},
    {"circuit_breaker.minimum_calls", RHC_MEMBER(circuit_breaker.minimum_calls),
     at_least(1, kIntMax)},
    {"circuit_breaker.failure_rate_threshold", RHC_MEMBER(circuit_breaker.failure_rate_threshold),
     above(0, 1)},
    {"circuit_breaker.slow_call_duration_seconds", RHC_MEMBER(circuit_breaker.slow_call_duration),
     at_least(0, kMaxSeconds)},
    {"circuit_breaker.slow_call_rate_threshold",
     RHC_MEMBER(circuit_breaker.slow_call_rate_threshold), above(0, 1)},
    {"circuit_breaker.half_open_probes", RHC_MEMBER(circuit_breaker.half_open_probes),
     at_least(1, kIntMax)},
    {"circuit_breaker.recovery_multiplier", RHC_MEMBER(circuit_breaker.recovery_multiplier),
     at_least(1, kMaxRecoveryMultiplier)},
    {"circuit_breaker.max_recovery_timeout_seconds",
     RHC_MEMBER(circuit_breaker.max_recovery_timeout), at_least(0, kMaxSeconds)},

    {"bulkhead.max_concurrency", RHC_MEMBER(bulkhead.max_concurrency), at_least(1, kIntMax)},
    {"bulkhead.acquisition_timeout", RHC_MEMBER(bulkhead.acquisition_timeout),
     at_least(0, kMaxSeconds)},
    {"bulkhead.adaptive.enabled", RHC_MEMBER(bulkhead.adaptive.enabled), std::nullopt},
    {"bulkhead.adaptive.initial_limit", RHC_MEMBER(bulkhead.adaptive.initial_limit),
     at_least(1, kIntMax)},
    {"bulkhead.adaptive.min_limit", RHC_MEMBER(bulkhead.adaptive.min_limit), at_least(1, kIntMax)},
    {"bulkhead.adaptive.backoff_ratio", RHC_MEMBER(bulkhead.adaptive.backoff_ratio),
     at_least_below(0.5, 1)},
    {"bulkhead.adaptive.latency_threshold_seconds", RHC_MEMBER(bulkhead.adaptive.latency_threshold),
     at_least(0, kMaxSeconds)},

    {"logging.level", RHC_MEMBER(logging.level), std::nullopt},
    {"logging.include_request_id", RHC_MEMBER(logging.include_request_id), std::nullopt},
    {"logging.logger_name", RHC_MEMBER(logging.logger_name), std::nullopt},

    {"idempotency.key_header", RHC_MEMBER(idempotency.key_header), std::nullopt},
    {"idempotency.methods", RHC_MEMBER(idempotency.methods), std::nullopt},

    {"hedging.enabled", RHC_MEMBER(hedging.enabled), std::nullopt},
    {"hedging.max_hedged_attempts", RHC_MEMBER(hedging.max_hedged_attempts),
     at_least(1, kMaxHedgedAttempts)},
    {"hedging.delay_seconds", RHC_MEMBER(hedging.delay), above(0, kMaxSeconds)},
    {"hedging.delay_percentile", RHC_MEMBER(hedging.delay_percentile), at_least_below(0, 1)},
    {"hedging.min_samples", RHC_MEMBER(hedging.min_samples), at_least(1, kMaxHedgingMinSamples)},
    {"hedging.methods", RHC_MEMBER(hedging.methods), std::nullopt},

    {"follow_redirects", RHC_MEMBER(follow_redirects), std::nullopt},
    {"verify_ssl", RHC_MEMBER(verify_ssl), std::nullopt},
    {"user_agent", RHC_MEMBER(user_agent), std::nullopt},

    {"max_redirects", RHC_MEMBER(max_redirects), at_least(0, kIntMax)},
    {"max_host_connections", RHC_MEMBER(max_host_connections), at_least(0, kIntMax)},
    {"executor_threads", RHC_MEMBER(executor_threads), at_least(0, kIntMax)},
    {"ca_bundle", RHC_MEMBER(ca_bundle), std::nullopt},
    {"max_response_bytes", RHC_MEMBER(max_response_bytes), at_least(0, kIntMax)},
    {"proxy", RHC_MEMBER(proxy), std::nullopt},
    {"sensitive_headers", RHC_MEMBER(sensitive_headers), std::nullopt},

    {"tls.ca_file", RHC_MEMBER(tls.ca_file), std::nullopt},
    {"tls.ca_path", RHC_MEMBER(tls.ca_path), std::nullopt},
    {"tls.client_cert", RHC_MEMBER(tls.client_cert), std::nullopt},
    {"tls.client_key", RHC_MEMBER(tls.client_key), std::nullopt},
    {"tls.key_password", RHC_MEMBER(tls.key_password), std::nullopt},
    {"tls.pinned_public_key", RHC_MEMBER(tls.pinned_public_key), std::nullopt},
    {"tls.min_version", RHC_MEMBER(tls.min_version), std::nullopt},
    {"http_version", RHC_MEMBER(http_version), std::nullopt},
    {"unix_socket", RHC_MEMBER(unix_socket), std::nullopt},
    {"cookies", RHC_MEMBER(cookies), std::nullopt},
    {"accept_encoding", RHC_MEMBER(accept_encoding), std::nullopt},
}};

#undef RHC_ENUM_MEMBER
#undef RHC_MEMBER

}  // namespace

std::span<const Field> fields() { return kFields; }

const Field* find_field(std::string_view path) {
  for (const Field& f : kFields) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

bool is_group(std::string_view path) {
  for (const Field& f : kFields) {
    if (f.path.size() > path.size() && f.path.starts_with(path) && f.path[path.size()] == '.') {
      return true;
    }
  }
  return false;
}

std::optional<int> parse_enum(const EnumMember& member, std::string_view text) {
  for (const EnumSpelling& s : member.spellings) {
    if (ascii_iequals(text, s.text)) return s.value;
  }
  return std::nullopt;
}

std::optional<std::string_view> enum_text(const EnumMember& member, int value) {
  for (const EnumSpelling& s : member.spellings) {
    if (s.value == value) return s.text;
  }
  return std::nullopt;
}

std::string enum_choices(const EnumMember& member) {
  std::string out;
  for (const EnumSpelling& s : member.spellings) {
    if (!out.empty()) out += ", ";
    out += s.text;
  }
  return out;
}

std::string env_var_name(std::string_view prefix, const Field& field) {
  std::string name(prefix);
  for (char c : field.path) {
    name += c == '.' ? '_' : ascii_upper(c);
  }
  return name;
}

}  // namespace rhc::detail::config
