// Every libcurl result code against the class written down for it here. The table is kept
// apart from lib/errors/classify.cpp on purpose: moving a code to another class means
// changing both, so it never happens by accident; a code libcurl adds fails the loop below
// until it is listed.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "errors/classify.hpp"

using rhc::detail::BreakerCount;
using rhc::detail::ErrorKind;
using rhc::detail::failure_from_curl;
using rhc::detail::ResponseStage;
constexpr auto kHead = ResponseStage::Head;
constexpr auto kAfterHead = ResponseStage::AfterHead;
constexpr auto kNone = ResponseStage::None;

namespace {

const std::map<int, ErrorKind>& expected_kinds() {
  static const std::map<int, ErrorKind> table = [] {
    std::map<int, ErrorKind> t;
    // Transient, retried: the network, the connection, TLS handshakes cut short (a refused
    // one is Tls, by its message: below), HTTP/2-3 streams, and the codes of protocols rhc
    // never speaks.
    for (int code = 0; code < CURL_LAST; ++code) t[code] = ErrorKind::Connection;
    t[CURLE_OPERATION_TIMEDOUT] = ErrorKind::Timeout;
    t[CURLE_PEER_FAILED_VERIFICATION] = ErrorKind::Tls;
    t[CURLE_SSL_CACERT_BADFILE] = ErrorKind::Tls;
    t[CURLE_SSL_PINNEDPUBKEYNOTMATCH] = ErrorKind::Tls;
    t[CURLE_SSL_ISSUER_ERROR] = ErrorKind::Tls;
    t[CURLE_SSL_CRL_BADFILE] = ErrorKind::Tls;
    t[CURLE_SSL_CERTPROBLEM] = ErrorKind::Tls;
    t[CURLE_SSL_CIPHER] = ErrorKind::Tls;
    t[CURLE_SSL_CLIENTCERT] = ErrorKind::Tls;
    t[CURLE_UNSUPPORTED_PROTOCOL] = ErrorKind::Protocol;
    t[CURLE_WEIRD_SERVER_REPLY] = ErrorKind::Protocol;
    t[CURLE_TOO_MANY_REDIRECTS] = ErrorKind::TooManyRedirects;
    t[CURLE_URL_MALFORMAT] = ErrorKind::Config;
    t[CURLE_BAD_FUNCTION_ARGUMENT] = ErrorKind::Config;
    t[CURLE_NOT_BUILT_IN] = ErrorKind::Config;
    t[CURLE_UNKNOWN_OPTION] = ErrorKind::Config;
    t[CURLE_SETOPT_OPTION_SYNTAX] = ErrorKind::Config;
    return t;
  }();
  return table;
}

}  // namespace

TEST_CASE("every CURLcode maps to the class this table lists for it", "[errors][classify]") {
  REQUIRE(expected_kinds().size() == static_cast<std::size_t>(CURL_LAST));
  for (int code = 0; code < CURL_LAST; ++code) {
    const auto curl_code = static_cast<CURLcode>(code);
    CAPTURE(code, curl_easy_strerror(curl_code));
    const auto failure = failure_from_curl(curl_code, nullptr);
    CHECK(failure.kind == expected_kinds().at(code));
    CHECK_FALSE(failure.cause.empty());
  }
}

TEST_CASE("a connect timeout from libcurl is the connect timeout", "[errors][classify]") {
  const auto f = failure_from_curl(CURLE_OPERATION_TIMEDOUT, nullptr);
  CHECK(f.timeout == rhc::TimeoutKind::Connect);
}

TEST_CASE(
    "inside a response head, libcurl's header limits are ResponseTooLarge and its "
    "header store's refusals are Protocol",
    "[errors][classify]") {
  // A header line over libcurl's line limit (7.88: CURLE_OUT_OF_MEMORY, no message).
  CHECK(failure_from_curl(CURLE_OUT_OF_MEMORY, nullptr, kHead).kind == ErrorKind::ResponseTooLarge);
  CHECK(failure_from_curl(CURLE_OUT_OF_MEMORY, nullptr, kNone).kind == ErrorKind::Connection);
  // libcurl's total over every head of the transfer.
  const char* total = "Too large response headers: 307300 > 307200";
  CHECK(failure_from_curl(CURLE_RECV_ERROR, total, kHead).kind == ErrorKind::ResponseTooLarge);
  CHECK(failure_from_curl(CURLE_RECV_ERROR, "Connection reset by peer", kHead).kind ==
        ErrorKind::Connection);
  CHECK(failure_from_curl(CURLE_RECV_ERROR, nullptr, kHead).kind == ErrorKind::Connection);
  // libcurl's header store refusing a line (a fold with nothing before it, no colon).
  CHECK(failure_from_curl(CURLE_BAD_FUNCTION_ARGUMENT, nullptr, kHead).kind == ErrorKind::Protocol);
  CHECK(failure_from_curl(CURLE_BAD_FUNCTION_ARGUMENT, nullptr, kAfterHead).kind ==
        ErrorKind::Protocol);  // trailers
  CHECK(failure_from_curl(CURLE_BAD_FUNCTION_ARGUMENT, nullptr, kNone).kind == ErrorKind::Config);
  // The size limits are about heads only: after one, an out-of-memory is just that.
  CHECK(failure_from_curl(CURLE_OUT_OF_MEMORY, nullptr, kAfterHead).kind == ErrorKind::Connection);
  // Nothing else changes class inside a head.
  CHECK(failure_from_curl(CURLE_PARTIAL_FILE, nullptr, kHead).kind == ErrorKind::Connection);
  CHECK(failure_from_curl(CURLE_WEIRD_SERVER_REPLY, nullptr, kHead).kind == ErrorKind::Protocol);
}

TEST_CASE("a protocol error is not retried, counts for the breaker, and is a ProtocolError",
          "[errors][classify]") {
  CHECK_FALSE(rhc::detail::is_retryable(ErrorKind::Protocol));
  CHECK(rhc::detail::breaker_count(ErrorKind::Protocol) == BreakerCount::Failure);
  const auto e = rhc::detail::make_exception(
      rhc::detail::Failure::of(ErrorKind::Protocol, "two different Content-Length values"), {});
  try {
    std::rethrow_exception(e);
  } catch (const rhc::ProtocolError& error) {
    CHECK(std::string(error.what()).find("Content-Length") != std::string::npos);
  } catch (...) {
    FAIL("not a ProtocolError");
  }
  CHECK_THROWS_AS(std::rethrow_exception(e), rhc::APIConnectionError);
}

TEST_CASE("a TLS failure says which, from libcurl's code and OpenSSL's words",
          "[errors][classify][tls]") {
  using rhc::TlsProblem;
  struct Case {
    CURLcode code;
    const char* message;
    TlsProblem want;
  };
  // The messages as libcurl 7.88 with OpenSSL 3.0 words them.
  const Case cases[] = {
      {CURLE_PEER_FAILED_VERIFICATION,
       "SSL certificate problem: unable to get local issuer certificate",
       TlsProblem::UntrustedCertificate},
      {CURLE_PEER_FAILED_VERIFICATION,
       "SSL certificate problem: self-signed certificate in certificate chain",
       TlsProblem::UntrustedCertificate},
      {CURLE_PEER_FAILED_VERIFICATION,
       "SSL: no alternative certificate subject name matches target host name '127.0.0.2'",
       TlsProblem::NameMismatch},
      {CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: certificate has expired",
       TlsProblem::ExpiredCertificate},
      {CURLE_SSL_PINNEDPUBKEYNOTMATCH, "SSL: public key does not match pinned public key",
       TlsProblem::PinMismatch},
      {CURLE_SSL_CERTPROBLEM, "unable to set private key file: 'c.key' type PEM",
       TlsProblem::ClientCertificateUnusable},
      {CURLE_SSL_CONNECT_ERROR,
       "OpenSSL SSL_connect: error:0A00045C:SSL routines::tlsv13 alert certificate required",
       TlsProblem::ClientCertificateRequired},
      {CURLE_RECV_ERROR,
       "OpenSSL SSL_read: error:0A00045C:SSL routines::tlsv13 alert certificate required, "
       "errno 0",
       TlsProblem::ClientCertificateRequired},
      {CURLE_SSL_CONNECT_ERROR, "error:0A000418:SSL routines::tlsv1 alert unknown ca",
       TlsProblem::ClientCertificateRejected},
      {CURLE_SSL_CONNECT_ERROR, "error:0A00042E:SSL routines::tlsv1 alert protocol version",
       TlsProblem::ProtocolVersion},
      {CURLE_SSL_CONNECT_ERROR, "error:0A000102:SSL routines::unsupported protocol",
       TlsProblem::ProtocolVersion},
      {CURLE_SSL_CONNECT_ERROR, "error:0A000410:SSL routines::sslv3 alert handshake failure",
       TlsProblem::Handshake},
      {CURLE_SSL_CONNECT_ERROR, "error:0A00010B:SSL routines::wrong version number",
       TlsProblem::Handshake},
  };
  for (const Case& c : cases) {
    CAPTURE(c.code, c.message);
    const auto f = failure_from_curl(c.code, c.message);
    CHECK(f.kind == ErrorKind::Tls);
    CHECK(f.tls == c.want);
    // The message says which, then keeps libcurl's words.
    CHECK(f.cause.find(rhc::to_string(c.want)) == 0);
    CHECK(f.cause.find(c.message) != std::string::npos);
  }
}

TEST_CASE("a TLS handshake cut short by the network stays a retried connection failure",
          "[errors][classify][tls]") {
  for (const char* message :
       {"OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 127.0.0.1:443",
        "OpenSSL SSL_connect: Connection reset by peer in connection to 127.0.0.1:443",
        "OpenSSL SSL_read: error:0A000126:SSL routines::unexpected eof while reading, errno 0",
        "Recv failure: Connection reset by peer"}) {
    CAPTURE(message);
    CHECK(failure_from_curl(CURLE_SSL_CONNECT_ERROR, message).kind == ErrorKind::Connection);
    CHECK(failure_from_curl(CURLE_RECV_ERROR, message).kind == ErrorKind::Connection);
  }
}
