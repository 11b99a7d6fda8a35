#include "routes.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

#include "bytes_handler.hpp"
#include "connection.hpp"
#include "cookie_routes.hpp"
#include "fault_params.hpp"
#include "fault_responses.hpp"
#include "idempotent_handler.hpp"
#include "json_bodies.hpp"
#include "msg_handler.hpp"
#include "multipart_handler.hpp"
#include "upload_handler.hpp"

namespace rhc::test_server::detail {
namespace {

constexpr const char* kJson = "application/json";

std::string endpoint_of(const std::string& path) {
  if (path == "/msg" || path == "/idempotent" || path == "/health" || path == "/stats") {
    return path;
  }
  if (path == "/fail" || path.rfind("/fail/", 0) == 0) return "/fail";
  if (path.rfind("/bytes/", 0) == 0) return "/bytes";
  if (path == "/upload" || path == "/multipart") return path;
  if (path == "/cookies" || path.rfind("/cookies/", 0) == 0) return "/cookies";
  return "other";
}

using httplib::Request;
using httplib::Response;

// Runs a control action and answers with the resulting settings; a parameter error (including
// a count too large for 64 bits) becomes a 400 with the reason and changes nothing.
template <class Action>
void control(Response& response, const ServerState& state, Action&& action) {
  try {
    action();
    response.set_content(fault_settings_json(state.faults.settings(), state.overload.settings(),
                                             state.slowness.settings()),
                         kJson);
  } catch (const std::logic_error& bad) {
    response.status = 400;
    response.set_content(error_json(bad.what()), kJson);
  }
}

void fail_count(ServerState& state, const Request& request, Response& response) {
  control(response, state, [&] {
    const std::uint64_t n = std::stoull(request.matches[1].str());
    const Fault fault = parse_fault(request.params);
    if (parse_flag(request.params, "append")) {
      state.faults.then_fail(n, fault);
    } else {
      state.faults.fail_next(n, fault);
    }
  });
}

void fail_probability(ServerState& state, const Request& request, Response& response) {
  control(response, state, [&] { state.faults.set_chaos(parse_chaos(request.params)); });
}

// Wraps a `/msg` or `/idempotent` handler in the server's capacity: the request holds a place
// while the handler runs, or, at capacity, gets its 503 at once and the handler never runs.
// Once the handler has run, a client that left meanwhile (a timeout, a hedge's loser) is
// counted; cpp-httplib only writes the response after the handler returns.
template <class Handler>
httplib::Server::Handler admitted(ServerState& state, Handler handler) {
  return [&state, handler](const Request& request, Response& response) {
    const OverloadGate::Ticket ticket(state.overload);
    if (!ticket.admitted()) {
      state.stats.count_overload_rejection();
      answer_with_status(response, Fault::status_code(503, ticket.refusal().retry_after),
                         overload_json(ticket.refusal()));
      return;
    }
    handler(request, response);
    const Connection* connection = Connection::current();
    if (connection && !connection->aborted() && connection->peer_gone()) {
      state.stats.count_client_gone();
    }
  };
}

void not_found_as_json(const Request& request, Response& response) {
  const std::string reason = response.status == 404 ? "no such endpoint" : "bad request";
  response.set_content(error_json(reason + ": " + request.method + " " + request.path), kJson);
}

}  // namespace

void install_routes(httplib::Server& server, ServerState& state) {
  server.set_pre_routing_handler([&state](const Request& request, Response&) {
    state.stats.count_request(endpoint_of(request.path));
    return httplib::Server::HandlerResponse::Unhandled;
  });

  server.Get("/health", [](const Request&, Response& response) {
    response.set_content(R"({"status":"ok"})", kJson);
  });

  const auto msg = admitted(state, MsgHandler(state.faults, state.slowness, state.stats,
                                              state.messages, state.stop, state.options.max_delay));
  server.Get("/msg", msg);
  server.Post("/msg", msg);
  server.Put("/msg", msg);
  server.Patch("/msg", msg);
  server.Delete("/msg", msg);

  const auto idempotent =
      admitted(state, IdempotentHandler(state.faults, state.slowness, state.stats, state.keys,
                                        state.stop, state.options.max_delay));
  server.Get("/idempotent", idempotent);
  server.Post("/idempotent", idempotent);
  server.Put("/idempotent", idempotent);
  server.Patch("/idempotent", idempotent);
  server.Delete("/idempotent", idempotent);

  // The transport endpoints: bodies of any size, streamed both ways, and cookies.
  server.Get(R"(/bytes/(\d+))", BytesHandler(state.faults, state.stats, state.stop));
  const UploadHandler upload(state.faults, state.stats, state.stop);
  server.Post("/upload", upload);
  server.Put("/upload", upload);
  server.Post("/multipart", MultipartHandler(state.faults, state.stats, state.stop));
  install_cookie_routes(server);

  server.Post(R"(/fail/count/(\d+))", [&state](const Request& request, Response& response) {
    fail_count(state, request, response);
  });
  server.Post("/fail/probability", [&state](const Request& request, Response& response) {
    fail_probability(state, request, response);
  });
  server.Post("/fail/overload", [&state](const Request& request, Response& response) {
    control(response, state, [&] { state.overload.set(parse_overload(request.params)); });
  });
  server.Post("/fail/slow", [&state](const Request& request, Response& response) {
    control(response, state, [&] { state.slowness.set(parse_slowness(request.params)); });
  });
  server.Post("/fail/reset", [&state](const Request&, Response& response) {
    control(response, state, [&] { state.reset(); });
  });

  server.Get("/fail",
             [&state](const Request&, Response& response) { control(response, state, [] {}); });

  server.Get("/stats", [&state](const Request&, Response& response) {
    response.set_content(
        stats_json(state.stats.snapshot(), state.options.request_id_stats_capacity), kJson);
  });

  // Unknown paths and methods get a JSON error too; handlers' own error bodies are kept. The
  // explicit HandlerWithResponse picks between set_error_handler's two overloads.
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const Request& request, Response& response) {
        if (!response.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        not_found_as_json(request, response);
        return httplib::Server::HandlerResponse::Handled;
      }));
}

}  // namespace rhc::test_server::detail
