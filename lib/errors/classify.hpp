// The one table from libcurl result codes and HTTP statuses to rhc's error classes, and the
// one place that turns an internal failure value into the public exception type.
//
// Inside the chain an outcome is a value (Failure), never a thrown exception: policies
// inspect it (retryable? counts for the breaker?) and pass it on. Only the API edge calls
// make_exception().
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <utility>

#include <rhc/errors.hpp>

namespace rhc::detail {

enum class ErrorKind {
  Connection,          // refused, reset, DNS, broken transfer
  Timeout,             // one of the client's timeouts (Failure::timeout says which)
  ServerTimeout,       // 408
  RateLimit,           // 429
  ServiceUnavailable,  // 502, 503, 504
  Server,              // other 5xx
  CircuitOpen,
  Tls,             // a TLS handshake that fails the same way every time (Failure::tls)
  Protocol,        // a response that is not valid HTTP framing (docs/reliability.md)
  Status,          // other 4xx
  Authentication,  // 401, 403
  NotFound,        // 404
  InvalidRequest,  // 400, 422
  // Only when the request carried an idempotency key (docs/idempotency.md):
  IdempotencyConflict,   // 409: the first request with the key is still in progress
  IdempotencyKeyReused,  // 422: the key was used with another payload
  PoolTimeout,
  ClientClosed,
  Cancelled,
  Redirect,  // a redirect to a scheme other than http/https
  TooManyRedirects,
  ResponseTooLarge,  // body or headers over the client's caps
  File,              // a file of the request (output_file, body_file, multipart) failed
  Config,
};

struct Failure {
  ErrorKind kind = ErrorKind::Connection;
  TimeoutKind timeout = TimeoutKind::Read;   // meaningful when kind == Timeout
  TlsProblem tls = TlsProblem::Handshake;    // meaningful when kind == Tls
  std::string cause;                         // human-readable, ends up in what()
  std::shared_ptr<const Response> response;  // the failing response, for status errors

  static Failure of(ErrorKind kind, std::string cause) {
    Failure f;
    f.kind = kind;
    f.cause = std::move(cause);
    return f;
  }
};

inline constexpr std::size_t kErrorKindCount = static_cast<std::size_t>(ErrorKind::Config) + 1;

// The public class a kind becomes ("ServerError", "APITimeoutError", ...): the name events
// and stats use. A static string.
const char* error_class_name(ErrorKind kind);

// What rhc retries (docs/retry.md): connection failures, client-side timeouts, 408, 429 and 5xx.
bool is_retryable(ErrorKind kind);

// What the breaker makes of a final outcome: +1 failure, a success, or nothing at all.
enum class BreakerCount { Failure, Success, Ignored };
BreakerCount breaker_count(ErrorKind kind);

// The error class of an HTTP status >= 400. With an idempotency key sent, 409 and 422 are
// the draft's answers about the key, not the seed's generic 4xx.
ErrorKind kind_from_status(long status, bool sent_idempotency_key = false);

// How far the failed transfer's response had come: some libcurl codes mean something else
// once response bytes are being parsed.
enum class ResponseStage {
  None,       // no status line yet
  Head,       // a status line came and its head has not ended
  AfterHead,  // a head ended: the body, or trailers
};

// A failed transfer. Never called with CURLE_OK. Inside a head, libcurl's header size limits
// are ResponseTooLarge; from the first status line on, its header store refusing a line is
// Protocol.
Failure failure_from_curl(CURLcode code, const char* error_buffer,
                          ResponseStage stage = ResponseStage::None);

std::exception_ptr make_exception(const Failure& failure, ErrorContext context);

}  // namespace rhc::detail
