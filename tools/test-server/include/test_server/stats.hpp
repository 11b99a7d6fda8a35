// What the test server saw, so a test can check resilience from the server's side: how many
// attempts really arrived, which faults were injected, and whether retries carried the same
// X-Request-ID. `GET /stats` returns the same numbers as JSON (see docs/testing.md).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace rhc::test_server {

struct Stats {
  // Every request the server parsed, on every endpoint (including /stats itself).
  std::uint64_t requests_total = 0;
  // Per endpoint: "/msg", "/health", "/stats", "/fail" (all control endpoints), "other".
  std::map<std::string, std::uint64_t> requests_by_endpoint;

  // `/msg` only; control endpoints never count here.
  std::uint64_t msg_requests = 0;   // attempts that reached the handler
  std::uint64_t msg_successes = 0;  // complete 200 answers decided (slow bodies included)
  std::uint64_t msg_failures = 0;   // attempts answered by a failure fault
  std::uint64_t msg_replays = 0;    // successes served from the idempotency cache
  std::uint64_t msg_in_flight = 0;
  std::uint64_t msg_max_in_flight = 0;  // high-water mark of concurrent /msg handlers

  // Faults injected, keyed by Fault::name(): "status_503", "reset", "truncate", ...
  std::map<std::string, std::uint64_t> faults_injected;

  // `/msg` attempts per X-Request-ID (bounded: the least recently seen ids are dropped).
  std::map<std::string, std::uint64_t> attempts_by_request_id;
};

}  // namespace rhc::test_server
