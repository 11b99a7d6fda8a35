// Every JSON body the server sends, written with RapidJSON, but the transport endpoints' echoes
// (transport_json.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <test_server/fault.hpp>
#include <test_server/stats.hpp>

#include "fault_injector.hpp"

namespace rhc::test_server::detail {

// What one `/msg` attempt looked like, echoed in its body.
struct MsgEcho {
  std::string method;
  std::optional<std::string> request_id;
  std::uint64_t attempt = 1;  // attempts seen with this X-Request-ID, this one included
  std::int64_t delay_ms = 0;
};

std::string msg_success_json(const MsgEcho& echo, const std::string& message_id, bool replayed);
std::string msg_fault_json(const MsgEcho& echo, const Fault& fault);
// `/idempotent`: {"message_id", "idempotency_key"}, and {"error", "fault"} for a fault (the
// transport endpoints answer their faults with the same body).
std::string idempotent_success_json(const std::string& message_id, const std::string& key);
std::string idempotent_fault_json(const Fault& fault);
std::string error_json(std::string_view message);
// The 503 of a request refused by Overload: {"error":"server overloaded","max_in_flight":K}.
std::string overload_json(const Overload& overload);
// `request_ids_capacity` bounds both the request_ids and the idempotency_keys maps.
std::string stats_json(const Stats& stats, std::size_t request_ids_capacity);
// What GET /fail and every control call answer: the plan, chaos, Overload (null when off) and
// Slowness.
std::string fault_settings_json(const FaultSettings& settings,
                                const std::optional<Overload>& overload, const Slowness& slowness);

}  // namespace rhc::test_server::detail
