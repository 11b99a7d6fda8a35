// What the test server can do wrong, as plain values.
//
// A Fault describes one misbehaviour of one request to a faulted endpoint (`/msg`,
// `/idempotent`, and the transport endpoints `/bytes/{n}`, `/upload`, `/multipart`): an HTTP
// error status, a connection reset before any response byte, a truncated body, a hang, or a
// slow body. Overload and Slowness are server-level settings beside the faults: a capacity beyond
// which requests get 503 at once, and a random extra delay. The same values drive the HTTP
// control endpoints (`POST /fail/count/{n}`, `POST /fail/probability`, `POST /fail/overload`,
// `POST /fail/slow`) and the programmatic controls on TestServer, so a test can use either.
//
//   using namespace rhc::test_server;
//   server.fail_next(2, Fault::status_code(503, std::chrono::seconds(1)));
//   server.set_chaos({.probability = 0.2, .seed = 42,
//                     .faults = {Fault::status_code(500), Fault::reset()}});
//   server.set_overload(Overload{.max_in_flight = 8, .retry_after = std::chrono::seconds(1)});
//   server.set_slowness({.probability = 0.05, .delay = std::chrono::milliseconds(200), .seed = 1});
//   server.set_slowness({.probability = 1.0, .delay = std::chrono::milliseconds(200), .seed = 1,
//                        .first_attempt_only = true});  // every first attempt, no retry
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rhc::test_server {

enum class FaultKind {
  status,     // answer with an HTTP error status (and a JSON error body)
  reset,      // close the connection with a TCP RST before sending any response byte
  truncate,   // send the headers and part of the body, then close (Content-Length lies)
  hang,       // read the request and never answer, until `hang_for` passes or the server stops
  slow_body,  // a successful response whose body trickles out in chunks
};

// "status", "reset", "truncate", "hang" or "slow_body".
std::string to_string(FaultKind kind);

inline constexpr int kDefaultFaultStatus = 500;
// A hang ends (with a reset) after this long even if nobody stops the server, so a forgotten
// hang cannot pin a worker thread forever.
inline constexpr std::chrono::milliseconds kDefaultHangFor{30'000};
inline constexpr std::size_t kDefaultBodyBytes = 1024;
inline constexpr std::size_t kDefaultChunkBytes = 64;
inline constexpr std::chrono::milliseconds kDefaultChunkInterval{100};

struct Fault {
  FaultKind kind = FaultKind::status;

  // kind == status: the status sent; any 4xx or 5xx (408, 429, 500, 502, 503, 504, ...).
  int status = kDefaultFaultStatus;
  // kind == status: adds a `Retry-After` header, in delta-seconds or, when
  // `retry_after_http_date` is set, as an IMF-fixdate that far in the future.
  std::optional<std::chrono::seconds> retry_after;
  bool retry_after_http_date = false;

  // kind == hang: how long the request hangs before the server resets the connection.
  std::chrono::milliseconds hang_for = kDefaultHangFor;

  // kind == truncate: the Content-Length announced (half of it is sent).
  // kind == slow_body: the size of the whole body (the JSON success padded with spaces).
  std::size_t body_bytes = kDefaultBodyBytes;
  // kind == slow_body: bytes per chunk and the pause before each chunk.
  std::size_t chunk_bytes = kDefaultChunkBytes;
  std::chrono::milliseconds chunk_interval = kDefaultChunkInterval;

  static Fault status_code(int status, std::optional<std::chrono::seconds> retry_after = {},
                           bool http_date = false);
  static Fault reset();
  static Fault truncate(std::size_t announced_bytes = kDefaultBodyBytes);
  static Fault hang(std::chrono::milliseconds hang_for = kDefaultHangFor);
  static Fault slow_body(std::size_t body_bytes = kDefaultBodyBytes,
                         std::size_t chunk_bytes = kDefaultChunkBytes,
                         std::chrono::milliseconds chunk_interval = kDefaultChunkInterval);

  // The key under which /stats counts this fault: "status_503", "reset", "truncate", "hang",
  // "slow_body".
  std::string name() const;

  // True for the kinds that make the attempt fail (all but slow_body, which delivers a
  // complete success, only late).
  bool is_failure() const { return kind != FaultKind::slow_body; }
};

// Random faults for soak and chaos runs: each request to a faulted endpoint fails with
// `probability`, the fault picked uniformly from `faults`. Decisions come from one PRNG seeded
// with `seed`, in the order requests reach the server, so the same seed and the same request
// order give the same sequence of outcomes.
struct ChaosSettings {
  double probability = 0.0;  // 0 disables chaos; 1 fails every request
  std::uint64_t seed = 0;
  std::vector<Fault> faults = {Fault{}};  // must not be empty when probability > 0
};

// A server with a capacity: while `max_in_flight` or more `/msg` and `/idempotent` handlers are
// running (both endpoints together; a delay, `work_ms`, a hang or a Slowness delay keeps one
// running; a slow body's trickle, sent after its handler returned, does not), a new request to
// either gets `503 {"error":"server overloaded","max_in_flight":K}` at once, with
// `Retry-After: <seconds>` when `retry_after` is set. A rejected request never reaches its
// handler: it does not count as running, draws no fault and no Slowness, and counts only in
// Stats::overload_rejections (and requests_total). Requests already running when the setting
// changes are not affected.
struct Overload {
  std::size_t max_in_flight = 0;  // at least 1; set_overload(std::nullopt) turns overload off
  std::optional<std::chrono::seconds> retry_after;
};

// Random slowness, independent of the faults: each `/msg` or `/idempotent` request that reaches
// its handler first waits `delay` with `probability`, then goes on as usual (its `?delay=` or
// `?work_ms=` on top, its fault, if it drew one, after). Decisions come from a PRNG of its own
// seeded with `seed` (chaos draws are unaffected), in arrival order, so the same seed and the
// same request order slow the same requests. A server stop cuts the wait short and resets the
// connection, as for `?delay=`. Each slowed request counts in Stats::slowed.
//
// With `first_attempt_only`, only the first request the server sees with a given X-Request-ID
// is drawn for (and so can be slowed); later attempts with that id (retries, hedges) are never
// slowed and draw nothing, so the k-th first attempt always gets the k-th draw. A request
// without an X-Request-ID counts as a first attempt. "Seen" is the attempts count of
// Stats::attempts_by_request_id, bounded by ServerOptions::request_id_stats_capacity: an id
// dropped from it is new again. This is the fault hedging tests want: with probability 1,
// every request's first attempt is late and its hedge is not.
struct Slowness {
  double probability = 0.0;  // 0 disables slowness; 1 slows every request (or first attempt)
  std::chrono::milliseconds delay{0};
  std::uint64_t seed = 0;
  bool first_attempt_only = false;  // slow only the first attempt of each X-Request-ID
};

}  // namespace rhc::test_server
