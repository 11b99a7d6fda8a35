#include "fault_params.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>

namespace rhc::test_server::detail {
namespace {

const std::string* find_param(const httplib::Params& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

std::uint64_t parse_unsigned(const std::string& name, const std::string& text, std::uint64_t max) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value > max) {
    throw std::invalid_argument(name + " must be an integer in [0, " + std::to_string(max) +
                                "], got '" + text + "'");
  }
  return value;
}

std::uint64_t unsigned_param(const httplib::Params& params, const std::string& name,
                             std::uint64_t fallback, std::uint64_t max) {
  const std::string* text = find_param(params, name);
  return text ? parse_unsigned(name, *text, max) : fallback;
}

// One token of `kind=` or `faults=`: a kind name or an HTTP status code.
Fault fault_from_token(std::string_view token) {
  if (token == "reset") return Fault::reset();
  if (token == "truncate") return Fault::truncate();
  if (token == "hang") return Fault::hang();
  if (token == "slow_body" || token == "slow") return Fault::slow_body();
  if (token == "status") return Fault::status_code(kDefaultFaultStatus);
  int code = 0;
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), code);
  if (error != std::errc{} || end != token.data() + token.size() || code < 400 || code > 599) {
    throw std::invalid_argument("unknown fault '" + std::string(token) +
                                "': use reset, truncate, hang, slow_body or a 4xx/5xx status");
  }
  return Fault::status_code(code);
}

constexpr std::uint64_t kMaxMillis = 3'600'000;
constexpr std::uint64_t kMaxRetryAfterSeconds = 86'400;

std::optional<std::chrono::seconds> retry_after_param(const httplib::Params& params) {
  const std::string* seconds = find_param(params, "retry_after");
  if (!seconds) return std::nullopt;
  return std::chrono::seconds(parse_unsigned("retry_after", *seconds, kMaxRetryAfterSeconds));
}

// `p` (or `probability`), required, in [0, 1].
double probability_param(const httplib::Params& params, const std::string& what) {
  const std::string* p = find_param(params, "p");
  if (!p) p = find_param(params, "probability");
  if (!p) throw std::invalid_argument("p (the " + what + " probability) is required");
  double probability = 0.0;
  try {
    std::size_t used = 0;
    probability = std::stod(*p, &used);
    if (used != p->size()) throw std::invalid_argument("trailing characters");
  } catch (const std::exception&) {
    throw std::invalid_argument("p must be a number in [0, 1], got '" + *p + "'");
  }
  if (!(probability >= 0.0 && probability <= 1.0)) {
    throw std::invalid_argument("p must be a number in [0, 1], got '" + *p + "'");
  }
  return probability;
}

// `seed`; when absent, one is picked, and GET /fail reports it so the run can be replayed.
std::uint64_t seed_param(const httplib::Params& params) {
  if (const std::string* seed = find_param(params, "seed")) {
    return parse_unsigned("seed", *seed, UINT64_MAX);
  }
  return std::random_device{}();
}

void apply_modifiers(const httplib::Params& params, Fault& fault) {
  constexpr std::uint64_t kMaxBytes = 64 * 1024 * 1024;
  if (const auto retry_after = retry_after_param(params)) fault.retry_after = retry_after;
  if (const std::string* format = find_param(params, "retry_after_format")) {
    if (*format != "seconds" && *format != "http-date") {
      throw std::invalid_argument("retry_after_format must be 'seconds' or 'http-date'");
    }
    fault.retry_after_http_date = *format == "http-date";
  }
  fault.hang_for = std::chrono::milliseconds(
      unsigned_param(params, "hang_ms", fault.hang_for.count(), kMaxMillis));
  fault.body_bytes = unsigned_param(params, "body_bytes", fault.body_bytes, kMaxBytes);
  fault.chunk_bytes = unsigned_param(params, "chunk_bytes", fault.chunk_bytes, kMaxBytes);
  fault.chunk_interval = std::chrono::milliseconds(
      unsigned_param(params, "chunk_interval_ms", fault.chunk_interval.count(), kMaxMillis));
  if (fault.chunk_bytes == 0) throw std::invalid_argument("chunk_bytes must be at least 1");
}

}  // namespace

Fault parse_fault(const httplib::Params& params) {
  const std::string* kind = find_param(params, "kind");
  const std::string* status = find_param(params, "status");
  Fault fault = kind ? fault_from_token(*kind) : Fault{};
  if (status) {
    if (fault.kind != FaultKind::status) {
      throw std::invalid_argument("status only applies to kind=status");
    }
    fault = fault_from_token(*status);
  }
  apply_modifiers(params, fault);
  return fault;
}

ChaosSettings parse_chaos(const httplib::Params& params) {
  ChaosSettings chaos;
  chaos.probability = probability_param(params, "failure");
  chaos.seed = seed_param(params);
  chaos.faults.clear();
  const std::string* list = find_param(params, "faults");
  std::string_view rest = list ? std::string_view(*list) : std::string_view("500");
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view token = rest.substr(0, comma);
    if (!token.empty()) {
      Fault fault = fault_from_token(token);
      apply_modifiers(params, fault);
      chaos.faults.push_back(fault);
    }
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  if (chaos.faults.empty()) throw std::invalid_argument("faults must name at least one fault");
  return chaos;
}

std::optional<Overload> parse_overload(const httplib::Params& params) {
  constexpr std::uint64_t kMaxInFlight = 1'000'000;
  const std::string* text = find_param(params, "max_in_flight");
  if (!text) throw std::invalid_argument("max_in_flight is required (0 turns overload off)");
  const std::uint64_t max_in_flight = parse_unsigned("max_in_flight", *text, kMaxInFlight);
  const std::optional<std::chrono::seconds> retry_after = retry_after_param(params);
  if (max_in_flight == 0) return std::nullopt;
  return Overload{static_cast<std::size_t>(max_in_flight), retry_after};
}

Slowness parse_slowness(const httplib::Params& params) {
  Slowness slowness;
  slowness.probability = probability_param(params, "slowness");
  const std::string* delay = find_param(params, "delay_ms");
  if (!delay && slowness.probability > 0.0) {
    throw std::invalid_argument("delay_ms is required when p > 0");
  }
  if (delay) {
    slowness.delay = std::chrono::milliseconds(parse_unsigned("delay_ms", *delay, kMaxMillis));
  }
  slowness.seed = seed_param(params);
  slowness.first_attempt_only = parse_flag(params, "first_attempt");
  return slowness;
}

bool parse_flag(const httplib::Params& params, const std::string& name) {
  const std::string* value = find_param(params, name);
  return value && (*value == "1" || *value == "true" || *value == "yes");
}

std::chrono::milliseconds parse_millis(const httplib::Params& params, const std::string& name,
                                       std::chrono::milliseconds max) {
  const std::string* text = find_param(params, name);
  if (!text) return std::chrono::milliseconds(0);
  const std::uint64_t millis = parse_unsigned(name, *text, UINT64_MAX);
  return std::min(std::chrono::milliseconds(
                      static_cast<std::int64_t>(std::min<std::uint64_t>(millis, INT64_MAX))),
                  max);
}

}  // namespace rhc::test_server::detail
