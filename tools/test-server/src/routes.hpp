// The URL table: which handler answers which endpoint.
#pragma once

#include <httplib.h>

#include "server_state.hpp"

namespace rhc::test_server::detail {

// Registers /health, /msg and /idempotent (both behind the Overload gate), the transport
// endpoints (/bytes/{n}, /upload, /multipart, /cookies/*), /fail/*, /stats and the JSON 404,
// and counts every request in `state.stats`. `state` must outlive `server`.
void install_routes(httplib::Server& server, ServerState& state);

}  // namespace rhc::test_server::detail
