// The chaos soak's driver: one bounded run of rhc against the failure-injection server, and
// everything it measured. chaos_soak_test.cpp asserts on the result and prints it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <rhc/config.hpp>

namespace rhc::soak {

struct SoakSettings {
  int requests = 24'000;  // logical requests in the main phase
  int concurrency = 64;   // requests outstanding at once (one lane each)
  double fault_probability = 0.3;
  std::uint64_t seed = 20'261'128;
  std::chrono::seconds issue_budget{100};  // lanes stop issuing after this, reached or not
  std::chrono::seconds resolve_bound{60};  // the longest one request may take to resolve
  std::chrono::milliseconds circuit_open_pause{100};  // a lane's pause after CircuitOpenError
  // At a third and at two thirds of the run, every /msg arrival gets a 503 for this long:
  // a short outage that the breaker must notice.
  std::chrono::milliseconds outage{300};
  int close_phase_requests = 2'000;  // outstanding when close() is called
};

// The defaults, with RHC_SOAK_REQUESTS and RHC_SOAK_BUDGET_SECONDS (positive integers)
// replacing `requests` and `issue_budget` when set: a sanitizer build runs the soak several
// times slower and may want a smaller or longer run.
SoakSettings settings_from_env();

// The client configuration the soak runs with (docs/reliability.md explains each choice).
ClientConfig soak_client_config(const std::string& base_url, const std::string& logger_name);

struct ProcessCounts {
  std::size_t fds = 0;
  std::size_t threads = 0;
};

struct SoakResult {
  SoakSettings settings;
  int max_attempts = 0;

  // Main phase, client side.
  std::uint64_t issued = 0, futures = 0, callbacks = 0;
  std::uint64_t unresolved = 0;           // futures or callbacks not done within resolve_bound
  std::uint64_t callback_runs_extra = 0;  // runs beyond the first, over all callbacks
  std::uint64_t callbacks_never_ran = 0;
  std::map<std::string, std::uint64_t> outcomes;  // by class: "success", "ServerError", ...
  std::vector<std::uint64_t> client_attempts;     // histogram, index = attempts
  std::vector<std::uint64_t> server_attempts;     // histogram of attempts_for(id)
  std::uint64_t client_attempts_sum = 0, server_attempts_sum = 0;
  double seconds = 0;

  // Per-request checks (counts of requests that break each rule; all should stay 0 except
  // over_max_on_wire, see docs/reliability.md).
  std::uint64_t client_over_max = 0;           // attempts() > max_attempts
  std::uint64_t refused_with_io = 0;           // CircuitOpen/PoolTimeout with attempts or arrivals
  std::uint64_t server_below_client = 0;       // server saw fewer arrivals than client attempts
  std::uint64_t server_above_curl_bound = 0;   // more than 1 + 5 arrivals per client attempt
  std::uint64_t success_attempt_mismatch = 0;  // body "attempt" != attempts_for(id)
  std::uint64_t success_wrong_id = 0;          // body request_id or Response::request_id wrong
  std::uint64_t retryable_not_exhausted = 0;   // retryable final error before max_attempts,
                                               // the retry budget's refusals aside
  std::uint64_t budget_refused = 0;            // retries the retry budget refused
  std::uint64_t duplicate_message_ids = 0;
  std::uint64_t replayed_successes = 0;  // successes the server served from its cache
  std::uint64_t over_max_on_wire = 0;    // attempts_for(id) > max_attempts
  std::uint64_t resent_requests = 0;     // requests with more arrivals than attempts
  std::uint64_t late_arrivals = 0;       // arrivals counted after the request resolved

  // Main phase, server side (/stats).
  std::uint64_t msg_requests = 0, msg_successes = 0, msg_failures = 0, msg_replays = 0;
  std::uint64_t msg_max_in_flight = 0, other_requests = 0;
  std::map<std::string, std::uint64_t> faults;

  // Breaker transitions, from the client's WARNING lines.
  std::uint64_t breaker_opened = 0;    // CLOSED -> OPEN
  std::uint64_t breaker_reopened = 0;  // HALF_OPEN -> OPEN (a failed trial)

  // Resources: before the client, after it was destroyed (main phase), after the close phase.
  ProcessCounts before, after_main, after_close;
  std::vector<std::size_t> rss_quarters;  // bytes, sampled at 25/50/75/100 % of requests

  // close() under load.
  std::uint64_t close_issued = 0, close_in_flight_at_close = 0;
  double close_seconds = 0;
  std::uint64_t close_unresolved_futures = 0, close_callbacks_not_run = 0;
  std::uint64_t close_callback_runs_extra = 0;
  std::map<std::string, std::uint64_t> close_outcomes;
};

// Runs the whole soak once (main phase, resource checks, close under load). Takes about
// a minute on two shared cores.
SoakResult run_soak(const SoakSettings& settings = {});

// The figures, as the human-readable block the soak prints to stdout.
std::string format_report(const SoakResult& r);

}  // namespace rhc::soak
