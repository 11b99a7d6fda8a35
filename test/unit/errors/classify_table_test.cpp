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
    // Transient, retried: the network, the connection, TLS handshakes, HTTP/2-3 streams,
    // and the codes of protocols rhc never speaks.
    for (int code = 0; code < CURL_LAST; ++code) t[code] = ErrorKind::Connection;
    t[CURLE_OPERATION_TIMEDOUT] = ErrorKind::Timeout;
    t[CURLE_PEER_FAILED_VERIFICATION] = ErrorKind::Tls;
    t[CURLE_SSL_CACERT_BADFILE] = ErrorKind::Tls;
    t[CURLE_SSL_PINNEDPUBKEYNOTMATCH] = ErrorKind::Tls;
    t[CURLE_SSL_ISSUER_ERROR] = ErrorKind::Tls;
    t[CURLE_SSL_CRL_BADFILE] = ErrorKind::Tls;
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
