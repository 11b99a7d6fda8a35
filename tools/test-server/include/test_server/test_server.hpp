// The failure-injection test server, started in-process.
//
// Tests and `rhc-probe demo` start one on an ephemeral loopback port, point a client at
// base_url(), inject faults (over HTTP or through the methods below), and read back what the
// server saw:
//
//   rhc::test_server::TestServer server;   // 127.0.0.1, ephemeral port
//   server.start();
//   server.fail_next(2);                   // like `POST /fail/count/2`
//   ... client GETs server.base_url() + "/msg" ...
//   CHECK(server.stats().msg_requests == 3);
//
// Endpoints (docs/testing.md): GET /health; GET|POST|PUT|PATCH|DELETE /msg;
// GET|POST|PUT|PATCH|DELETE /idempotent, which requires an `Idempotency-Key` header and
// executes each key once (400 without a key, 409 while the key's first request is still in
// progress, 422 for the key reused with a different request, the stored response with
// `Idempotent-Replayed: true` afterwards); POST /fail/count/{n}, POST /fail/probability,
// POST /fail/overload, POST /fail/slow, POST /fail/reset, GET /fail; GET /stats. The
// transport endpoints: GET /bytes/{n} (n bytes of test_server/byte_pattern.hpp, streamed;
// `?fail_after=K` fails mid-body), POST|PUT /upload (echoes the body's SHA-256 and length),
// POST /multipart (echoes each part's name, file name, type, length and SHA-256), and
// GET /cookies/set, /cookies/set-one, /cookies (Set-Cookie, and the Cookie header echoed).
// Faults apply to /msg, /idempotent, /bytes, /upload and /multipart, drawn from one plan in
// arrival order; Overload and Slowness to /msg and /idempotent only.
//
// Faults are scoped to one server instance: run two for two hosts. Each TestServer has its own
// fault plan, chaos PRNG, Overload capacity and count of running handlers, Slowness PRNG,
// stats, idempotency cache and key store; nothing is shared between instances, so two servers
// on two ports fail, shed load and slow down independently.
//
// Thread-safety: every method may be called from any thread once start() has returned; fault
// settings and stats are shared by all connections to one server. start() and stop() are not
// meant to race each other. A TestServer is started at most once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <test_server/fault.hpp>
#include <test_server/stats.hpp>

namespace rhc::test_server {

inline constexpr int kDefaultWorkerThreads = 320;
inline constexpr std::size_t kDefaultIdempotencyCapacity = 10'000;
inline constexpr std::size_t kDefaultIdempotencyKeyCapacity = 10'000;
inline constexpr std::size_t kDefaultRequestIdStatsCapacity = 10'000;
inline constexpr int kDefaultListenBacklog = 1024;
inline constexpr std::chrono::milliseconds kDefaultMaxDelay{60'000};
inline constexpr std::chrono::seconds kDefaultKeepAliveTimeout{5};
inline constexpr std::chrono::seconds kDefaultIoTimeout{5};

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  int port = 0;                    // 0 = ephemeral; port() tells which one
  // One thread per open connection (cpp-httplib's model). Must exceed the number of
  // concurrently open connections a test uses, or connections queue; default 320.
  int worker_threads = kDefaultWorkerThreads;
  // Idempotency cache (X-Request-ID -> message_id) size, least recently used evicted first.
  std::size_t idempotency_cache_capacity = kDefaultIdempotencyCapacity;
  // `/idempotent`'s key store (Idempotency-Key -> fingerprint and stored response) size, least
  // recently used evicted first. A key whose first request is still in progress is never
  // evicted; the store then briefly holds more, at most one extra key per worker thread.
  std::size_t idempotency_key_capacity = kDefaultIdempotencyKeyCapacity;
  // How many X-Request-IDs /stats tracks attempts for, and how many Idempotency-Keys it tracks
  // executions for (each map separately), least recently seen dropped first.
  std::size_t request_id_stats_capacity = kDefaultRequestIdStatsCapacity;
  // Backlog of the listening socket (cpp-httplib's is 5, too small for bursts of connects).
  int listen_backlog = kDefaultListenBacklog;
  // Upper bound for `/msg?delay=` and `/idempotent?work_ms=`; larger values are clamped.
  std::chrono::milliseconds max_delay = kDefaultMaxDelay;
  // How long an idle keep-alive connection is kept, and the socket read/write timeout.
  std::chrono::seconds keep_alive_timeout = kDefaultKeepAliveTimeout;
  std::chrono::seconds io_timeout = kDefaultIoTimeout;
  // Requests served on one connection before the server closes it.
  std::size_t keep_alive_max_requests = 1000;
};

class TestServer {
 public:
  explicit TestServer(ServerOptions options = {});
  ~TestServer();  // stops
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  // Binds, then serves on a background thread; returns once the server accepts connections.
  // Throws std::runtime_error if the address cannot be bound.
  void start();
  // Stops accepting, releases every delayed, hung or slow handler (their connections are
  // reset) and joins all threads. Idempotent; returns within about a second.
  void stop();

  int port() const;              // the bound port (valid after start())
  std::string base_url() const;  // "http://127.0.0.1:PORT"

  // The fault controls, same as the HTTP endpoints; they apply to this server only.
  // `POST /fail/count/{n}`: the next n requests to the faulted endpoints (/msg, /idempotent,
  // /bytes, /upload, /multipart) get `fault`, replacing any plan.
  void fail_next(std::size_t n, const Fault& fault = Fault{});
  // `POST /fail/count/{n}?append=true`: after the planned faults, n more get `fault`.
  void then_fail(std::size_t n, const Fault& fault);
  // `POST /fail/probability`. Counted faults, when planned, come first.
  void set_chaos(const ChaosSettings& chaos);
  // `POST /fail/overload?max_in_flight=K[&retry_after=S]`: from now on, a `/msg` or
  // `/idempotent` request arriving while K or more of their handlers run gets 503 at once (see
  // Overload). std::nullopt (or `max_in_flight=0` over HTTP) turns it off. Throws
  // std::invalid_argument for max_in_flight == 0.
  void set_overload(const std::optional<Overload>& overload);
  // `POST /fail/slow?probability=P&delay_ms=D[&seed=S][&first_attempt=true]`: each `/msg` or
  // `/idempotent` request (with first_attempt_only, only the first attempt of each
  // X-Request-ID) waits `delay` first with `probability` (see Slowness); reseeds the slowness
  // PRNG. Probability 0 turns it off. Throws std::invalid_argument for a probability outside [0, 1]
  // or a negative delay.
  void set_slowness(const Slowness& slowness);
  // `POST /fail/reset`: clears every fault, Overload and Slowness, the idempotency cache, the
  // Idempotency-Key store (keys still in progress included: their results are not stored) and
  // all counters.
  void reset();

  // `GET /stats`, as a value.
  Stats stats() const;
  // `/msg` and `/idempotent` attempts that carried this X-Request-ID (0 if never seen or
  // dropped).
  std::uint64_t attempts_for(std::string_view request_id) const;
  // `/idempotent` executions of this Idempotency-Key (0 if never executed or dropped); 1 means
  // every retry was replayed or refused.
  std::uint64_t executions_for_key(std::string_view key) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rhc::test_server
