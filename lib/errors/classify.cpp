#include "errors/classify.hpp"

#include <string>

namespace rhc::detail {

bool is_retryable(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Connection:
    case ErrorKind::Timeout:
    case ErrorKind::ServerTimeout:
    case ErrorKind::RateLimit:
    case ErrorKind::ServiceUnavailable:
    case ErrorKind::Server:
      return true;
    default:
      return false;
  }
}

BreakerCount breaker_count(ErrorKind kind) {
  // Every retryable class, and a TLS failure (an APIConnectionError too: the service is
  // unusable for us), counts against the service.
  if (is_retryable(kind) || kind == ErrorKind::Tls) return BreakerCount::Failure;
  switch (kind) {
    case ErrorKind::Status:
    case ErrorKind::Authentication:
    case ErrorKind::NotFound:
    case ErrorKind::InvalidRequest:
    case ErrorKind::Redirect:
    case ErrorKind::TooManyRedirects:  // the server answered; it is not down
    case ErrorKind::ResponseTooLarge:
      return BreakerCount::Success;
    default:  // CircuitOpen, PoolTimeout, ClientClosed, Cancelled, Config: not the server's doing
      return BreakerCount::Ignored;
  }
}

ErrorKind kind_from_status(long status) {
  switch (status) {
    case 400: case 422: return ErrorKind::InvalidRequest;
    case 401: case 403: return ErrorKind::Authentication;
    case 404: return ErrorKind::NotFound;
    case 408: return ErrorKind::ServerTimeout;
    case 429: return ErrorKind::RateLimit;
    case 502: case 503: case 504: return ErrorKind::ServiceUnavailable;
    default: return status >= 500 ? ErrorKind::Server : ErrorKind::Status;
  }
}

Failure failure_from_curl(CURLcode code, const char* error_buffer) {
  Failure f;
  f.cause = (error_buffer != nullptr && error_buffer[0] != '\0') ? error_buffer
                                                                  : curl_easy_strerror(code);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      // The only timeout handed to libcurl is the connect timeout; read, write and pool
      // are the event loop's own timers, which never surface as a curl code.
      f.kind = ErrorKind::Timeout;
      f.timeout = TimeoutKind::Connect;
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
      f.kind = ErrorKind::Tls;
      break;
    case CURLE_TOO_MANY_REDIRECTS:
      f.kind = ErrorKind::TooManyRedirects;
      break;
    case CURLE_UNSUPPORTED_PROTOCOL:
      // prepare() lets only http and https URLs through and rhc checks every redirect's
      // target itself (loop/redirect.hpp); kept for a libcurl that refuses anyway.
      f.kind = ErrorKind::Redirect;
      break;
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      f.kind = ErrorKind::Config;
      break;
    default:
      // Refused, reset, DNS, partial file, got nothing, HTTP/2 stream errors, TLS handshake
      // failures that are not about the certificate: transient as far as we can tell.
      f.kind = ErrorKind::Connection;
      break;
  }
  return f;
}

namespace {

std::string describe(const Failure& f, const ErrorContext& c) {
  std::string s = c.method + " " + c.url;
  if (!c.request_id.empty()) s += " [req=" + c.request_id + "]";
  s += ": ";
  if (f.kind == ErrorKind::Timeout) s += std::string(to_string(f.timeout)) + " timeout: ";
  s += f.cause;
  if (c.attempts > 1) s += " (after " + std::to_string(c.attempts) + " attempts)";
  return s;
}

template <class E>
std::exception_ptr make(const Failure& f, ErrorContext c) {
  std::string message = describe(f, c);
  return std::make_exception_ptr(E(message, std::move(c)));
}

}  // namespace

std::exception_ptr make_exception(const Failure& f, ErrorContext c) {
  if (f.response != nullptr) {
    c.status_code = f.response->status_code;
    c.response = f.response;
  }
  switch (f.kind) {
    case ErrorKind::Connection: return make<APIConnectionError>(f, std::move(c));
    case ErrorKind::Timeout: {
      std::string message = describe(f, c);
      return std::make_exception_ptr(APITimeoutError(message, std::move(c), f.timeout));
    }
    case ErrorKind::ServerTimeout: return make<ServerTimeoutError>(f, std::move(c));
    case ErrorKind::RateLimit: return make<RateLimitError>(f, std::move(c));
    case ErrorKind::ServiceUnavailable: return make<ServiceUnavailableError>(f, std::move(c));
    case ErrorKind::Server: return make<ServerError>(f, std::move(c));
    case ErrorKind::CircuitOpen: return make<CircuitOpenError>(f, std::move(c));
    case ErrorKind::Tls: return make<TLSError>(f, std::move(c));
    case ErrorKind::Status: return make<APIStatusError>(f, std::move(c));
    case ErrorKind::Authentication: return make<AuthenticationError>(f, std::move(c));
    case ErrorKind::NotFound: return make<NotFoundError>(f, std::move(c));
    case ErrorKind::InvalidRequest: return make<InvalidRequestError>(f, std::move(c));
    case ErrorKind::PoolTimeout: return make<PoolTimeoutError>(f, std::move(c));
    case ErrorKind::ClientClosed: return make<ClientClosedError>(f, std::move(c));
    case ErrorKind::Cancelled: return make<CancelledError>(f, std::move(c));
    case ErrorKind::Redirect: return make<RedirectError>(f, std::move(c));
    case ErrorKind::TooManyRedirects: return make<TooManyRedirectsError>(f, std::move(c));
    case ErrorKind::ResponseTooLarge: return make<ResponseTooLargeError>(f, std::move(c));
    case ErrorKind::Config: return make<ConfigError>(f, std::move(c));
  }
  return make<MyAPIError>(f, std::move(c));
}

}  // namespace rhc::detail
