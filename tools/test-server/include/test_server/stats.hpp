// What the test server saw, so a test can check resilience from the server's side: how many
// attempts really arrived, which faults were injected, whether retries carried the same
// X-Request-ID, and how often each Idempotency-Key was executed. `GET /stats` returns the same
// numbers as JSON (see docs/testing.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace rhc::test_server {

struct Stats {
  // Every request the server parsed, on every endpoint (including /stats itself).
  std::uint64_t requests_total = 0;
  // Per endpoint: "/msg", "/idempotent", "/health", "/stats", "/fail" (all control endpoints),
  // "/bytes" (every `/bytes/{n}`), "/upload", "/multipart", "/cookies" (every cookie route),
  // "other".
  std::map<std::string, std::uint64_t> requests_by_endpoint;

  // `/msg` only; control endpoints never count here.
  std::uint64_t msg_requests = 0;   // attempts that reached the handler
  std::uint64_t msg_successes = 0;  // complete 200 answers decided (slow bodies included)
  std::uint64_t msg_failures = 0;   // attempts answered by a failure fault
  std::uint64_t msg_replays = 0;    // successes served from the idempotency cache
  std::uint64_t msg_in_flight = 0;
  std::uint64_t msg_max_in_flight = 0;  // high-water mark of concurrent /msg handlers

  // `/idempotent` only (the Idempotency-Key endpoint).
  std::uint64_t idempotent_requests = 0;    // requests that reached the handler, faulted included
  std::uint64_t idempotent_executions = 0;  // first executions of a key (the work started)
  std::uint64_t idempotent_replays = 0;     // finished responses replayed for a repeated key
  std::uint64_t idempotent_conflicts = 0;   // 409s: the key's first request still in progress
  std::uint64_t idempotent_mismatches = 0;  // 422s: the key reused with a different request

  // `/msg` and `/idempotent` requests answered 503 at once because the server was at its
  // Overload capacity; they count in nothing else here but requests_total and
  // requests_by_endpoint.
  std::uint64_t overload_rejections = 0;
  // `/msg` and `/idempotent` requests that Slowness delayed.
  std::uint64_t slowed = 0;
  // `/msg` and `/idempotent` requests whose client had closed the connection when their handler
  // finished, before any response byte was written: attempts the client timed out, cancelled
  // or, as a hedge's loser, aborted. Checked once per request, so a client that leaves while a
  // slow body trickles out is not counted, nor are requests the server resets itself (reset
  // and hang faults, a stop).
  std::uint64_t client_gone = 0;

  // The transport endpoints (`/bytes/{n}`, `/upload`, `/multipart`), which draw faults from the
  // same plan as `/msg` and `/idempotent`: requests that reached each handler, faulted included.
  std::uint64_t bytes_requests = 0;
  std::uint64_t upload_requests = 0;
  std::uint64_t multipart_requests = 0;
  // Body bytes `/upload` received in full bodies, in total.
  std::uint64_t upload_bytes = 0;
  // `/upload` bodies received in full, per SHA-256 (64 lowercase hex digits), faulted attempts
  // included: an upload retried byte-identical after a 503 shows as one digest counted twice.
  // Bounded like attempts_by_request_id.
  std::map<std::string, std::uint64_t> uploads_by_sha256;

  // Faults injected on `/msg`, `/idempotent` and the transport endpoints, keyed by
  // Fault::name(): "status_503", "reset", "truncate", ...
  std::map<std::string, std::uint64_t> faults_injected;

  // `/msg` and `/idempotent` attempts per X-Request-ID (bounded: the least recently seen ids
  // are dropped). Slowness::first_attempt_only reads "first" from here.
  std::map<std::string, std::uint64_t> attempts_by_request_id;

  // `/idempotent` executions per Idempotency-Key: 1 for a key whose retries were all replayed
  // or refused, more if it was executed again after a reset or an eviction from the key store
  // (bounded like attempts_by_request_id).
  std::map<std::string, std::uint64_t> executions_by_idempotency_key;
};

}  // namespace rhc::test_server
