// Response framing against a raw-byte server: each message a well-behaved HTTP library would
// never send (conflicting lengths, folded lines, impossible status lines, endless heads) has
// one typed outcome, listed in docs/reliability.md "Response framing". Every case here was
// a 200 with a guessed body, a retried APIConnectionError or a RedirectError before.
//
// The client allows 3 attempts, so "not retried" is checked by the server having seen
// exactly one connection.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include <rhc/rhc.hpp>

#include "client_config.hpp"
#include "outcomes.hpp"
#include "raw_server.hpp"

using namespace std::chrono_literals;

namespace {

using rhc::testing::quiet_config;

// Sends `head` (status line and fields, without the blank line) then `body`, and expects
// a ProtocolError after exactly one connection.
void expect_protocol_error(const std::string& head, const std::string& body = "hello") {
  CAPTURE(head);
  rhc::testing::RawResponseServer server(head + "\r\n" + body);
  rhc::ResilientClient client(quiet_config(server.base_url()));  // 3 attempts
  CHECK(rhc::testing::error_of<rhc::ProtocolError>(client.get("/x")).attempts() == 1);
  CHECK(server.connections() == 1);
}

}  // namespace

TEST_CASE("two different Content-Length values are a ProtocolError, not retried",
          "[framing][content-length]") {
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 13\r\nConnection: close\r\n",
      "hello, world!");
}

TEST_CASE("a Content-Length list with different values is a ProtocolError",
          "[framing][content-length]") {
  expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: 5, 13\r\nConnection: close\r\n",
                        "hello, world!");
}

TEST_CASE("a Content-Length that is not digits is a ProtocolError", "[framing][content-length]") {
  expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: abc\r\nConnection: close\r\n");
  expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: 5abc\r\nConnection: close\r\n");
  expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: -5\r\nConnection: close\r\n");
  expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: +5\r\nConnection: close\r\n");
  expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length:\r\nConnection: close\r\n");
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\nConnection: close\r\n");
}

TEST_CASE("repeated identical Content-Length values are one length (RFC 9110 8.6)",
          "[framing][content-length]") {
  for (const std::string fields : {"Content-Length: 5\r\nContent-Length: 5\r\n",
                                   "Content-Length: 5, 5\r\n", "Content-Length: 5,5\r\n"}) {
    CAPTURE(fields);
    rhc::testing::RawResponseServer server("HTTP/1.1 200 OK\r\n" + fields +
                                           "Connection: close\r\n\r\nhello");
    rhc::ResilientClient client(quiet_config(server.base_url()));
    auto r = client.get("/x").get();
    CHECK(r.status_code == 200);
    CHECK(r.text == "hello");
  }
}

TEST_CASE("Transfer-Encoding together with Content-Length is a ProtocolError",
          "[framing][transfer-encoding]") {
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n"
      "Connection: close\r\n",
      "5\r\nhello\r\n0\r\n\r\n");
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n"
      "Connection: close\r\n",
      "5\r\nhello\r\n0\r\n\r\n");
}

TEST_CASE("an obs-folded header line is a ProtocolError", "[framing][obs-fold]") {
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nX-Long: first\r\n second\r\nContent-Length: 5\r\n"
      "Connection: close\r\n");
  expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\t13\r\nConnection: close\r\n");
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\n folded: x\r\nContent-Length: 5\r\n"
      "Connection: close\r\n");
  // libcurl takes "HTTP/" in any case; so must the callback (found by the response fuzzer).
  expect_protocol_error(
      "HtTP/1.1 200 OK\r\n folded: x\r\nContent-Length: 5\r\n"
      "Connection: close\r\n");
}

TEST_CASE("a header line without a colon is a ProtocolError", "[framing][field]") {
  // libcurl's header store refuses it before rhc's callback could drop it (it was a
  // ConfigError, "A libcurl function was given a bad argument").
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nnot a field\r\nContent-Length: 5\r\n"
      "Connection: close\r\n");
}

TEST_CASE("a trailer line without a colon is a ProtocolError", "[framing][field]") {
  // Refused by libcurl's header store after the body (it was a ConfigError too).
  expect_protocol_error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n",
                        "5\r\nhello\r\n0\r\nnot a field\r\n\r\n");
}

TEST_CASE("a status line outside 100-999 or without a number is a ProtocolError",
          "[framing][status-line]") {
  for (const std::string status_line :
       {"HTTP/1.1 099 Low", "HTTP/1.1 000 Zero", "HTTP/1.1 abc", "HTTP/1.1 1000 Big",
        "HTTP/1.1 20 Short", "HTTP/1.1  200 Space"}) {
    expect_protocol_error(status_line + "\r\nContent-Length: 5\r\nConnection: close\r\n");
  }
}

TEST_CASE("a ProtocolError counts as a circuit breaker failure", "[framing][breaker]") {
  rhc::testing::RawResponseServer server(
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 13\r\nConnection: close\r\n"
      "\r\nhello, world!");
  auto config = quiet_config(server.base_url());
  config.circuit_breaker.failure_threshold = 2;
  rhc::ResilientClient client(config);
  CHECK_THROWS_AS(client.get("/x").get(), rhc::ProtocolError);
  CHECK_THROWS_AS(client.get("/x").get(), rhc::ProtocolError);
  CHECK_THROWS_AS(client.get("/x").get(), rhc::CircuitOpenError);
  CHECK(server.connections() == 2);
}

TEST_CASE("a 1 MiB response header line is a ResponseTooLargeError, not retried",
          "[framing][limits]") {
  rhc::testing::RawResponseServer server(
      "HTTP/1.1 200 OK\r\nX-Big: " + std::string(1024 * 1024, 'a') +
      "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  rhc::ResilientClient client(quiet_config(server.base_url()));
  CHECK_THROWS_AS(client.get("/x").get(), rhc::ResponseTooLargeError);
  CHECK(server.connections() == 1);
}

TEST_CASE("an endless stream of 103 interim responses is a ResponseTooLargeError, not retried",
          "[framing][limits]") {
  std::string interims;
  while (interims.size() < 1024 * 1024) {
    interims += "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n";
  }
  rhc::testing::RawResponseServer server(interims +
                                         "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  rhc::ResilientClient client(quiet_config(server.base_url()));
  CHECK_THROWS_AS(client.get("/x").get(), rhc::ResponseTooLargeError);
  CHECK(server.connections() == 1);
}

TEST_CASE("interim responses within the header cap still deliver the final one",
          "[framing][limits]") {
  rhc::testing::RawResponseServer server(
      "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  rhc::ResilientClient client(quiet_config(server.base_url()));
  auto r = client.get("/x").get();
  CHECK(r.status_code == 200);
  CHECK(r.text == "ok");
  CHECK_FALSE(r.header("Link").has_value());  // the interim response's fields are not kept
}
