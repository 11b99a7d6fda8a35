// Query parameters of the control endpoints, parsed into Faults and the server-level settings
// (docs/testing.md lists them).
#pragma once

#include <httplib.h>

#include <chrono>
#include <optional>
#include <string>
#include <test_server/fault.hpp>

namespace rhc::test_server::detail {

// Parsing errors throw std::invalid_argument with a message fit for a 400 response.

// POST /fail/count/{n}: `kind` (reset|truncate|hang|slow_body|status or a status code) or
// `status`, plus the modifiers retry_after, retry_after_format, hang_ms, body_bytes,
// chunk_bytes, chunk_interval_ms.
Fault parse_fault(const httplib::Params& params);

// POST /fail/probability: `p` in [0, 1], `seed` (random when absent), `faults` (a comma list
// of kinds and status codes, default "500"), and the same modifiers, applied to each fault.
ChaosSettings parse_chaos(const httplib::Params& params);

// POST /fail/overload: `max_in_flight` (required; 0 turns overload off, giving nullopt) and
// `retry_after` in seconds.
std::optional<Overload> parse_overload(const httplib::Params& params);

// POST /fail/slow: `p` (or `probability`) in [0, 1], `delay_ms` (required when p > 0, at most
// an hour), `seed` (random when absent), `first_attempt` (a flag: slow only the first attempt
// of each X-Request-ID).
Slowness parse_slowness(const httplib::Params& params);

// A boolean flag such as `append`: "1", "true" or "yes"; absent is false.
bool parse_flag(const httplib::Params& params, const std::string& name);

// A duration in milliseconds such as `/msg?delay=` or `/idempotent?work_ms=`, clamped to
// `max`; absent is zero.
std::chrono::milliseconds parse_millis(const httplib::Params& params, const std::string& name,
                                       std::chrono::milliseconds max);

}  // namespace rhc::test_server::detail
