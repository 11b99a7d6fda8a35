// lib/http/response_framing: the pure checks the header callback applies to each line.
#include <catch2/catch.hpp>

#include "http/response_framing.hpp"

using rhc::detail::is_obs_fold;
using rhc::detail::parse_content_length;
using rhc::detail::valid_status_line;

TEST_CASE("status lines need a three-digit code in 100-999", "[framing]") {
  CHECK(valid_status_line("HTTP/1.1 200 OK\r\n"));
  CHECK(valid_status_line("HTTP/1.1 204\r\n"));
  CHECK(valid_status_line("HTTP/2 200 \r\n"));
  CHECK(valid_status_line("HTTP/1.1 100 Continue\r\n"));
  CHECK(valid_status_line("HTTP/1.1 999 Odd\r\n"));
  CHECK(valid_status_line("HTTP/1.1 200"));
  CHECK_FALSE(valid_status_line("HTTP/1.1 099 Low\r\n"));
  CHECK_FALSE(valid_status_line("HTTP/1.1 000\r\n"));
  CHECK_FALSE(valid_status_line("HTTP/1.1 1000 Big\r\n"));
  CHECK_FALSE(valid_status_line("HTTP/1.1 20\r\n"));
  CHECK_FALSE(valid_status_line("HTTP/1.1 abc\r\n"));
  CHECK_FALSE(valid_status_line("HTTP/1.1  200 OK\r\n"));
  CHECK_FALSE(valid_status_line("HTTP/1.1\r\n"));
}

TEST_CASE("Content-Length is digits, or a list of one repeated value", "[framing]") {
  CHECK(parse_content_length("0") == 0u);
  CHECK(parse_content_length("5") == 5u);
  CHECK(parse_content_length("5, 5") == 5u);
  CHECK(parse_content_length("5,5,5") == 5u);
  CHECK(parse_content_length("9223372036854775807") == 9223372036854775807u);
  CHECK_FALSE(parse_content_length(""));
  CHECK_FALSE(parse_content_length("5, 13"));
  CHECK_FALSE(parse_content_length("5,"));
  CHECK_FALSE(parse_content_length(",5"));
  CHECK_FALSE(parse_content_length("abc"));
  CHECK_FALSE(parse_content_length("5abc"));
  CHECK_FALSE(parse_content_length("-5"));
  CHECK_FALSE(parse_content_length("+5"));
  CHECK_FALSE(parse_content_length("5 5"));
  CHECK_FALSE(parse_content_length("0x10"));
  CHECK_FALSE(parse_content_length("9223372036854775808"));
  CHECK_FALSE(parse_content_length("99999999999999999999999"));
}

TEST_CASE("a line starting with SP or HTAB is obs-fold", "[framing]") {
  CHECK(is_obs_fold(" folded\r\n"));
  CHECK(is_obs_fold("\tfolded\r\n"));
  CHECK_FALSE(is_obs_fold("X-A: b\r\n"));
  CHECK_FALSE(is_obs_fold(""));
}

TEST_CASE("the status code of a valid status line", "[framing][streaming]") {
  CHECK(rhc::detail::status_code_of("HTTP/1.1 200 OK\r\n") == 200);
  CHECK(rhc::detail::status_code_of("HTTP/2 204 \r\n") == 204);
  CHECK(rhc::detail::status_code_of("HTTP/1.1 302\r\n") == 302);
  CHECK(rhc::detail::status_code_of("HtTP/1.0 999") == 999);
}
