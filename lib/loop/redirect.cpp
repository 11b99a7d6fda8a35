#include "loop/redirect.hpp"

#include <memory>
#include <new>

#include "base/ascii.hpp"
#include "url/url_check.hpp"

namespace rhc::detail {
namespace {

// One part of a parsed URL, "" when absent. CURLU_DEFAULT_PORT makes http://h and
// http://h:80 the same origin.
std::string url_part(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, flags) != CURLUE_OK || text == nullptr) return {};
  std::string out(text);
  curl_free(text);
  return out;
}

bool same_origin(CURLU* a, CURLU* b) {
  return ascii_iequals(url_part(a, CURLUPART_SCHEME), url_part(b, CURLUPART_SCHEME)) &&
         ascii_iequals(url_part(a, CURLUPART_HOST), url_part(b, CURLUPART_HOST)) &&
         url_part(a, CURLUPART_PORT, CURLU_DEFAULT_PORT) ==
             url_part(b, CURLUPART_PORT, CURLU_DEFAULT_PORT);
}

// What must not reach another origin: credentials, the caller's marked headers, and a Host
// the caller set for the first origin (libcurl ignores a custom Host after a cross-host hop
// for the same reason).
bool stays_with_origin(std::string_view name, const std::vector<std::string>& sensitive) {
  if (ascii_iequals(name, "Authorization") || ascii_iequals(name, "Cookie") ||
      ascii_iequals(name, "Host")) {
    return true;
  }
  for (const std::string& s : sensitive) {
    if (ascii_iequals(name, s)) return true;
  }
  return false;
}

bool describes_body(std::string_view name) {
  constexpr std::string_view kContent = "content-";
  const bool content_header =
      name.size() > kContent.size() && ascii_iequals(name.substr(0, kContent.size()), kContent);
  return content_header || ascii_iequals(name, "Transfer-Encoding");
}

}  // namespace

bool is_followed_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::variant<NextHop, Failure> next_hop(long status, std::string_view method, const char* target,
                                        CURLU* current) {
  NextHop hop;
  hop.url.reset(curl_url());
  if (!hop.url) throw std::bad_alloc();
  // libcurl resolved the Location for us; parsing it again with every scheme allowed lets
  // the refusal name the scheme instead of calling the URL malformed.
  if (curl_url_set(hop.url.get(), CURLUPART_URL, target, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return Failure::of(ErrorKind::Redirect, "redirect to an invalid URL");
  }
  const std::string scheme = url_part(hop.url.get(), CURLUPART_SCHEME);
  if (!is_http_scheme(scheme)) {
    return Failure::of(ErrorKind::Redirect,
                       "redirect to scheme \"" + scheme + "\" refused (only http and https)");
  }
  // The rule request URLs meet (url/url_check.hpp): a host, a port of 1-65535.
  if (auto why = check_http_url(hop.url.get(), &hop.https)) {
    return Failure::of(ErrorKind::Redirect, "redirect refused: " + *why);
  }
  hop.leaves_origin = !same_origin(current, hop.url.get());
  hop.becomes_get =
      (status == 303 && method != "HEAD") || ((status == 301 || status == 302) && method == "POST");
  return hop;
}

std::string_view header_line_name(std::string_view line) {
  return line.substr(0, line.find_first_of(":;"));
}

curl_slist* hop_headers(const curl_slist* headers, const std::vector<std::string>& sensitive,
                        bool drop_credentials, bool drop_body_headers) {
  curl_slist* out = nullptr;
  for (const curl_slist* h = headers; h != nullptr; h = h->next) {
    const std::string_view name = header_line_name(h->data);
    if (drop_credentials && stays_with_origin(name, sensitive)) continue;
    if (drop_body_headers && describes_body(name)) continue;
    curl_slist* grown = curl_slist_append(out, h->data);
    if (grown == nullptr) {
      curl_slist_free_all(out);
      throw std::bad_alloc();
    }
    out = grown;
  }
  return out;
}

}  // namespace rhc::detail
