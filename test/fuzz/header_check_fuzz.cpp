// Fuzz target: header and method validation (lib/http/header_check.cpp) and the caller-side
// preparation that applies it (prepare() in lib/chain/prepare.cpp).
//
// Input: fields cut at the first byte (fuzz_support.hpp): method, then header name/value pairs
//   |GET|Accept|text/html|X-Request-ID|abc-123
// (an X-Request-ID header also becomes the request's id, as in a real call).
//
// Asserts, for any input:
//  - check_method accepts only non-empty RFC 9110 tokens;
//  - check_header accepts only token names and values without CR, LF or NUL;
//  - a rejection's message is printable ASCII, bounded in length, and does not depend on the
//    value's other bytes: the value (perhaps a secret) is never quoted;
//  - prepare() succeeds only when the method and every header pass, and then every line of the
//    header list it hands to libcurl is free of CR, LF and NUL.
#include <curl/curl.h>

#include <cstdint>
#include <optional>
#include <rhc/config.hpp>
#include <rhc/request.hpp>
#include <string>

#include "chain/prepare.hpp"
#include "chain/request.hpp"
#include "fuzz_support.hpp"
#include "http/header_check.hpp"

namespace {

constexpr const char* kTarget = "header_check";
// "header \"<64 names bytes, each at most \xNN>...\" has a value containing NUL" and the
// token message are well under this.
constexpr std::size_t kMaxMessage = 64 * 4 + 128;

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

void check_message(const std::string& message) {
  if (message.empty() || message.size() > kMaxMessage) {
    rhc_fuzz::fail(kTarget, "message of " + std::to_string(message.size()) +
                                " bytes: " + rhc_fuzz::printable(message));
  }
  for (const char c : message) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b >= 0x7f) {
      rhc_fuzz::fail(kTarget, "unprintable byte in message " + rhc_fuzz::printable(message));
    }
  }
}

// `value` with every byte but CR, LF and NUL replaced: a message must not change.
std::string masked(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (c != '\r' && c != '\n' && c != '\0') c = 'x';
  }
  return out;
}

// Whether check_header accepted (name, value); fails the run if it broke a property.
bool check_one_header(std::string_view name, std::string_view value) {
  const auto problem = rhc::detail::check_header(name, value);
  const bool should_pass = is_token(name) && !rhc_fuzz::has_cr_lf_nul(value);
  if (!problem) {
    if (!should_pass) {
      rhc_fuzz::fail(kTarget, "accepted header " + rhc_fuzz::printable(name) + ": " +
                                  rhc_fuzz::printable(value));
    }
    return true;
  }
  if (should_pass) {
    rhc_fuzz::fail(kTarget, "rejected valid header " + rhc_fuzz::printable(name) + ": " +
                                rhc_fuzz::printable(value) + " (" + *problem + ")");
  }
  check_message(*problem);
  const auto again = rhc::detail::check_header(name, masked(value));
  if (!again || *again != *problem) {
    rhc_fuzz::fail(kTarget,
                   "the message depends on the value's bytes: " + rhc_fuzz::printable(*problem));
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto fields = rhc_fuzz::split_fields(rhc_fuzz::as_text(data, size));
  if (fields.empty()) return 0;
  const std::string method(fields[0]);

  bool all_pass = true;
  if (const auto problem = rhc::detail::check_method(method)) {
    if (is_token(method)) {
      rhc_fuzz::fail(kTarget, "rejected valid method " + rhc_fuzz::printable(method));
    }
    check_message(*problem);
    all_pass = false;
  } else if (!is_token(method)) {
    rhc_fuzz::fail(kTarget, "accepted method " + rhc_fuzz::printable(method));
  }

  rhc::RequestOptions options;
  for (std::size_t i = 1; i + 1 < fields.size(); i += 2) {
    all_pass = check_one_header(fields[i], fields[i + 1]) && all_pass;
    options.headers.emplace_back(std::string(fields[i]), std::string(fields[i + 1]));
  }

  static const rhc::ClientConfig config;
  static const rhc::detail::BaseUrl base("http://127.0.0.1:1/");
  rhc::detail::Request request;
  const auto failure =
      rhc::detail::prepare(config, base, method, "/x", std::move(options), request);
  // The resolved request id is checked as a header too; a bad one is the only other reason
  // prepare() may refuse valid headers here.
  const bool id_ok = !rhc::detail::check_header("X-Request-ID", request.request_id);
  if (!failure && !(all_pass && id_ok)) {
    rhc_fuzz::fail(kTarget, "prepare() accepted what check_method/check_header refuse");
  }
  if (failure && all_pass && id_ok) {
    rhc_fuzz::fail(kTarget,
                   "prepare() refused valid input: " + rhc_fuzz::printable(failure->cause));
  }
  for (const curl_slist* line = request.header_list; line != nullptr; line = line->next) {
    const std::string_view text(line->data);
    if (text.find_first_of("\r\n") != std::string_view::npos) {
      rhc_fuzz::fail(kTarget, "header line for libcurl spans lines: " + rhc_fuzz::printable(text));
    }
  }
  return 0;
}
