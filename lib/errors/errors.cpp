// Out-of-line members of the public error classes: one key function each, so their vtables
// and type_info live in librhc and catch clauses work across the shared-library boundary.
#include <rhc/errors.hpp>

namespace rhc {

Error::Error(const std::string& message, ErrorContext context)
    : std::runtime_error(message),
      context_(std::make_shared<const ErrorContext>(std::move(context))) {}
Error::~Error() = default;

bool Error::retryable() const {
  // The class decides (the hierarchy in errors.hpp); lib/errors/classify.cpp's
  // is_retryable() says the same of the kinds these classes are made from, and a unit test
  // checks that the two agree for every kind.
  if (dynamic_cast<const APIConnectionError*>(this) == nullptr) return false;
  return dynamic_cast<const CircuitOpenError*>(this) == nullptr &&
         dynamic_cast<const TLSError*>(this) == nullptr &&
         dynamic_cast<const ProtocolError*>(this) == nullptr;
}

APITimeoutError::APITimeoutError(const std::string& message, ErrorContext context,
                                 TimeoutKind which)
    : APIConnectionError(message, std::move(context)), which_(which) {}
APITimeoutError::~APITimeoutError() = default;

TLSError::TLSError(const std::string& message, ErrorContext context, TlsProblem which)
    : APIConnectionError(message, std::move(context)), which_(which) {}
TLSError::~TLSError() = default;

const char* to_string(TlsProblem problem) {
  switch (problem) {
    case TlsProblem::Handshake:
      return "handshake refused";
    case TlsProblem::UntrustedCertificate:
      return "untrusted server certificate";
    case TlsProblem::NameMismatch:
      return "server certificate name mismatch";
    case TlsProblem::ExpiredCertificate:
      return "server certificate expired or not yet valid";
    case TlsProblem::PinMismatch:
      return "server public key does not match the pinned key";
    case TlsProblem::ClientCertificateRequired:
      return "the server requires a client certificate";
    case TlsProblem::ClientCertificateRejected:
      return "the server rejected the client certificate";
    case TlsProblem::ClientCertificateUnusable:
      return "the client certificate or key cannot be used";
    case TlsProblem::ProtocolVersion:
      return "no TLS version both sides accept";
  }
  return "unknown";
}

const char* to_string(TimeoutKind kind) {
  switch (kind) {
    case TimeoutKind::Connect:
      return "connect";
    case TimeoutKind::Read:
      return "read";
    case TimeoutKind::Write:
      return "write";
    case TimeoutKind::Pool:
      return "pool";
    case TimeoutKind::Total:
      return "total";
  }
  return "unknown";
}

APIConnectionError::~APIConnectionError() = default;
ServerTimeoutError::~ServerTimeoutError() = default;
RateLimitError::~RateLimitError() = default;
ServiceUnavailableError::~ServiceUnavailableError() = default;
ServerError::~ServerError() = default;
CircuitOpenError::~CircuitOpenError() = default;
ProtocolError::~ProtocolError() = default;
IdempotencyConflictError::~IdempotencyConflictError() = default;
APIStatusError::~APIStatusError() = default;
AuthenticationError::~AuthenticationError() = default;
NotFoundError::~NotFoundError() = default;
InvalidRequestError::~InvalidRequestError() = default;
IdempotencyKeyReusedError::~IdempotencyKeyReusedError() = default;
PoolTimeoutError::~PoolTimeoutError() = default;
ClientClosedError::~ClientClosedError() = default;
CancelledError::~CancelledError() = default;
RedirectError::~RedirectError() = default;
TooManyRedirectsError::~TooManyRedirectsError() = default;
ResponseTooLargeError::~ResponseTooLargeError() = default;
ConfigError::~ConfigError() = default;
FileError::~FileError() = default;
DecodeError::~DecodeError() = default;

}  // namespace rhc
