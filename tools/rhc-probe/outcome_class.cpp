#include "outcome_class.hpp"

#include <rhc/errors.hpp>

namespace rhc::probe {
namespace {

void fill(ErrorInfo& info, const rhc::MyAPIError& e) {
  info.message = e.what();
  info.status_code = e.status_code();
  info.attempts = e.attempts();
  info.request_id = e.request_id();
}

}  // namespace

ErrorInfo describe_error(const std::exception_ptr& error) {
  ErrorInfo info;
  // Most derived classes first: a catch clause takes the first base that matches.
#define RHC_PROBE_CLASS(Type, code) \
  catch (const rhc::Type& e) {      \
    info.class_name = #Type;        \
    info.exit_code = code;          \
    fill(info, e);                  \
  }
  try {
    std::rethrow_exception(error);
  }
  RHC_PROBE_CLASS(APITimeoutError, kExitConnection)
  RHC_PROBE_CLASS(ServerTimeoutError, kExitConnection)
  RHC_PROBE_CLASS(RateLimitError, kExitConnection)
  RHC_PROBE_CLASS(ServiceUnavailableError, kExitConnection)
  RHC_PROBE_CLASS(ServerError, kExitConnection)
  RHC_PROBE_CLASS(CircuitOpenError, kExitConnection)
  RHC_PROBE_CLASS(TLSError, kExitConnection)
  RHC_PROBE_CLASS(ProtocolError, kExitConnection)
  RHC_PROBE_CLASS(APIConnectionError, kExitConnection)
  RHC_PROBE_CLASS(AuthenticationError, kExitClientError)
  RHC_PROBE_CLASS(NotFoundError, kExitClientError)
  RHC_PROBE_CLASS(InvalidRequestError, kExitClientError)
  RHC_PROBE_CLASS(APIStatusError, kExitClientError)
  RHC_PROBE_CLASS(PoolTimeoutError, kExitPoolTimeout)
  RHC_PROBE_CLASS(ConfigError, kExitUsage)
  RHC_PROBE_CLASS(ClientClosedError, kExitOther)
  RHC_PROBE_CLASS(CancelledError, kExitOther)
  RHC_PROBE_CLASS(TooManyRedirectsError, kExitOther)
  RHC_PROBE_CLASS(RedirectError, kExitOther)
  RHC_PROBE_CLASS(ResponseTooLargeError, kExitOther)
  RHC_PROBE_CLASS(DecodeError, kExitOther)
  RHC_PROBE_CLASS(MyAPIError, kExitOther)
  catch (const std::exception& e) {
    info.class_name = "std::exception";
    info.message = e.what();
  }
  catch (...) {
    info.class_name = "unknown";
  }
#undef RHC_PROBE_CLASS
  return info;
}

}  // namespace rhc::probe
