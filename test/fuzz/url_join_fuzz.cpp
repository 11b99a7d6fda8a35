// Fuzz target: URL joining, BaseUrl::resolve (lib/chain/prepare.cpp) on libcurl's curl_url.
//
// Input: fields cut at the first byte (fuzz_support.hpp): base, path, then key/value pairs
//   |http://h/v1|/users|q|c++ & more|limit|10
// The base is used only if ClientConfig::validate() accepts it, as a client would; otherwise
// there is no base.
//
// Asserts, for any input (a rejection must come with an error message; for an accepted URL):
//  1. libcurl parses it back, and its scheme is http or https;
//  2. it has no byte below 0x21 and no 0x7f: nothing that could split the request line;
//  3. a path that does not look absolute keeps the base's origin (scheme, host, port) and,
//     when the base path has no empty segment ("//", which libcurl's joining collapses) and
//     the path no '.', stays under the base path;
//  4. each param comes back, in order, as the last pieces of the query, decoding to exactly
//     the key and value given;
//  5. when the URL carries a password, the copy for logs exists and has neither user nor
//     password;
//  6. a path with a NUL is refused: libcurl takes C strings, so it would be cut short.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <memory>
#include <optional>
#include <rhc/config.hpp>
#include <rhc/errors.hpp>
#include <string>
#include <vector>

#include "chain/prepare.hpp"
#include "fuzz_support.hpp"

namespace {

constexpr const char* kTarget = "url_join";

using UrlPtr = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

UrlPtr parse(const std::string& url) {
  UrlPtr h(curl_url(), &curl_url_cleanup);
  if (curl_url_set(h.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) h.reset();
  return h;
}

std::optional<std::string> part(const UrlPtr& h, CURLUPart which, unsigned flags = 0) {
  char* out = nullptr;
  if (curl_url_get(h.get(), which, &out, flags) != CURLUE_OK) return std::nullopt;
  std::string s(out);
  curl_free(out);
  return s;
}

std::string origin(const UrlPtr& h) {
  return part(h, CURLUPART_SCHEME).value_or("?") + "://" + part(h, CURLUPART_HOST).value_or("?") +
         ":" + part(h, CURLUPART_PORT, CURLU_DEFAULT_PORT).value_or("?");
}

// BaseUrl's own test of "absolute", restated: "scheme://" with RFC 3986 scheme characters.
// RFC 3986 6.2.2.1: "%a6" and "%A6" are the same octet. libcurl 7.88 lowercases the hex of
// a path it is given with CURLUPART_PATH (the fast join), so paths are compared with every
// percent-encoded triplet in upper case. (Found by this target: "%A6" in the base came back
// as "%a6" and looked like a climb out of the base path.)
std::string normalized_percent_case(std::string path) {
  for (std::size_t i = 0; i + 2 < path.size(); ++i) {
    if (path[i] != '%') continue;
    for (std::size_t k = i + 1; k <= i + 2; ++k) {
      if (path[k] >= 'a' && path[k] <= 'f') path[k] = static_cast<char>(path[k] - 'a' + 'A');
    }
  }
  return path;
}

bool looks_absolute(const std::string& url) {
  const auto colon = url.find("://");
  if (colon == std::string::npos || colon == 0) return false;
  return std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
  });
}

// BaseUrl::resolve's result as text, and the copy for logs (without user and password).
std::optional<std::string> resolve_text(const rhc::detail::BaseUrl& base, const std::string& path,
                                        const rhc::Params& params, std::string* error,
                                        std::string* without_credentials) {
  const rhc::detail::SharedUrl handle = base.resolve(path, params, error);
  if (!handle) return std::nullopt;
  *without_credentials = rhc::detail::render_url(handle.get(), true);
  return rhc::detail::render_url(handle.get(), false);
}

std::string unescape(std::string text, bool plus_is_space) {
  if (plus_is_space) std::replace(text.begin(), text.end(), '+', ' ');
  int length = 0;
  char* out = curl_easy_unescape(nullptr, text.data(), static_cast<int>(text.size()), &length);
  std::string s(out, static_cast<std::size_t>(length));
  curl_free(out);
  return s;
}

void check_params(const std::string& url, const UrlPtr& h, const rhc::Params& params) {
  if (params.empty()) return;
  const std::string query = part(h, CURLUPART_QUERY).value_or("");
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (true) {
    const auto amp = query.find('&', start);
    pieces.push_back(query.substr(start, amp - start));
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  if (pieces.size() < params.size()) {
    rhc_fuzz::fail(kTarget, "query of " + rhc_fuzz::printable(url) + " has fewer pieces than " +
                                std::to_string(params.size()) + " params");
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string& piece = pieces[pieces.size() - params.size() + i];
    const auto eq = piece.find('=');
    const std::string key = unescape(piece.substr(0, eq), true);
    const std::string value = eq == std::string::npos ? "" : unescape(piece.substr(eq + 1), true);
    if (key != params[i].first || value != params[i].second) {
      rhc_fuzz::fail(kTarget, "param " + std::to_string(i) + " {" +
                                  rhc_fuzz::printable(params[i].first) + ", " +
                                  rhc_fuzz::printable(params[i].second) + "} came back as {" +
                                  rhc_fuzz::printable(key) + ", " + rhc_fuzz::printable(value) +
                                  "} in " + rhc_fuzz::printable(url));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto fields = rhc_fuzz::split_fields(rhc_fuzz::as_text(data, size));
  if (fields.size() < 2) return 0;
  std::string base_text(fields[0]);
  const std::string path(fields[1]);
  rhc::Params params;
  for (std::size_t i = 2; i + 1 < fields.size(); i += 2) {
    params.emplace_back(std::string(fields[i]), std::string(fields[i + 1]));
  }

  rhc::ClientConfig config;
  config.base_url = base_text;
  try {
    config.validate();
  } catch (const rhc::ConfigError&) {
    base_text.clear();
  }
  const rhc::detail::BaseUrl base(base_text);

  std::string error;
  std::string without_credentials;
  const auto url = resolve_text(base, path, params, &error, &without_credentials);
  if (!url) {
    if (error.empty()) rhc_fuzz::fail(kTarget, "rejected without an error message");
    return 0;
  }

  // 6. NUL in the path.
  if (path.find('\0') != std::string::npos) {
    rhc_fuzz::fail(kTarget, "a path with NUL was accepted, as " + rhc_fuzz::printable(*url));
  }

  // 1. http or https, and libcurl agrees it is a URL.
  const UrlPtr h = parse(*url);
  if (!h) rhc_fuzz::fail(kTarget, "libcurl cannot parse the result " + rhc_fuzz::printable(*url));
  const std::string scheme = part(h, CURLUPART_SCHEME).value_or("");
  if (scheme != "http" && scheme != "https") {
    rhc_fuzz::fail(kTarget,
                   "scheme " + rhc_fuzz::printable(scheme) + " in " + rhc_fuzz::printable(*url));
  }

  // 2. Nothing that could end or split the request line.
  for (const char c : *url) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7f) {
      rhc_fuzz::fail(kTarget, "control byte or space in " + rhc_fuzz::printable(*url));
    }
  }

  // 3. A relative path stays on the base's origin, and under its path.
  if (!base_text.empty() && !looks_absolute(path)) {
    const UrlPtr b = parse(base_text.back() == '/' ? base_text : base_text + "/");
    if (origin(h) != origin(b)) {
      rhc_fuzz::fail(kTarget, "relative path " + rhc_fuzz::printable(path) + " left the base " +
                                  rhc_fuzz::printable(base_text) + ": " +
                                  rhc_fuzz::printable(*url));
    }
    const std::string base_path = normalized_percent_case(part(b, CURLUPART_PATH).value_or(""));
    if (base_path.find("//") == std::string::npos && path.find('.') == std::string::npos) {
      if (normalized_percent_case(part(h, CURLUPART_PATH).value_or("")).rfind(base_path, 0) != 0) {
        rhc_fuzz::fail(kTarget, "relative path " + rhc_fuzz::printable(path) +
                                    " climbed out of the base path " +
                                    rhc_fuzz::printable(base_path) + ": " +
                                    rhc_fuzz::printable(*url));
      }
    }
  }

  // 4. Params round-trip.
  check_params(*url, h, params);

  // 5. Credentials never reach the copy for logs.
  if (part(h, CURLUPART_PASSWORD)) {
    if (without_credentials.empty()) {
      rhc_fuzz::fail(kTarget,
                     "a URL with a password has no copy for logs: " + rhc_fuzz::printable(*url));
    }
    const UrlPtr w = parse(without_credentials);
    if (!w || part(w, CURLUPART_USER) || part(w, CURLUPART_PASSWORD)) {
      rhc_fuzz::fail(kTarget, "the copy for logs keeps credentials: " +
                                  rhc_fuzz::printable(without_credentials));
    }
  }
  return 0;
}
