// Everything one TestServer shares between its connections and its owner. Nothing here is
// static: two TestServers never share faults, capacity, stats or stored responses.
#pragma once

#include <test_server/test_server.hpp>

#include "fault_injector.hpp"
#include "idempotency_keys.hpp"
#include "message_store.hpp"
#include "overload_gate.hpp"
#include "slowness_injector.hpp"
#include "stats_recorder.hpp"
#include "stop_signal.hpp"

namespace rhc::test_server::detail {

struct ServerState {
  explicit ServerState(const ServerOptions& server_options)
      : options(server_options),
        stats(server_options.request_id_stats_capacity),
        messages(server_options.idempotency_cache_capacity),
        keys(server_options.idempotency_key_capacity) {}

  // Same as POST /fail/reset.
  void reset() {
    faults.reset();
    overload.set(std::nullopt);
    slowness.reset();
    messages.clear();
    keys.clear();
    stats.reset();
  }

  const ServerOptions options;
  StopSignal stop;
  FaultInjector faults;
  OverloadGate overload;
  SlownessInjector slowness;
  StatsRecorder stats;
  MessageStore messages;
  IdempotencyKeys keys;
};

}  // namespace rhc::test_server::detail
