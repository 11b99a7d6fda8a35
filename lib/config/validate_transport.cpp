// The transport fields of validate(): TLS files and versions, the HTTP version, the unix
// socket, the offered content codings. Files are checked when the client is made, so a typo
// is a ConfigError at construction rather than a TLSError on every request; what libcurl
// was built without (HTTP/2, brotli) is refused here too.
#include <curl/curl.h>
#include <sys/un.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "config/validate.hpp"

namespace rhc::detail::config {
namespace {

bool has_nul(std::string_view s) { return s.find('\0') != std::string_view::npos; }

bool libcurl_has(int feature) {
  return (curl_version_info(CURLVERSION_NOW)->features & feature) != 0;
}

enum class Expect { File, Directory };

// Empty, or an existing file (directory). Returns whether it is set and usable.
bool check_path(std::string_view path_name, const std::string& path, Expect expect,
                std::vector<Problem>& out) {
  if (path.empty()) return false;
  if (has_nul(path)) {
    out.push_back({path_name, "must not contain NUL"});
    return false;
  }
  std::error_code ec;
  const bool ok = expect == Expect::File ? std::filesystem::is_regular_file(path, ec)
                                         : std::filesystem::is_directory(path, ec);
  if (!ok) {
    out.push_back({path_name, std::string("must name an existing ") +
                                  (expect == Expect::File ? "file" : "directory") + " (got " +
                                  quote(path) + ")"});
  }
  return ok;
}

// libcurl's pin syntax: "sha256//<base64 of 32 bytes>" items joined by ';'. Anything else
// is taken as the path of a public key file.
bool is_pin_list(std::string_view pins) {
  constexpr std::string_view kPrefix = "sha256//";
  // libcurl splits at ";sha256//": an empty item (a trailing ';') would be glued to the
  // last digest and match no key, so it is refused too.
  for (;;) {
    const auto end = pins.find(';');
    std::string_view pin = pins.substr(0, end);
    if (pin.substr(0, kPrefix.size()) != kPrefix) return false;
    pin.remove_prefix(kPrefix.size());
    // 32 bytes are 43 base64 characters and one '='.
    if (pin.size() != 44 || pin.back() != '=') return false;
    for (char c : pin.substr(0, 43)) {
      const bool base64 = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '+' || c == '/';
      if (!base64) return false;
    }
    if (end == std::string_view::npos) return true;
    pins = pins.substr(end + 1);
  }
}

void check_tls(const ClientConfig& c, std::vector<Problem>& out) {
  const TlsConfig& t = c.tls;
  check_path("tls.ca_file", t.ca_file, Expect::File, out);
  if (!t.ca_file.empty() && !c.ca_bundle.empty() && t.ca_file != c.ca_bundle) {
    out.push_back({"tls.ca_file",
                   "must be empty or equal ca_bundle, its older name, when both are set (got " +
                       quote(t.ca_file) + " and " + quote(c.ca_bundle) + ")"});
  }
  check_path("tls.ca_path", t.ca_path, Expect::Directory, out);
  check_path("tls.client_cert", t.client_cert, Expect::File, out);
  check_path("tls.client_key", t.client_key, Expect::File, out);
  if (t.client_cert.empty() && !t.client_key.empty()) {
    out.push_back({"tls.client_key", "needs tls.client_cert (the certificate it is the key of)"});
  }
  if (t.client_cert.empty() && !t.key_password.empty()) {
    out.push_back({"tls.key_password", "needs tls.client_cert"});
  }
  if (has_nul(t.key_password)) out.push_back({"tls.key_password", "must not contain NUL"});
  if (!t.pinned_public_key.empty()) {
    const bool looks_like_pins = t.pinned_public_key.rfind("sha256//", 0) == 0;
    if (looks_like_pins && !is_pin_list(t.pinned_public_key)) {
      out.push_back({"tls.pinned_public_key",
                     "must be sha256//<base64 of 32 bytes> items joined by ';', or a public key "
                     "file (got " +
                         quote(t.pinned_public_key) + ")"});
    } else if (!looks_like_pins) {
      check_path("tls.pinned_public_key", t.pinned_public_key, Expect::File, out);
    }
  }
  if (!t.min_version.empty() && t.min_version != "1.2" && t.min_version != "1.3") {
    out.push_back({"tls.min_version",
                   "must be empty, \"1.2\" or \"1.3\" (got " + quote(t.min_version) + ")"});
  }
}

void check_http_version(const std::string& v, std::vector<Problem>& out) {
  if (v == "auto" || v == "1.1") return;
  if (v != "2" && v != "2-prior-knowledge") {
    out.push_back(
        {"http_version", "must be one of auto, 1.1, 2, 2-prior-knowledge (got " + quote(v) + ")"});
  } else if (!libcurl_has(CURL_VERSION_HTTP2)) {
    out.push_back({"http_version", "needs a libcurl built with HTTP/2 (got " + quote(v) + ")"});
  }
}

void check_unix_socket(const std::string& path, std::vector<Problem>& out) {
  if (path.empty()) return;
  if (has_nul(path)) {
    out.push_back({"unix_socket", "must not contain NUL"});
  } else if (path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    out.push_back({"unix_socket", "must be shorter than " +
                                      std::to_string(sizeof(sockaddr_un{}.sun_path)) +
                                      " bytes (got " + std::to_string(path.size()) + ")"});
  } else if (!libcurl_has(CURL_VERSION_UNIX_SOCKETS)) {
    out.push_back({"unix_socket", "needs a libcurl built with unix socket support"});
  }
  // Whether the socket exists is not checked: a sidecar may start after the client. A
  // missing one fails each request with a connection error.
}

// Each coding offered must be one this libcurl can decode: a response in a coding it cannot
// decode would fail as a broken body.
void check_accept_encoding(const std::string& codings, std::vector<Problem>& out) {
  std::string_view rest = codings;
  if (rest.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    out.push_back({"accept_encoding", "must not contain CR, LF or NUL"});
    return;
  }
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view coding = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    const bool ok = coding == "identity" ||
                    ((coding == "gzip" || coding == "deflate") && libcurl_has(CURL_VERSION_LIBZ)) ||
                    (coding == "br" && libcurl_has(CURL_VERSION_BROTLI)) ||
                    (coding == "zstd" && libcurl_has(CURL_VERSION_ZSTD));
    if (!ok) {
      out.push_back({"accept_encoding",
                     "must list codings this libcurl decodes (identity, gzip, deflate, br, zstd "
                     "as built; \"\" for all of them) (got " +
                         quote(coding) + ")"});
    }
  }
}

}  // namespace

void check_transport(const ClientConfig& c, std::vector<Problem>& out) {
  check_tls(c, out);
  check_http_version(c.http_version, out);
  check_unix_socket(c.unix_socket, out);
  check_accept_encoding(c.accept_encoding, out);
}

}  // namespace rhc::detail::config
