// Client configuration: timeouts, retry, circuit breaker, bulkhead, logging and transport
// options. Plain value types with the defaults of the Python guide rhc ports; a
// ResilientClient copies the ClientConfig it is given and validates it once, at construction.
//
//   rhc::ClientConfig config;
//   config.base_url = "http://localhost:8000";
//   config.retry.max_attempts = 3;
//   config.timeout = rhc::TimeoutConfig::all(rhc::Seconds{10});
//
// JSON (ClientConfig::from_json) and environment (ClientConfig::from_env) loading use the
// Python guide's key names (`min_wait_seconds`, ...); see docs/configuration.md for every key.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <rhc/duration.hpp>
#include <rhc/export.hpp>

namespace rhc {

// Bounds on one attempt's transfer, plus an optional bound on the whole logical request.
struct RHC_EXPORT TimeoutConfig {
  Seconds connect{60.0};  // TCP + TLS connection set-up. > 0.
  Seconds read{15.0};     // any stretch of waiting for response bytes. > 0.
  Seconds write{15.0};    // any stretch of sending the request body without progress. > 0.
  Seconds pool{5.0};      // waiting for a connection when the connection limit is reached. > 0.
  Seconds total{0.0};     // the whole logical request: bulkhead wait, every attempt and every
                          // backoff. 0 = no limit. >= 0.

  // connect, read, write and pool all set to `s` (the Python guide's httpx.Timeout(30.0)).
  static TimeoutConfig all(Seconds s);
};

// A cap on retries per authority (scheme://host:port), so that an outage does not multiply
// the load on the server by max_attempts (docs/retry.md "Retry budget"). A retry may be
// scheduled only while, over the last `window`,
//   retries < min_retries_per_second * window + ratio * first_attempts.
// Retries of attempts that provably never reached the server (DNS, connection refused,
// connect or TLS handshake failure) are exempt. When the budget says no, the attempt's own
// error surfaces at once and its what() says "retry budget exhausted".
struct RHC_EXPORT RetryBudgetConfig {
  bool enabled = true;
  double ratio = 0.2;                    // retries may add this share to first attempts. >= 0.
  double min_retries_per_second = 10.0;  // a reserve, so low-traffic callers always retry. >= 0.
  Seconds window{10.0};                  // sliding, counted in 1 s buckets. In [1, 60].
};

// Whether POST and PATCH requests (the methods that are not idempotent) are retried. GET,
// HEAD, OPTIONS, TRACE, PUT and DELETE, and a POST or PATCH that carries an idempotency key,
// are always retried by the usual rules.
enum class UnsafeRetry {
  Always,    // like any other method: the X-Request-ID lets the server deduplicate.
  WhenSafe,  // only when the request provably was not processed: it never left the client
             // (DNS, connection refused, connect or TLS handshake failure or timeout), or the
             // server refused it outright (408, 429, 503 with Retry-After).
  Never,
};
RHC_EXPORT const char* to_string(UnsafeRetry value);  // "always", "when_safe", "never"

// How many attempts a request gets and how long to wait between them.
// Wait before retry k (k = 1 for the first retry): base = min(max_wait, min_wait *
// multiplier^(k-1)); with jitter, uniform in [min_wait, base], else base.
struct RHC_EXPORT RetryConfig {
  int max_attempts = 5;     // attempts in total, the first included; 1 = no retry. >= 1.
  Seconds min_wait{1.0};    // >= 0.
  Seconds max_wait{60.0};   // >= min_wait.
  double multiplier = 2.0;  // >= 1.
  bool jitter = true;
  RetryBudgetConfig budget;
  UnsafeRetry unsafe_methods = UnsafeRetry::Always;
};

// Idempotency keys (IETF draft-ietf-httpapi-idempotency-key-header; docs/idempotency.md).
// When key_header is set, requests whose method is in `methods` carry that header, with
// RequestOptions::idempotency_key or else the request's X-Request-ID, the same on every
// attempt. Such a request is idempotent (retried whatever unsafe_methods says), and the
// server's answers change meaning: 409 is IdempotencyConflictError (the first request with
// this key is still running: retried with backoff, not a circuit breaker failure) and 422 is
// IdempotencyKeyReusedError (the key was used with another payload: not retried).
struct RHC_EXPORT IdempotencyConfig {
  std::string key_header;  // "" = off; e.g. "Idempotency-Key". An RFC 9110 token.
  std::vector<std::string> methods{"POST", "PATCH"};  // each an RFC 9110 token.
};

// How the circuit breaker judges a server (docs/circuit-breaker.md "Modes").
enum class BreakerMode {
  Consecutive,  // opens after failure_threshold consecutive failed requests (the default)
  FailureRate,  // opens when, over the last `window`, at least minimum_calls requests ended
                // and the share that failed (or was slow) reaches its threshold
};
RHC_EXPORT const char* to_string(BreakerMode value);  // "consecutive", "failure_rate"

// Whose requests one breaker counts (docs/circuit-breaker.md "Scope").
enum class BreakerScope {
  Client,     // one breaker for every request of the client (the default)
  Authority,  // one per scheme://host:port: a dead host never blocks calls to a healthy one
};
RHC_EXPORT const char* to_string(BreakerScope value);  // "client", "authority"

// Closed -> Open when the mode's rule says so; Open -> HalfOpen after the open period;
// half_open_probes trial requests decide between Closed and Open again. Both modes count
// logical requests (a request and its retries are one call), never attempts.
struct RHC_EXPORT CircuitBreakerConfig {
  int failure_threshold = 5;       // Consecutive: failed requests in a row. >= 1.
  Seconds recovery_timeout{30.0};  // the first open period, and a trial's time limit. > 0.

  BreakerMode mode = BreakerMode::Consecutive;
  BreakerScope scope = BreakerScope::Client;
  // FailureRate: the sliding window (1 s buckets) and the calls it needs before judging.
  Seconds window{10.0};                 // in [1, 600].
  int minimum_calls = 10;               // >= 1.
  double failure_rate_threshold = 0.5;  // opens at failures / calls >= this. In (0, 1].
  // FailureRate: a call whose final attempt took at least slow_call_duration is slow; opens
  // at slow / calls >= slow_call_rate_threshold. 0 s = slow calls not counted.
  Seconds slow_call_duration{0.0};        // >= 0.
  double slow_call_rate_threshold = 1.0;  // In (0, 1].
  // HalfOpen: trial requests at once; that many successes close, any failure reopens.
  int half_open_probes = 1;  // >= 1.
  // The k-th consecutive opening lasts min(max_recovery_timeout,
  // recovery_timeout * recovery_multiplier^(k-1)); closing resets k.
  double recovery_multiplier = 1.0;     // >= 1.
  Seconds max_recovery_timeout{300.0};  // >= recovery_timeout.
};

// A per-authority concurrency limit inside the bulkhead that adapts to the server
// (docs/bulkhead.md "Adaptive concurrency"): cut by backoff_ratio when the server sheds load
// (429, 503, a timeout, a connect failure, an attempt slower than latency_threshold), at most
// once per round trip; raised by one when a success finds the limit in use.
struct RHC_EXPORT AdaptiveLimitConfig {
  bool enabled = false;
  int initial_limit = 20;          // >= min_limit.
  int min_limit = 1;               // >= 1.
  double backoff_ratio = 0.9;      // in [0.5, 1).
  Seconds latency_threshold{0.0};  // 0 = latency never counts as a drop. >= 0.
};

// At most max_concurrency requests run at once; the others wait, first come first served, up
// to acquisition_timeout, then fail with PoolTimeoutError.
struct RHC_EXPORT BulkheadConfig {
  int max_concurrency = 50;           // >= 1. The ceiling, with adaptive limits too.
  Seconds acquisition_timeout{30.0};  // >= 0 (0: fail at once when no slot is free).
  AdaptiveLimitConfig adaptive;
};

// Hedging (docs/hedging.md): when an attempt has no response head `delay` after it started,
// a second one starts next to it, and the first good answer wins; the others are stopped.
// It cuts the slow tail of latency for a few percent more requests. Off by default; only
// for requests that may safely run twice: `methods` (safe methods), or any request with an
// idempotency key that asks for it (RequestOptions::hedge = true). Every hedge is charged
// to the authority's retry budget and counts against max_attempts.
struct RHC_EXPORT HedgingConfig {
  bool enabled = false;
  int max_hedged_attempts = 1;    // attempts running next to the first, at most. In [1, 4].
  Seconds delay{1.0};             // the delay; with delay_percentile, its floor. > 0.
  double delay_percentile = 0.0;  // 0 = fixed delay; else in (0, 1): e.g. 0.95 = the p95 of
  int min_samples = 100;          //   the authority's recent successful attempts, once it
                                  //   has min_samples of them (1 to 1000).
  // Hedged unless a request sets hedge = false. Each an RFC 9110 token, but not POST or
  // PATCH in any case (those are hedged only per request, with a key); may be empty.
  std::vector<std::string> methods{"GET", "HEAD", "OPTIONS"};
};

// TLS beyond verify_ssl: whom to trust, who we are (mutual TLS), which key the server must
// have, which versions to speak. Every file is PEM and is checked when the client is made.
// Empty fields leave libcurl's (and the system's) defaults.
struct RHC_EXPORT TlsConfig {
  std::string ca_file;       // CAs to trust instead of the system store. ClientConfig::ca_bundle
                             // is the same setting under its older name: set one, or both equal.
  std::string ca_path;       // a directory of CA certificates named by hash (openssl rehash),
                             // instead of the system store.
  std::string client_cert;   // the client certificate presented for mutual TLS.
  std::string client_key;    // its private key; empty: in client_cert's file. Needs client_cert.
  std::string key_password;  // the key's passphrase, if it is encrypted. Never logged.
  // The server's public key must be one of these: "sha256//<base64>;sha256//<base64>"
  // (libcurl's syntax), or the path of a PEM or DER public key file. A mismatch is a
  // TLSError (TlsProblem::PinMismatch), not retried.
  std::string pinned_public_key;
  std::string min_version;  // "1.2" or "1.3"; empty: libcurl's default.
};

// One line the client logs, as LoggingConfig::sink receives it.
struct RHC_EXPORT LogRecord {
  std::string severity;    // "DEBUG", "INFO", "WARNING" or "ERROR"
  std::string logger;      // LoggingConfig::logger_name
  std::string request_id;  // the X-Request-ID of the request the line is about; empty when it
                           // is about none. Filled in whatever include_request_id says.
  std::string message;     // the text alone: no [logger_name] or [req=<id>] prefix, no newline
};

// What the client logs and where (docs/logging.md). Without a sink, lines go to glog once the
// host has called google::InitGoogleLogging, and before that straight to stderr in glog's
// line format (without glog's "Logging before InitGoogleLogging()" notice).
struct RHC_EXPORT LoggingConfig {
  std::string level = "INFO";       // least severity logged: DEBUG, INFO, WARNING or ERROR.
  bool include_request_id = true;   // prefix lines about a request with [req=<id>].
  std::string logger_name = "rhc";  // every line starts with [logger_name].

  // Set: receives every line at or above `level` instead of glog (or stderr). Default: empty.
  // Not part of JSON or the environment. Called on the client's threads (the event loop, the
  // executor, the thread that constructs the client, and a caller's thread for callbacks of
  // requests refused while closing), never twice at once: rhc serialises the calls of every
  // sink in the process. It must not block on the client's work (never wait for a request
  // in it), close or destroy the client; other client calls are fine. Lines rhc logs from
  // inside a sink call on that thread are delivered after it returns. An exception it throws
  // is caught and the line dropped. What it captures must outlive the client.
  std::function<void(const LogRecord&)> sink;
};

struct RHC_EXPORT ClientConfig {
  std::string base_url;  // relative paths are joined to it; absolute URLs pass through.
  TimeoutConfig timeout;
  RetryConfig retry;
  CircuitBreakerConfig circuit_breaker;
  BulkheadConfig bulkhead;
  LoggingConfig logging;
  IdempotencyConfig idempotency;
  HedgingConfig hedging;
  bool follow_redirects = true;
  bool verify_ssl = true;
  std::string user_agent;  // empty: "rhc/<version>".

  // Beyond the Python guide.
  int max_redirects = 10;             // redirects followed per attempt when follow_redirects. >= 0.
  int max_host_connections = 0;       // connections per host; 0 = no limit. Requests beyond it
                                      // wait for a connection, bounded by timeout.pool. >= 0.
  int executor_threads = 0;           // threads that run callbacks; 0 = min(4, hardware threads).
  std::string ca_bundle;              // PEM file of CAs to trust instead of the system's; empty:
                                      // the system store.
  std::string proxy;                  // proxy URL for every request ("http://proxy:3128"); empty:
                                      // http_proxy / https_proxy / all_proxy / no_proxy, read
                                      // once when the client is made.
  int max_response_bytes = 64 << 20;  // cap on a response body after decompression (a gzip
                                      // bomb stops here); 0 = no limit. >= 0. A streamed
                                      // body (RequestOptions::on_chunk) has none.
  std::vector<std::string> sensitive_headers;  // header names (any case) that, like
                                               // Authorization, Cookie and
                                               // Proxy-Authorization, never follow a redirect
                                               // to another origin. Each an RFC 9110 token.

  // Transport (docs/usage.md "Transport").
  TlsConfig tls;
  // "auto": HTTP/2 over TLS when the server offers it (ALPN), HTTP/1.1 otherwise; "1.1";
  // "2": HTTP/2 over TLS, and an h2c upgrade on cleartext; "2-prior-knowledge": HTTP/2 on
  // cleartext without the upgrade. Over HTTP/2 the requests to one authority share one
  // connection.
  std::string http_version = "auto";
  std::string unix_socket;  // connect to this unix domain socket instead of host:port (the
                            // URL still names the host for the Host header and per-host state).
  bool cookies = false;     // an in-memory cookie jar shared by the client's requests: cookies
                            // a response sets are sent back to the origin that set them.
  // Content codings offered in Accept-Encoding, comma-separated ("gzip, br"); the response is
  // decoded before Response::text. "": every coding this libcurl supports. "identity": none.
  std::string accept_encoding = "gzip";

  // Throws ConfigError naming every invalid field (all of them, not only the first).
  void validate() const;

  // Reads the Python guide's JSON shape: {"base_url": ..., "timeout": {"connect": 60.0, ...},
  // "retry": {"max_attempts": 5, "min_wait_seconds": 1.0, ...}, ...}. Missing keys keep their
  // defaults; an unknown key or a value of the wrong type is a ConfigError naming the key.
  // The result is validated.
  static ClientConfig from_json(std::string_view json_text);

  // Reads <prefix>BASE_URL, <prefix>TIMEOUT_CONNECT, <prefix>RETRY_MAX_ATTEMPTS, ... (every
  // variable is listed in docs/configuration.md). Unset variables keep their defaults; a value
  // that does not parse is a ConfigError naming the variable. The result is validated.
  static ClientConfig from_env(const std::string& prefix = "RHC_");
};

}  // namespace rhc
