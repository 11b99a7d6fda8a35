// Every ClientConfig field, set to its default except where a comment says otherwise.
// docs/configuration.md has the range of each field and its JSON and environment key.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>

using namespace std::chrono_literals;  // any std::chrono duration converts to rhc::Seconds

rhc::ClientConfig make_config() {
  rhc::ClientConfig config;
  config.base_url = "https://api.example.com";  // relative paths are joined to it

  // HTTP timeouts (per attempt)
  config.timeout.connect = 60s;  // connection set-up: DNS, TCP and TLS
  config.timeout.read = 15s;     // longest silence while waiting for response bytes
  config.timeout.write = 15s;    // longest stall while sending the request body
  config.timeout.pool = 5s;      // waiting for a connection when max_host_connections is reached
  config.timeout.total = 0s;     // beyond the Python guide: the whole request, retries and waits
                                 // included; 0 = no limit

  // Retry behaviour
  config.retry.max_attempts = 5;  // attempts in total, the first included; 1 = no retries
  config.retry.min_wait = 1s;     // shortest wait between attempts
  config.retry.max_wait = 60s;    // longest wait between attempts
  config.retry.multiplier = 2.0;  // exponential backoff multiplier
  config.retry.jitter = true;     // random wait in [min_wait, backoff] instead of the backoff
  // Beyond the Python guide: a per-host retry budget (docs/retry.md "Retry budget") and
  // whether POST/PATCH are retried (docs/retry.md "Method safety")
  config.retry.budget.enabled = true;
  config.retry.budget.ratio = 0.2;                         // retries may add 20 % to first attempts
  config.retry.budget.min_retries_per_second = 10;         // plus this reserve
  config.retry.budget.window = 10s;                        // sliding, in 1 s buckets; 1 to 60 s
  config.retry.unsafe_methods = rhc::UnsafeRetry::Always;  // or WhenSafe, Never

  // Circuit breaker
  config.circuit_breaker.failure_threshold = 5;   // consecutive failed requests before opening
  config.circuit_breaker.recovery_timeout = 30s;  // open this long, then a trial request
  // Beyond the Python guide (docs/circuit-breaker.md): what opens it ("Modes"), whose requests
  // one breaker counts ("Scope"), trials at once ("Half-open probes") and longer openings
  // while the server stays down ("Open backoff")
  config.circuit_breaker.mode = rhc::BreakerMode::Consecutive;  // or FailureRate
  config.circuit_breaker.scope = rhc::BreakerScope::Client;     // or Authority: one per host
  config.circuit_breaker.window = 10s;                          // FailureRate: 1 to 600 s
  config.circuit_breaker.minimum_calls = 10;                    // FailureRate: calls to judge
  config.circuit_breaker.failure_rate_threshold = 0.5;          // FailureRate: opens at 50 %
  config.circuit_breaker.slow_call_duration = 0s;               // FailureRate: 0 = none is slow
  config.circuit_breaker.slow_call_rate_threshold = 1.0;        // FailureRate: opens at 100 % slow
  config.circuit_breaker.half_open_probes = 1;                  // trial requests at once
  config.circuit_breaker.recovery_multiplier = 1.0;             // each opening this times the last
  config.circuit_breaker.max_recovery_timeout = 300s;           // the longest opening

  // Concurrency limiting (bulkhead)
  config.bulkhead.max_concurrency = 50;       // requests in progress at once
  config.bulkhead.acquisition_timeout = 30s;  // longest wait for a slot -> PoolTimeoutError
  // Beyond the Python guide: a per-host limit under max_concurrency that follows the server
  // (docs/bulkhead.md "Adaptive concurrency")
  config.bulkhead.adaptive.enabled = false;
  config.bulkhead.adaptive.initial_limit = 20;      // may exceed max_concurrency, which caps it
  config.bulkhead.adaptive.min_limit = 1;           // the floor of every cut
  config.bulkhead.adaptive.backoff_ratio = 0.9;     // a 429, 503 or timeout cuts the limit 10 %
  config.bulkhead.adaptive.latency_threshold = 0s;  // slower attempts are drops; 0 = off

  // Logging (through glog, or a sink of yours; see "Custom logging")
  config.logging.level = "INFO";             // DEBUG, INFO, WARNING or ERROR
  config.logging.include_request_id = true;  // [req=<X-Request-ID>] on every line
  config.logging.logger_name = "my_client";  // default "rhc"
  config.logging.sink = nullptr;             // or a function that gets every line ("Log sink")

  // Beyond the Python guide: idempotency keys (docs/idempotency.md "Idempotency keys")
  config.idempotency.key_header = "";              // "Idempotency-Key" turns them on
  config.idempotency.methods = {"POST", "PATCH"};  // methods that send one

  // Beyond the Python guide: hedging, a second attempt next to a slow one (docs/hedging.md)
  config.hedging.enabled = false;
  config.hedging.max_hedged_attempts = 1;  // attempts next to the first, 1 to 4
  config.hedging.delay = 1s;               // no response head after this long: hedge
  config.hedging.delay_percentile = 0.0;   // 0 = the fixed delay; 0.95 = p95 of recent attempts
  config.hedging.min_samples = 100;        // attempts to see before the percentile is used
  config.hedging.methods = {"GET", "HEAD", "OPTIONS"};  // others only with hedge = true and a key

  // Transport options
  config.follow_redirects = true;
  config.verify_ssl = true;
  config.user_agent = "MyApp/1.0";  // default "rhc/<version>"

  // Beyond the Python guide
  config.max_redirects = 10;             // per attempt, when follow_redirects
  config.max_host_connections = 0;       // connections per host; 0 = no limit
  config.executor_threads = 0;           // threads running callbacks; 0 = min(4, cores)
  config.ca_bundle = "";                 // PEM file of trusted CAs; empty = the system's store
  config.proxy = "";                     // "http://proxy:3128"; empty = http_proxy, no_proxy, ...
  config.max_response_bytes = 64 << 20;  // cap on a (decompressed) body; 0 = no limit
  config.sensitive_headers = {};         // e.g. {"X-Api-Key"}: like Authorization, never sent
                                         // on to another origin by a redirect

  // Beyond the Python guide: transport (docs/usage.md "Transport")
  config.tls.ca_file = "";            // trusted CAs (PEM) instead of the system's; = ca_bundle
  config.tls.ca_path = "";            // or a directory of them, named by hash
  config.tls.client_cert = "";        // mutual TLS: the client certificate (PEM)
  config.tls.client_key = "";         // and its key (empty: in client_cert's file)
  config.tls.key_password = "";       // the key's passphrase; never logged
  config.tls.pinned_public_key = "";  // "sha256//<base64>;..." the server's key must match
  config.tls.min_version = "";        // "1.2" or "1.3"; empty = libcurl's default
  config.http_version = "auto";       // HTTP/2 over TLS when offered; "1.1", "2", ...
  config.unix_socket = "";            // connect to this socket instead of host:port
  config.cookies = false;             // true: an in-memory cookie jar for this client
  config.accept_encoding = "gzip";    // codings offered; "" = all libcurl decodes
  return config;
}

int main() {
  const rhc::ClientConfig config = make_config();
  try {
    config.validate();  // the client's constructor does this too
  } catch (const rhc::ConfigError& e) {
    std::cerr << e.what() << "\n";  // names every invalid field, not only the first
    return 1;
  }
  std::cout << "configuration for " << config.base_url << " is valid\n";
}
