#include "errors/tls_failure.hpp"

namespace rhc::detail {
namespace {

bool mentions(std::string_view message, std::string_view what) {
  return message.find(what) != std::string_view::npos;
}

// libcurl 7.88-8.x with OpenSSL 3 words a failed verification as "SSL certificate problem:
// <OpenSSL's reason>" or, for the host name, "SSL: no alternative certificate subject name
// matches target host name 'x'" (older: "... does not match target host name").
TlsProblem verification_problem(std::string_view message) {
  if (mentions(message, "subject name") || mentions(message, "does not match target host")) {
    return TlsProblem::NameMismatch;
  }
  if (mentions(message, "has expired") || mentions(message, "not yet valid")) {
    return TlsProblem::ExpiredCertificate;
  }
  return TlsProblem::UntrustedCertificate;
}

// A handshake or TLS read that ended on an OpenSSL error: "OpenSSL SSL_connect: error:...:
// SSL routines::tlsv13 alert certificate required" and the like. An alert is the peer's
// deliberate refusal; the handful of local reasons below mean the two sides cannot agree.
// Anything else (SSL_ERROR_SYSCALL, "Connection reset by peer", "unexpected eof") is the
// network's doing.
std::optional<TlsProblem> handshake_problem(std::string_view message) {
  if (mentions(message, "alert certificate required")) {
    return TlsProblem::ClientCertificateRequired;
  }
  if (mentions(message, "alert unknown ca") || mentions(message, "alert bad certificate") ||
      mentions(message, "alert certificate unknown") ||
      mentions(message, "alert unsupported certificate") ||
      mentions(message, "alert certificate revoked") ||
      mentions(message, "alert certificate expired") || mentions(message, "alert access denied")) {
    return TlsProblem::ClientCertificateRejected;
  }
  if (mentions(message, "alert protocol version") || mentions(message, "unsupported protocol") ||
      mentions(message, "no protocols available")) {
    return TlsProblem::ProtocolVersion;
  }
  if (mentions(message, " alert ") || mentions(message, "wrong version number") ||
      mentions(message, "no shared cipher")) {
    return TlsProblem::Handshake;
  }
  return std::nullopt;
}

}  // namespace

std::optional<TlsProblem> tls_problem(CURLcode code, std::string_view message) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
      return verification_problem(message);
    case CURLE_SSL_CACERT_BADFILE:  // the CA file or directory could not be used
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
      return TlsProblem::UntrustedCertificate;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      return TlsProblem::PinMismatch;
    case CURLE_SSL_CERTPROBLEM:  // libcurl could not load the client certificate or key
      return TlsProblem::ClientCertificateUnusable;
    case CURLE_SSL_CLIENTCERT:
      return TlsProblem::ClientCertificateRequired;
    case CURLE_SSL_CIPHER:
      return TlsProblem::Handshake;
    case CURLE_SSL_CONNECT_ERROR:
    // TLS 1.3 finishes the client's side of the handshake before the server has checked
    // the client certificate: its refusal arrives as an alert on the first read.
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      if (!mentions(message, "SSL")) return std::nullopt;
      return handshake_problem(message);
    default:
      return std::nullopt;
  }
}

}  // namespace rhc::detail
