// Out-of-line members of the public error classes: one key function each, so their vtables
// and type_info live in librhc and catch clauses work across the shared-library boundary.
#include <rhc/errors.hpp>

namespace rhc {

MyAPIError::MyAPIError(const std::string& message, ErrorContext context)
    : std::runtime_error(message), context_(std::move(context)) {}
MyAPIError::~MyAPIError() = default;

APITimeoutError::APITimeoutError(const std::string& message, ErrorContext context,
                                 TimeoutKind which)
    : APIConnectionError(message, std::move(context)), which_(which) {}
APITimeoutError::~APITimeoutError() = default;

const char* to_string(TimeoutKind kind) {
  switch (kind) {
    case TimeoutKind::Connect: return "connect";
    case TimeoutKind::Read: return "read";
    case TimeoutKind::Write: return "write";
    case TimeoutKind::Pool: return "pool";
    case TimeoutKind::Total: return "total";
  }
  return "unknown";
}

APIConnectionError::~APIConnectionError() = default;
ServerTimeoutError::~ServerTimeoutError() = default;
RateLimitError::~RateLimitError() = default;
ServiceUnavailableError::~ServiceUnavailableError() = default;
ServerError::~ServerError() = default;
CircuitOpenError::~CircuitOpenError() = default;
TLSError::~TLSError() = default;
APIStatusError::~APIStatusError() = default;
AuthenticationError::~AuthenticationError() = default;
NotFoundError::~NotFoundError() = default;
InvalidRequestError::~InvalidRequestError() = default;
PoolTimeoutError::~PoolTimeoutError() = default;
ClientClosedError::~ClientClosedError() = default;
CancelledError::~CancelledError() = default;
RedirectError::~RedirectError() = default;
TooManyRedirectsError::~TooManyRedirectsError() = default;
ResponseTooLargeError::~ResponseTooLargeError() = default;
ConfigError::~ConfigError() = default;
DecodeError::~DecodeError() = default;

}  // namespace rhc
