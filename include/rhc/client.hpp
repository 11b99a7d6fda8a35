// ResilientClient: the asynchronous HTTP client. Every call returns at once, with a
// std::future or by running a callback later; behind it each request goes through
// idempotency -> circuit breaker -> bulkhead -> retry -> transport (docs/design.md).
//
//   auto client = rhc::create_resilient_client(config);
//   rhc::Response r = client->get("/msg").get();
//   std::cout << r.json()["message_id"].GetString() << "\n";
//
// Thread-safe: any number of threads may use one client at once. One client per service
// is the intended use: it owns the connection pool, the breaker and the bulkhead.
#pragma once

#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <rhc/circuit_state.hpp>
#include <rhc/config.hpp>
#include <rhc/errors.hpp>
#include <rhc/events.hpp>
#include <rhc/export.hpp>
#include <rhc/request.hpp>
#include <rhc/response.hpp>
#include <rhc/stats.hpp>

namespace rhc {

// What a callback receives: a response or an error, never both.
struct RHC_EXPORT Outcome {
  std::optional<Response> response;  // set on success.
  std::exception_ptr error;          // set on failure: one of rhc's errors (errors.hpp), or
                                     // what RequestOptions::on_chunk threw.
  bool ok() const { return response.has_value(); }
  Response& value();  // the response; rethrows error on failure.
};
using Callback = std::function<void(Outcome)>;

class RHC_EXPORT ResilientClient {
 public:
  // Validates config (ConfigError) and starts the event-loop thread and the executor.
  explicit ResilientClient(ClientConfig config);
  ~ResilientClient();  // = close()
  ResilientClient(const ResilientClient&) = delete;
  ResilientClient& operator=(const ResilientClient&) = delete;

  // Future form. Never blocks the caller; errors (including ConfigError for bad options)
  // arrive through the future.
  std::future<Response> request(std::string method, std::string path, RequestOptions opts = {});
  std::future<Response> get(std::string path, RequestOptions opts = {});
  std::future<Response> post(std::string path, RequestOptions opts = {});
  std::future<Response> put(std::string path, RequestOptions opts = {});
  std::future<Response> patch(std::string path, RequestOptions opts = {});
  std::future<Response> del(std::string path, RequestOptions opts = {});
  std::future<Response> head(std::string path, RequestOptions opts = {});

  // Callback form: returns at once; cb runs exactly once, on an executor thread (never the
  // event-loop thread, never the caller's). An exception thrown by cb is caught and logged.
  // One exception: once close() has stopped the executor, a call's callback (with
  // ClientClosedError) runs on the calling thread before the call returns, or, when the call
  // is made from inside a callback, on that thread right after the calling callback returns:
  // callbacks never nest, so a callback that issues its next request from inside itself
  // cannot grow the stack. Such a polling callback must stop at ClientClosedError.
  void request(std::string method, std::string path, RequestOptions opts, Callback cb);
  void get(std::string path, RequestOptions opts, Callback cb);
  void post(std::string path, RequestOptions opts, Callback cb);
  void put(std::string path, RequestOptions opts, Callback cb);
  void patch(std::string path, RequestOptions opts, Callback cb);
  void del(std::string path, RequestOptions opts, Callback cb);
  void head(std::string path, RequestOptions opts, Callback cb);

  // Stops taking requests (later calls resolve with ClientClosedError), ends waits and
  // transfers, resolves every pending future and runs every pending callback exactly once,
  // then joins the client's threads. Idempotent; callable from any thread, from this
  // client's own callbacks too (the executor thread running that callback is then released
  // when the callback returns, not joined), and the last owner may destroy the client from
  // inside one of its callbacks. Never hangs on a stalled server; it does wait for callbacks
  // that are running, so a callback that never returns keeps close() waiting.
  void close();

  // Thread-safe snapshot of the circuit breaker's state: the client's one breaker, or, with
  // circuit_breaker.scope = Authority, the one of base_url's authority.
  CircuitState circuit_state() const;
  // The state of the breaker that judges requests to `url_or_authority` (an absolute http(s)
  // URL, "https://api.example" or "https://api.example/v1/x" alike): with scope Client the
  // client's one breaker; with scope Authority that authority's own (Closed if it was never
  // called). Anything else is a ConfigError. Thread-safe.
  CircuitState circuit_state(std::string_view url_or_authority) const;

  // Every event from now on goes to `listener` too (<rhc/events.hpp>: on a thread of the
  // client's own, in order, never concurrently with itself). The client keeps it until
  // close(), which delivers the events still queued before it returns. Any thread; a null
  // listener is a ConfigError.
  void add_listener(std::shared_ptr<Listener> listener);

  // What the client has done and where it stands (<rhc/stats.hpp>): one consistent snapshot,
  // taken by the event-loop thread between two of its steps, so every figure is of the same
  // instant. Any thread; it waits for the loop's current step (microseconds). After close(),
  // the figures as close() left them.
  ClientStats stats() const;

  const ClientConfig& config() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The Python guide's factory: std::make_unique<ResilientClient>(std::move(config)).
RHC_EXPORT std::unique_ptr<ResilientClient> create_resilient_client(ClientConfig config);

}  // namespace rhc
