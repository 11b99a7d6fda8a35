#include "logging/redact.hpp"

#include <catch2/catch.hpp>

using rhc::detail::is_secret_header;
using rhc::detail::redact_header;

TEST_CASE("credential headers are redacted whatever their case", "[logging][redact]") {
  CHECK(redact_header("Authorization", "Bearer s3cret") == "<redacted>");
  CHECK(redact_header("authorization", "Basic dXNlcjpwdw==") == "<redacted>");
  CHECK(redact_header("PROXY-AUTHORIZATION", "Basic x") == "<redacted>");
  CHECK(redact_header("Cookie", "session=abc") == "<redacted>");
  CHECK(redact_header("set-cookie", "session=abc; HttpOnly") == "<redacted>");
}

TEST_CASE("other headers pass through unchanged", "[logging][redact]") {
  CHECK(redact_header("Content-Type", "application/json") == "application/json");
  CHECK(redact_header("X-Request-ID", "abc") == "abc");
  CHECK(redact_header("Authorization-Hint", "x") == "x");
  CHECK(redact_header("", "") == "");
  CHECK_FALSE(is_secret_header("Cookies"));
  CHECK(is_secret_header("cOoKiE"));
}
