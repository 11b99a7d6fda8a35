#include <catch2/catch.hpp>

#include <string>

#include "http/header_check.hpp"

using namespace std::string_literals;
using rhc::detail::check_header;
using rhc::detail::check_method;

TEST_CASE("ordinary headers pass", "[headers]") {
  CHECK_FALSE(check_header("Content-Type", "application/json"));
  CHECK_FALSE(check_header("X-Request-ID", "3b241101-e2bb-4255-8caf-4136c566a962"));
  CHECK_FALSE(check_header("x_custom.v1", ""));
  CHECK_FALSE(check_header("!#$%&'*+-.^_`|~09azAZ", "spaces and\ttabs"));
  CHECK_FALSE(check_header("X-Utf8", "caf\xc3\xa9 \x80\xff"));  // obs-text is allowed
}

TEST_CASE("a header value with CR, LF or NUL is rejected", "[headers]") {
  const auto cr = check_header("X-Test", "a\rb");
  const auto lf = check_header("X-Test", "a\nb");
  const auto nul = check_header("X-Test", "a\0b"s);
  const auto smuggled = check_header("X-Test", "ok\r\nX-Admin: 1");
  REQUIRE(cr);
  REQUIRE(lf);
  REQUIRE(nul);
  REQUIRE(smuggled);
  CHECK(cr->find("CR") != std::string::npos);
  CHECK(lf->find("LF") != std::string::npos);
  CHECK(nul->find("NUL") != std::string::npos);
  CHECK(cr->find("X-Test") != std::string::npos);
}

TEST_CASE("the error message never quotes the header value", "[headers]") {
  const auto error = check_header("Authorization", "Bearer s3cr3t-token\r\n");
  REQUIRE(error);
  CHECK(error->find("s3cr3t") == std::string::npos);
  CHECK(error->find("Authorization") != std::string::npos);
}

TEST_CASE("a header name that is empty or not a token is rejected", "[headers]") {
  for (const std::string& bad :
       {""s, "Bad Header"s, "Bad:Header"s, "X\r\nY"s, "X\nY"s, "X\0Y"s, "(paren)"s, "caf\xc3\xa9"s,
        "\tX"s, "X-Test "s, "a/b"s, "\"q\""s, "{x}"s, "a@b"s, "a=b"s, "a,b"s, "a;b"s, "X\x7f"s}) {
    CAPTURE(bad);
    CHECK(check_header(bad, "value"));
  }
}

TEST_CASE("a bad header name is escaped in the message", "[headers]") {
  const auto error = check_header("X\r\nEvil: 1", "v");
  REQUIRE(error);
  CHECK(error->find('\r') == std::string::npos);
  CHECK(error->find('\n') == std::string::npos);
  CHECK(error->find("\\x0d\\x0a") != std::string::npos);
}

TEST_CASE("a very long bad header name is shortened in the message", "[headers]") {
  const auto error = check_header(std::string(10'000, 'a') + " ", "v");
  REQUIRE(error);
  CHECK(error->size() < 200);
}

TEST_CASE("HTTP methods must be tokens", "[headers][method]") {
  for (const char* good :
       {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PURGE", "M-SEARCH", "get"}) {
    CAPTURE(good);
    CHECK_FALSE(check_method(good));
  }
  for (const std::string& bad : {""s, "GE T"s, "GET\r\n"s, "GET\0"s, "GET /"s, "G(ET)"s}) {
    CAPTURE(bad);
    CHECK(check_method(bad));
  }
  CHECK(check_method("")->find("empty") != std::string::npos);
}

TEST_CASE("a header line is at most 64 KiB, name and \": \" included", "[headers]") {
  const std::size_t max = rhc::detail::kMaxHeaderLineBytes;
  CHECK(max == 65536);
  CHECK_FALSE(check_header("X-A", std::string(max - 5, 'v')));  // "X-A: " + value = max
  CHECK(check_header("X-A", std::string(max - 4, 'v')) ==
        "header \"X-A\" is longer than 65536 bytes (name, \": \" and value)"s);
  // A long name is cut in the message, which never quotes the value.
  const auto long_name = check_header(std::string(max, 'N'), "secret");
  REQUIRE(long_name);
  CHECK(long_name->size() < 200);
  CHECK(long_name->find("secret") == std::string::npos);
}
