// Fuzz target: the redirect rules (lib/loop/redirect.cpp) that decide, for every 3xx a server
// sends, where the next hop goes and which of the caller's headers it may carry.
//
// Input: fields cut at the first byte (fuzz_support.hpp): status, method, the URL that
// answered, the redirect target, a comma-separated list of sensitive header names, then the
// header lines the request sent (in libcurl's spelling, "Name: value" or "Name;")
//   |303|POST|http://a.example/x|https://b.example/y|X-Api-Key|Authorization: t|X-Api-Key: k
//
// Asserts, for any input:
//  - next_hop() refuses (a Redirect failure) or returns an http/https URL, with `https` telling
//    its scheme; a target equal to the answering URL never leaves the origin;
//  - becomes_get is exactly RFC 9110's rule (303 but HEAD; 301/302 after POST);
//  - hop_headers() keeps the sent lines in order, dropping exactly Authorization, Cookie, Host
//    and the sensitive names (any case) when leaving the origin, and Content-* and
//    Transfer-Encoding when the hop becomes a GET; nothing else is dropped, nothing added.
#include <curl/curl.h>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fuzz_support.hpp"
#include "loop/redirect.hpp"

namespace {

constexpr const char* kTarget = "redirect";

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() > prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string part(CURLU* url, CURLUPart which) {
  char* text = nullptr;
  if (curl_url_get(url, which, &text, 0) != CURLUE_OK || text == nullptr) return {};
  std::string out(text);
  curl_free(text);
  return out;
}

std::vector<std::string> split_commas(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    out.emplace_back(list.substr(0, comma));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

void check_headers(const std::vector<std::string>& sent, const std::vector<std::string>& sensitive,
                   bool drop_credentials, bool drop_body_headers) {
  curl_slist* in = nullptr;
  for (const auto& line : sent) in = curl_slist_append(in, line.c_str());
  curl_slist* out = rhc::detail::hop_headers(in, sensitive, drop_credentials, drop_body_headers);
  std::vector<std::string> expected;
  for (const curl_slist* h = in; h != nullptr; h = h->next) {
    const std::string_view name = rhc::detail::header_line_name(h->data);
    bool dropped = false;
    if (drop_credentials) {
      dropped = iequals(name, "Authorization") || iequals(name, "Cookie") || iequals(name, "Host");
      for (const auto& s : sensitive) dropped = dropped || iequals(name, s);
    }
    if (drop_body_headers) {
      dropped = dropped || starts_with_ci(name, "content-") || iequals(name, "Transfer-Encoding");
    }
    if (!dropped) expected.emplace_back(h->data);
  }
  std::vector<std::string> got;
  for (const curl_slist* h = out; h != nullptr; h = h->next) got.emplace_back(h->data);
  curl_slist_free_all(in);
  curl_slist_free_all(out);
  if (got != expected) {
    rhc_fuzz::fail(kTarget, "hop_headers kept " + std::to_string(got.size()) + " lines, expected " +
                                std::to_string(expected.size()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto fields = rhc_fuzz::split_fields(rhc_fuzz::as_text(data, size));
  if (fields.size() < 4) return 0;
  long status = 0;
  std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), status);
  const std::string method(fields[1]);
  const std::string current_text(fields[2]);
  const std::string target(fields[3]);
  const auto sensitive = fields.size() > 4 ? split_commas(fields[4]) : std::vector<std::string>{};
  std::vector<std::string> sent;
  for (std::size_t i = 5; i < fields.size(); ++i) {
    // libcurl's list holds C strings: a NUL would cut the line anyway.
    if (fields[i].find('\0') == std::string_view::npos) sent.emplace_back(fields[i]);
  }

  rhc::detail::UrlPtr current(curl_url());
  if (curl_url_set(current.get(), CURLUPART_URL, current_text.c_str(), 0) != CURLUE_OK) return 0;
  if (target.find('\0') != std::string::npos) return 0;  // libcurl hands over a C string

  auto planned = rhc::detail::next_hop(status, method, target.c_str(), current.get());
  if (auto* refusal = std::get_if<rhc::detail::Failure>(&planned)) {
    if (refusal->kind != rhc::detail::ErrorKind::Redirect) {
      rhc_fuzz::fail(kTarget, "a refusal that is not a RedirectError");
    }
    return 0;
  }
  const auto& hop = std::get<rhc::detail::NextHop>(planned);
  const std::string scheme = part(hop.url.get(), CURLUPART_SCHEME);
  if (!iequals(scheme, "http") && !iequals(scheme, "https")) {
    rhc_fuzz::fail(kTarget, "followed a redirect to scheme " + rhc_fuzz::printable(scheme));
  }
  if (hop.https != iequals(scheme, "https")) rhc_fuzz::fail(kTarget, "https flag is wrong");
  if (target == current_text && hop.leaves_origin) {
    rhc_fuzz::fail(kTarget,
                   "a redirect to the same URL left the origin: " + rhc_fuzz::printable(target));
  }
  const bool want_get =
      (status == 303 && method != "HEAD") || ((status == 301 || status == 302) && method == "POST");
  if (hop.becomes_get != want_get) rhc_fuzz::fail(kTarget, "becomes_get breaks RFC 9110's rule");

  check_headers(sent, sensitive, hop.leaves_origin, hop.becomes_get);
  check_headers(sent, sensitive, true, true);
  return 0;
}
