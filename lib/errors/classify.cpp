#include "errors/classify.hpp"

#include "errors/tls_failure.hpp"

#include <string>
#include <string_view>

namespace rhc::detail {

const char* error_class_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Connection:
      return "APIConnectionError";
    case ErrorKind::Timeout:
      return "APITimeoutError";
    case ErrorKind::ServerTimeout:
      return "ServerTimeoutError";
    case ErrorKind::RateLimit:
      return "RateLimitError";
    case ErrorKind::ServiceUnavailable:
      return "ServiceUnavailableError";
    case ErrorKind::Server:
      return "ServerError";
    case ErrorKind::CircuitOpen:
      return "CircuitOpenError";
    case ErrorKind::Tls:
      return "TLSError";
    case ErrorKind::Protocol:
      return "ProtocolError";
    case ErrorKind::Status:
      return "APIStatusError";
    case ErrorKind::Authentication:
      return "AuthenticationError";
    case ErrorKind::NotFound:
      return "NotFoundError";
    case ErrorKind::InvalidRequest:
      return "InvalidRequestError";
    case ErrorKind::IdempotencyConflict:
      return "IdempotencyConflictError";
    case ErrorKind::IdempotencyKeyReused:
      return "IdempotencyKeyReusedError";
    case ErrorKind::PoolTimeout:
      return "PoolTimeoutError";
    case ErrorKind::ClientClosed:
      return "ClientClosedError";
    case ErrorKind::Cancelled:
      return "CancelledError";
    case ErrorKind::Redirect:
      return "RedirectError";
    case ErrorKind::TooManyRedirects:
      return "TooManyRedirectsError";
    case ErrorKind::ResponseTooLarge:
      return "ResponseTooLargeError";
    case ErrorKind::File:
      return "FileError";
    case ErrorKind::Config:
      return "ConfigError";
  }
  return "Error";
}

bool is_retryable(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Connection:
    case ErrorKind::Timeout:
    case ErrorKind::ServerTimeout:
    case ErrorKind::RateLimit:
    case ErrorKind::ServiceUnavailable:
    case ErrorKind::Server:
    case ErrorKind::IdempotencyConflict:  // the original is still running: wait and ask again
      return true;
    default:
      return false;
  }
}

BreakerCount breaker_count(ErrorKind kind) {
  // A 409 about an idempotency key is the server answering, and answering correctly.
  if (kind == ErrorKind::IdempotencyConflict) return BreakerCount::Success;
  // Every retryable class, and a TLS or protocol failure (APIConnectionErrors too: the
  // service is unusable for us), counts against the service.
  if (is_retryable(kind) || kind == ErrorKind::Tls || kind == ErrorKind::Protocol) {
    return BreakerCount::Failure;
  }
  switch (kind) {
    case ErrorKind::Status:
    case ErrorKind::Authentication:
    case ErrorKind::NotFound:
    case ErrorKind::InvalidRequest:
    case ErrorKind::IdempotencyKeyReused:
    case ErrorKind::Redirect:
    case ErrorKind::TooManyRedirects:  // the server answered; it is not down
    case ErrorKind::ResponseTooLarge:
      return BreakerCount::Success;
    // CircuitOpen, PoolTimeout, ClientClosed, Cancelled, File, Config: not the server's doing
    default:
      return BreakerCount::Ignored;
  }
}

ErrorKind kind_from_status(long status, bool sent_idempotency_key) {
  if (sent_idempotency_key && status == 409) return ErrorKind::IdempotencyConflict;
  if (sent_idempotency_key && status == 422) return ErrorKind::IdempotencyKeyReused;
  switch (status) {
    case 400:
    case 422:
      return ErrorKind::InvalidRequest;
    case 401:
    case 403:
      return ErrorKind::Authentication;
    case 404:
      return ErrorKind::NotFound;
    case 408:
      return ErrorKind::ServerTimeout;
    case 429:
      return ErrorKind::RateLimit;
    case 502:
    case 503:
    case 504:
      return ErrorKind::ServiceUnavailable;
    default:
      return status >= 500 ? ErrorKind::Server : ErrorKind::Status;
  }
}

namespace {

ErrorKind kind_from_curl(CURLcode code) {
  // No default: a libcurl that adds a code fails this build (-Wswitch, -Werror) until the
  // code is given a class here and in test/unit/errors/classify_table_test.cpp.
  switch (code) {
    // A client-side timeout. The only timeout handed to libcurl is the connect timeout;
    // read, write and pool are the event loop's own timers, which never surface as a code.
    case CURLE_OPERATION_TIMEDOUT:
      return ErrorKind::Timeout;

    // The server's certificate does not verify (or cannot be checked against what the
    // client trusts), the client certificate cannot be used or is required, no cipher
    // fits: retrying cannot fix it, and the service is unusable for us. (A handshake
    // failure, CURLE_SSL_CONNECT_ERROR, is one too when the peer refused it: tls_failure.hpp.)
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CLIENTCERT:
      return ErrorKind::Tls;

    // The server's bytes are not HTTP as rhc reads it: a status line libcurl refuses
    // ("HTTP/1.1 abc", code 099, HTTP/0.9), a Content-Length it cannot read, a NUL in a
    // header. prepare() lets only http and https URLs through and rhc checks every redirect
    // target itself (loop/redirect.hpp), so an unsupported protocol can only come from the
    // response. The same bytes would come back: not retried.
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_WEIRD_SERVER_REPLY:
      return ErrorKind::Protocol;

    // CURLOPT_FOLLOWLOCATION is off (rhc follows redirects itself); kept for a libcurl that
    // counts anyway.
    case CURLE_TOO_MANY_REDIRECTS:
      return ErrorKind::TooManyRedirects;

    // What rhc handed libcurl is wrong, or this libcurl cannot do it (a proxy scheme that
    // is not built in): the same request fails the same way, nothing useful was sent.
    case CURLE_URL_MALFORMAT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_SETOPT_OPTION_SYNTAX:
      return ErrorKind::Config;

    // The network and the connection: refused, reset, DNS, partial bodies, nothing
    // received, HTTP/2 and HTTP/3 stream errors, TLS handshakes cut short by the network
    // (tls_failure.hpp tells them from a refusal), a proxy's refusal. Transient as far as we can
    // tell. (CURLE_OUT_OF_MEMORY and CURLE_RECV_ERROR are ResponseTooLarge instead when they are
    // libcurl's header limits: see failure_from_curl.) A callback's refusal
    // (CURLE_WRITE_ERROR, CURLE_ABORTED_BY_CALLBACK) is classified by the loop from what
    // the callback recorded before it gets here.
    case CURLE_OK:  // never passed; listed so that every value has a class
    case CURLE_FAILED_INIT:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_HTTP2:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP_RETURNED_ERROR:
    case CURLE_WRITE_ERROR:
    case CURLE_UPLOAD_FAILED:
    case CURLE_READ_ERROR:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_RANGE_ERROR:
    case CURLE_HTTP_POST_ERROR:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_ABORTED_BY_CALLBACK:
    case CURLE_INTERFACE_FAILED:
    case CURLE_GOT_NOTHING:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_BAD_CONTENT_ENCODING:  // may be a body cut short mid-stream
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_SEND_FAIL_REWIND:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_LOGIN_DENIED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_AGAIN:
    case CURLE_CHUNK_FAILED:
    case CURLE_NO_CONNECTION_AVAILABLE:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_HTTP2_STREAM:
    case CURLE_RECURSIVE_API_CALL:
    case CURLE_AUTH_ERROR:
    case CURLE_HTTP3:
    case CURLE_QUIC_CONNECT_ERROR:
    case CURLE_PROXY:
    case CURLE_UNRECOVERABLE_POLL:
      return ErrorKind::Connection;

    // Other protocols' codes (CURLOPT_PROTOCOLS_STR allows http and https only) and
    // obsolete numbers: rhc cannot see them. Connection, the transient default, should a
    // libcurl use one anyway.
    case CURLE_REMOTE_ACCESS_DENIED:
    case CURLE_FTP_ACCEPT_FAILED:
    case CURLE_FTP_WEIRD_PASS_REPLY:
    case CURLE_FTP_ACCEPT_TIMEOUT:
    case CURLE_FTP_WEIRD_PASV_REPLY:
    case CURLE_FTP_WEIRD_227_FORMAT:
    case CURLE_FTP_CANT_GET_HOST:
    case CURLE_FTP_COULDNT_SET_TYPE:
    case CURLE_FTP_COULDNT_RETR_FILE:
    case CURLE_OBSOLETE20:
    case CURLE_QUOTE_ERROR:
    case CURLE_OBSOLETE24:
    case CURLE_OBSOLETE29:
    case CURLE_FTP_PORT_FAILED:
    case CURLE_FTP_COULDNT_USE_REST:
    case CURLE_OBSOLETE32:
    case CURLE_BAD_DOWNLOAD_RESUME:
    case CURLE_FILE_COULDNT_READ_FILE:
    case CURLE_LDAP_CANNOT_BIND:
    case CURLE_LDAP_SEARCH_FAILED:
    case CURLE_OBSOLETE40:
    case CURLE_FUNCTION_NOT_FOUND:
    case CURLE_OBSOLETE44:
    case CURLE_OBSOLETE46:
    case CURLE_OBSOLETE50:
    case CURLE_OBSOLETE51:
    case CURLE_OBSOLETE57:
    case CURLE_OBSOLETE62:
    case CURLE_USE_SSL_FAILED:
    case CURLE_TFTP_NOTFOUND:
    case CURLE_TFTP_PERM:
    case CURLE_REMOTE_DISK_FULL:
    case CURLE_TFTP_ILLEGAL:
    case CURLE_TFTP_UNKNOWNID:
    case CURLE_REMOTE_FILE_EXISTS:
    case CURLE_TFTP_NOSUCHUSER:
    case CURLE_OBSOLETE75:
    case CURLE_OBSOLETE76:
    case CURLE_REMOTE_FILE_NOT_FOUND:
    case CURLE_SSH:
    case CURLE_FTP_PRET_FAILED:
    case CURLE_RTSP_CSEQ_ERROR:
    case CURLE_RTSP_SESSION_ERROR:
    case CURLE_FTP_BAD_FILE_LIST:
    case CURL_LAST:
      return ErrorKind::Connection;
  }
  return ErrorKind::Connection;  // a value outside the enumeration
}

bool starts_with(const char* text, std::string_view prefix) {
  return text != nullptr && std::string_view(text).substr(0, prefix.size()) == prefix;
}

}  // namespace

Failure failure_from_curl(CURLcode code, const char* error_buffer, ResponseStage stage) {
  Failure f = Failure::of(kind_from_curl(code), (error_buffer != nullptr && error_buffer[0] != '\0')
                                                    ? error_buffer
                                                    : curl_easy_strerror(code));
  if (f.kind == ErrorKind::Timeout) f.timeout = TimeoutKind::Connect;
  if (auto problem = tls_problem(code, f.cause)) {
    f.kind = ErrorKind::Tls;
    f.tls = *problem;
    f.cause = std::string(to_string(*problem)) + " (" + f.cause + ")";
    return f;
  }
  if (stage == ResponseStage::Head) {
    // libcurl's own header limits, where rhc's count (loop/transfer.hpp kMaxHeaderBytes)
    // cannot fire first: a single line over 100 KiB never reaches the header callback
    // (7.88 fails it as CURLE_OUT_OF_MEMORY; malloc failing mid-head is the same refusal
    // of a head too big for us), and a line that takes libcurl's total over 300 KiB is
    // refused before rhc sees it (CURLE_RECV_ERROR, told from a reset by its message).
    if (code == CURLE_OUT_OF_MEMORY) {
      f.kind = ErrorKind::ResponseTooLarge;
      f.cause = "a response header line exceeds libcurl's limit (" + f.cause + ")";
    } else if (code == CURLE_RECV_ERROR &&
               starts_with(error_buffer, "Too large response headers")) {
      f.kind = ErrorKind::ResponseTooLarge;
    }
  }
  if (stage != ResponseStage::None && code == CURLE_BAD_FUNCTION_ARGUMENT) {
    // libcurl's header store (7.83+) refuses a line it cannot file before the header
    // callback sees it: a fold with no field before it, a line without a colon, in a head
    // or in trailers. The server's bytes, not rhc's arguments.
    f.kind = ErrorKind::Protocol;
    f.cause = "malformed response header line (" + f.cause + ")";
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
    case ErrorKind::Connection:
      return make<APIConnectionError>(f, std::move(c));
    case ErrorKind::Timeout: {
      std::string message = describe(f, c);
      return std::make_exception_ptr(APITimeoutError(message, std::move(c), f.timeout));
    }
    case ErrorKind::ServerTimeout:
      return make<ServerTimeoutError>(f, std::move(c));
    case ErrorKind::RateLimit:
      return make<RateLimitError>(f, std::move(c));
    case ErrorKind::ServiceUnavailable:
      return make<ServiceUnavailableError>(f, std::move(c));
    case ErrorKind::Server:
      return make<ServerError>(f, std::move(c));
    case ErrorKind::CircuitOpen:
      return make<CircuitOpenError>(f, std::move(c));
    case ErrorKind::Tls: {
      std::string message = describe(f, c);
      return std::make_exception_ptr(TLSError(message, std::move(c), f.tls));
    }
    case ErrorKind::Protocol:
      return make<ProtocolError>(f, std::move(c));
    case ErrorKind::Status:
      return make<APIStatusError>(f, std::move(c));
    case ErrorKind::Authentication:
      return make<AuthenticationError>(f, std::move(c));
    case ErrorKind::NotFound:
      return make<NotFoundError>(f, std::move(c));
    case ErrorKind::InvalidRequest:
      return make<InvalidRequestError>(f, std::move(c));
    case ErrorKind::IdempotencyConflict:
      return make<IdempotencyConflictError>(f, std::move(c));
    case ErrorKind::IdempotencyKeyReused:
      return make<IdempotencyKeyReusedError>(f, std::move(c));
    case ErrorKind::PoolTimeout:
      return make<PoolTimeoutError>(f, std::move(c));
    case ErrorKind::ClientClosed:
      return make<ClientClosedError>(f, std::move(c));
    case ErrorKind::Cancelled:
      return make<CancelledError>(f, std::move(c));
    case ErrorKind::Redirect:
      return make<RedirectError>(f, std::move(c));
    case ErrorKind::TooManyRedirects:
      return make<TooManyRedirectsError>(f, std::move(c));
    case ErrorKind::ResponseTooLarge:
      return make<ResponseTooLargeError>(f, std::move(c));
    case ErrorKind::File:
      return make<FileError>(f, std::move(c));
    case ErrorKind::Config:
      return make<ConfigError>(f, std::move(c));
  }
  return make<Error>(f, std::move(c));
}

}  // namespace rhc::detail
