// Everything one TestServer shares between its connections and its owner.
#pragma once

#include <test_server/test_server.hpp>

#include "fault_injector.hpp"
#include "message_store.hpp"
#include "stats_recorder.hpp"
#include "stop_signal.hpp"

namespace rhc::test_server::detail {

struct ServerState {
  explicit ServerState(const ServerOptions& server_options)
      : options(server_options),
        stats(server_options.request_id_stats_capacity),
        messages(server_options.idempotency_cache_capacity) {}

  // Same as POST /fail/reset.
  void reset() {
    faults.reset();
    messages.clear();
    stats.reset();
  }

  const ServerOptions options;
  StopSignal stop;
  FaultInjector faults;
  StatsRecorder stats;
  MessageStore messages;
};

}  // namespace rhc::test_server::detail
