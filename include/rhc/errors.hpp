// The errors rhc reports. Every one derives from rhc::Error (also named MyAPIError, the name
// the Python library that rhc ports uses) and carries
// the HTTP status (0 when there was no response), the request's X-Request-ID, and how many
// attempts were made; what() names the method, URL, request id and cause:
//
//   GET http://localhost:8000/msg [req=4f1c...]: HTTP 500 (after 5 attempts)
//
// Whether the client retries an error is a property of its class, written on each below,
// and Error::retryable() says it for any caught error.
//
//   Error (= MyAPIError)
//   ├── APIConnectionError        retried: network failures, timeouts, 5xx
//   │   ├── APITimeoutError       client-side timeout (connect/read/write/pool/total)
//   │   ├── ServerTimeoutError    408
//   │   ├── RateLimitError        429 (Retry-After honoured)
//   │   ├── ServiceUnavailableError 502, 503, 504
//   │   ├── ServerError           other 5xx
//   │   ├── CircuitOpenError      "Circuit breaker is OPEN"; no I/O was done; not retried
//   │   ├── TLSError              the TLS handshake failed for a reason a retry cannot fix
//   │   │                         (which(): untrusted or mismatched certificate, pin,
//   │   │                         client certificate, version); not retried
//   │   ├── IdempotencyConflictError 409 to a request that carried an idempotency key: the
//   │   │                         first request with that key is still in progress; retried,
//   │   │                         not a circuit breaker failure
//   │   └── ProtocolError         the response is not valid HTTP (conflicting or malformed
//   │                             Content-Length, Transfer-Encoding with Content-Length,
//   │                             obs-fold, a status code outside 100-999); not retried,
//   │                             counts as a circuit breaker failure
//   ├── APIStatusError            4xx; not retried
//   │   ├── AuthenticationError   401, 403
//   │   ├── NotFoundError         404
//   │   └── InvalidRequestError   400, 422
//   │       └── IdempotencyKeyReusedError 422 to a request that carried an idempotency key:
//   │                             the key was used before with another payload
//   ├── PoolTimeoutError          no bulkhead slot within acquisition_timeout; not retried
//   ├── ClientClosedError         the client was closed first
//   ├── CancelledError            the request's CancelToken was cancelled
//   ├── RedirectError             a redirect was refused; not retried
//   │   └── TooManyRedirectsError more than max_redirects
//   ├── ResponseTooLargeError     body over max_response_bytes (decoded), or headers over
//   │                             256 KiB (1xx interim heads included); not retried
//   ├── ConfigError               invalid configuration or request options; nothing was sent
//   ├── FileError                 a file of the request (output_file written, body_file or a
//   │                             multipart file read) failed after the call; not retried
//   │                             (docs/usage.md "Streaming a response"); not retried
//   └── DecodeError               Response::json() on a body that is not JSON
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <rhc/export.hpp>
#include <rhc/response.hpp>

namespace rhc {

// What every error knows about the request it ended. Filled by the library.
struct ErrorContext {
  int status_code = 0;  // HTTP status of the response that caused it; 0 if none.
  std::string request_id;
  int attempts = 0;  // attempts that reached the transport (0: refused before any I/O).
  std::string method;
  std::string url;
  std::shared_ptr<const Response> response;  // the failing response (status errors), else null.
};

class RHC_EXPORT Error : public std::runtime_error {
 public:
  Error(const std::string& message, ErrorContext context = {});
  ~Error() override;

  int status_code() const { return context_->status_code; }
  const std::string& request_id() const { return context_->request_id; }
  int attempts() const { return context_->attempts; }
  const std::string& method() const { return context_->method; }
  const std::string& url() const { return context_->url; }
  // The response that caused the error (status, headers, body), or nullptr when none came.
  const Response* response() const { return context_->response.get(); }

  // Whether rhc retries an error of this class: APIConnectionError and its subclasses but
  // CircuitOpenError, TLSError and ProtocolError; no other class.
  bool retryable() const;

 private:
  // Shared and immutable: copying an error (std::exception_ptr, catch by value) never
  // throws and never copies the context, and a field added to ErrorContext later does not
  // change this class's layout.
  std::shared_ptr<const ErrorContext> context_;
};
// The Python library's name for the base class; the same type.
using MyAPIError = Error;

#define RHC_DECLARE_ERROR(Name, Base)   \
  class RHC_EXPORT Name : public Base { \
   public:                              \
    using Base::Base;                   \
    ~Name() override;                   \
  }

RHC_DECLARE_ERROR(APIConnectionError, Error);

// Which of the client's timeouts fired.
enum class TimeoutKind { Connect, Read, Write, Pool, Total };
RHC_EXPORT const char* to_string(TimeoutKind kind);  // "connect", "read", ...

class RHC_EXPORT APITimeoutError : public APIConnectionError {
 public:
  APITimeoutError(const std::string& message, ErrorContext context, TimeoutKind which);
  ~APITimeoutError() override;
  TimeoutKind which() const { return which_; }

 private:
  TimeoutKind which_;
};

RHC_DECLARE_ERROR(ServerTimeoutError, APIConnectionError);
RHC_DECLARE_ERROR(RateLimitError, APIConnectionError);
RHC_DECLARE_ERROR(ServiceUnavailableError, APIConnectionError);
RHC_DECLARE_ERROR(ServerError, APIConnectionError);
RHC_DECLARE_ERROR(CircuitOpenError, APIConnectionError);
// Why a TLS handshake failed (TLSError::which()).
enum class TlsProblem {
  Handshake,                  // refused for another reason (an alert, no common cipher, ...)
  UntrustedCertificate,       // the server's certificate chain does not lead to a trusted CA
  NameMismatch,               // the certificate does not name the host of the URL
  ExpiredCertificate,         // the server's certificate has expired or is not valid yet
  PinMismatch,                // the server's public key is not TlsConfig::pinned_public_key
  ClientCertificateRequired,  // the server asks for a client certificate; none configured
  ClientCertificateRejected,  // the server refused the client certificate
  ClientCertificateUnusable,  // the client certificate or key could not be loaded (a wrong
                              // key_password, a key that does not match the certificate)
  ProtocolVersion,            // no TLS version both sides accept (TlsConfig::min_version)
};
RHC_EXPORT const char* to_string(TlsProblem problem);  // "untrusted certificate", ...

class RHC_EXPORT TLSError : public APIConnectionError {
 public:
  TLSError(const std::string& message, ErrorContext context = {},
           TlsProblem which = TlsProblem::Handshake);
  ~TLSError() override;
  TlsProblem which() const { return which_; }

 private:
  TlsProblem which_;
};
// The server sent bytes that are not a valid HTTP response (docs/reliability.md "Response
// framing"). An APIConnectionError, since the service is unusable to us, but the same
// bytes would come back: not retried.
RHC_DECLARE_ERROR(ProtocolError, APIConnectionError);
// 409 Conflict to a request that carried an idempotency key (docs/idempotency.md): the
// server is still processing the first request with that key. Retried with backoff; the
// server is answering, so not a circuit breaker failure.
RHC_DECLARE_ERROR(IdempotencyConflictError, APIConnectionError);

RHC_DECLARE_ERROR(APIStatusError, Error);
RHC_DECLARE_ERROR(AuthenticationError, APIStatusError);
RHC_DECLARE_ERROR(NotFoundError, APIStatusError);
RHC_DECLARE_ERROR(InvalidRequestError, APIStatusError);
// 422 to a request that carried an idempotency key: the key was already used with another
// payload. Never retried (a new key is needed).
RHC_DECLARE_ERROR(IdempotencyKeyReusedError, InvalidRequestError);

RHC_DECLARE_ERROR(PoolTimeoutError, Error);
RHC_DECLARE_ERROR(ClientClosedError, Error);
RHC_DECLARE_ERROR(CancelledError, Error);
RHC_DECLARE_ERROR(RedirectError, Error);  // e.g. to a scheme other than http/https
RHC_DECLARE_ERROR(TooManyRedirectsError, RedirectError);
RHC_DECLARE_ERROR(ResponseTooLargeError, Error);
RHC_DECLARE_ERROR(ConfigError, Error);
// A file the request uses failed after the call was accepted (what can be checked before
// sending is a ConfigError then): output_file could not be opened or written once the
// response began, or body_file / a multipart file could not be read as it was sent (it
// shrank, or was removed before a retry). Not retried.
RHC_DECLARE_ERROR(FileError, Error);
RHC_DECLARE_ERROR(DecodeError, Error);

#undef RHC_DECLARE_ERROR

}  // namespace rhc
