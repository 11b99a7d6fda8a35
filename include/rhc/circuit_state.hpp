// The circuit breaker's three states, as ResilientClient::circuit_state() reports them.
#pragma once

#include <rhc/export.hpp>

namespace rhc {

// Closed: requests flow. Open: refused at once with CircuitOpenError until recovery_timeout
// has passed. HalfOpen: one trial request decides whether to close or open again.
enum class CircuitState { Closed, Open, HalfOpen };
RHC_EXPORT const char* to_string(CircuitState state);  // "CLOSED", "OPEN", "HALF_OPEN"

}  // namespace rhc
