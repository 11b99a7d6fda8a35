#include "outcome_class.hpp"

#include <string_view>

#include <rhc/errors.hpp>

namespace rhc::probe {
namespace {

void fill(ErrorInfo& info, const rhc::MyAPIError& e) {
  info.message = e.what();
  info.status_code = e.status_code();
  info.attempts = e.attempts();
  info.request_id = e.request_id();
  if (e.response() != nullptr && e.status_code() >= 400) info.response = *e.response();
}

bool has(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// libcurl's error-buffer texts (7.7x to 8.x) for the failures curl gives their own codes.
int connection_exit_code(std::string_view message) {
  if (has(message, "resolve proxy")) return kCurlResolveProxy;
  if (has(message, "Could not resolve") || has(message, "Couldn't resolve")) {
    return kCurlResolveHost;
  }
  if (has(message, "Failed to connect") || has(message, "Couldn't connect")) return kCurlConnect;
  if (has(message, "SSL") || has(message, "TLS")) return kCurlSslConnect;
  if (has(message, "Empty reply from server")) return kCurlGotNothing;
  if (has(message, "transfer closed with")) return kCurlPartialFile;
  if (has(message, "Recv failure") || has(message, "Connection reset")) return kCurlRecvError;
  return kCurlConnect;
}

// curl's code for each reason rhc gives a TLS failure.
int tls_exit_code(rhc::TlsProblem problem) {
  switch (problem) {
    case rhc::TlsProblem::UntrustedCertificate:
    case rhc::TlsProblem::NameMismatch:
    case rhc::TlsProblem::ExpiredCertificate:
      return kCurlPeerVerification;
    case rhc::TlsProblem::PinMismatch:
      return kCurlPinnedKeyMismatch;
    case rhc::TlsProblem::ClientCertificateUnusable:
      return kCurlSslCertProblem;
    case rhc::TlsProblem::Handshake:
    case rhc::TlsProblem::ProtocolVersion:
    case rhc::TlsProblem::ClientCertificateRequired:
    case rhc::TlsProblem::ClientCertificateRejected:
      return kCurlSslConnect;
  }
  return kCurlSslConnect;
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
  RHC_PROBE_CLASS(APITimeoutError, kCurlTimeout)
  RHC_PROBE_CLASS(ServerTimeoutError, kCurlHttpError)
  RHC_PROBE_CLASS(RateLimitError, kCurlHttpError)
  RHC_PROBE_CLASS(ServiceUnavailableError, kCurlHttpError)
  RHC_PROBE_CLASS(ServerError, kCurlHttpError)
  RHC_PROBE_CLASS(IdempotencyConflictError, kCurlHttpError)
  RHC_PROBE_CLASS(CircuitOpenError, kProbeCircuitOpen)
  catch (const rhc::TLSError& e) {
    info.class_name = "TLSError";
    info.exit_code = tls_exit_code(e.which());
    fill(info, e);
  }
  RHC_PROBE_CLASS(ProtocolError, kCurlWeirdReply)
  catch (const rhc::APIConnectionError& e) {
    info.class_name = "APIConnectionError";
    info.exit_code = connection_exit_code(e.what());
    fill(info, e);
  }
  RHC_PROBE_CLASS(AuthenticationError, kCurlHttpError)
  RHC_PROBE_CLASS(NotFoundError, kCurlHttpError)
  RHC_PROBE_CLASS(IdempotencyKeyReusedError, kCurlHttpError)
  RHC_PROBE_CLASS(InvalidRequestError, kCurlHttpError)
  RHC_PROBE_CLASS(APIStatusError, kCurlHttpError)
  RHC_PROBE_CLASS(PoolTimeoutError, kProbeBulkheadTimeout)
  RHC_PROBE_CLASS(ConfigError, kExitUsage)
  RHC_PROBE_CLASS(ClientClosedError, kProbeCancelled)
  RHC_PROBE_CLASS(CancelledError, kProbeCancelled)
  RHC_PROBE_CLASS(TooManyRedirectsError, kCurlTooManyRedirects)
  RHC_PROBE_CLASS(RedirectError, kCurlUnsupportedProtocol)
  RHC_PROBE_CLASS(ResponseTooLargeError, kCurlFileSizeExceeded)
  RHC_PROBE_CLASS(DecodeError, kProbeOtherError)
  RHC_PROBE_CLASS(MyAPIError, kProbeOtherError)
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
