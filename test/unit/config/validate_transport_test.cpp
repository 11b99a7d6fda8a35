// validate() on the transport settings: TLS files, pins and versions, the HTTP version, the
// unix socket path and the offered content codings.
#include <curl/curl.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <rhc/config.hpp>
#include <rhc/errors.hpp>
#include <string>

#include "validation_message.hpp"

using Catch::Matchers::Contains;
using rhc::ClientConfig;

namespace {

// A file that exists for the test's lifetime (content is not checked by validate()).
struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const char* name) : path(std::filesystem::temp_directory_path() / name) {
    std::ofstream(path) << "-----BEGIN CERTIFICATE-----\n";
  }
  ~TempFile() { std::filesystem::remove(path); }
};

bool libcurl_has(int feature) {
  return (curl_version_info(CURLVERSION_NOW)->features & feature) != 0;
}

}  // namespace

TEST_CASE("tls files must exist, the key needs a certificate", "[config][validate][tls]") {
  TempFile cert("rhc-validate-client.pem"), key("rhc-validate-client.key");
  const std::string dir = std::filesystem::temp_directory_path().string();
  CHECK(problems_after([&](ClientConfig& c) {
          c.tls.ca_file = cert.path.string();
          c.tls.ca_path = dir;
          c.tls.client_cert = cert.path.string();
          c.tls.client_key = key.path.string();
          c.tls.key_password = "secret";
          c.tls.min_version = "1.3";
        }).empty());
  CHECK_THAT(problems_after([](ClientConfig& c) { c.tls.ca_file = "/nonexistent/ca.pem"; }),
             Contains("tls.ca_file must name an existing file"));
  CHECK_THAT(problems_after([&](ClientConfig& c) { c.tls.ca_path = cert.path.string(); }),
             Contains("tls.ca_path must name an existing directory"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.tls.client_cert = "/nonexistent/c.pem"; }),
             Contains("tls.client_cert must name an existing file"));
  CHECK_THAT(problems_after([&](ClientConfig& c) { c.tls.client_key = key.path.string(); }),
             Contains("tls.client_key needs tls.client_cert"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.tls.key_password = "x"; }),
             Contains("tls.key_password needs tls.client_cert"));
}

TEST_CASE("the password is never quoted in an error", "[config][validate][tls]") {
  const std::string message = problems_after([](ClientConfig& c) {
    c.tls.key_password = "hunter2-secret";
    c.tls.min_version = "9";
  });
  CHECK_THAT(message, Contains("tls.key_password needs tls.client_cert"));
  CHECK(message.find("hunter2-secret") == std::string::npos);
}

TEST_CASE("ca_bundle is tls.ca_file's older name: both set must agree", "[config][validate][tls]") {
  TempFile a("rhc-validate-a.pem"), b("rhc-validate-b.pem");
  CHECK(problems_after([&](ClientConfig& c) {
          c.ca_bundle = a.path.string();
          c.tls.ca_file = a.path.string();
        }).empty());
  CHECK_THAT(problems_after([&](ClientConfig& c) {
               c.ca_bundle = a.path.string();
               c.tls.ca_file = b.path.string();
             }),
             Contains("tls.ca_file must be empty or equal ca_bundle"));
}

TEST_CASE("a pin is libcurl's sha256// list or a key file", "[config][validate][tls]") {
  const std::string pin = "sha256//" + std::string(43, 'A') + "=";
  CHECK(problems_after([&](ClientConfig& c) { c.tls.pinned_public_key = pin; }).empty());
  CHECK(
      problems_after([&](ClientConfig& c) { c.tls.pinned_public_key = pin + ";" + pin; }).empty());
  const std::string bad_pins[] = {"sha256//short=", "sha256//" + std::string(44, 'A'), pin + ";",
                                  pin + ";md5//abc", "sha256//" + std::string(43, '*') + "="};
  for (const std::string& bad : bad_pins) {
    CAPTURE(bad);
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.tls.pinned_public_key = bad; }),
               Contains("tls.pinned_public_key must be sha256//"));
  }
  CHECK_THAT(problems_after([](ClientConfig& c) { c.tls.pinned_public_key = "/nonexistent.pub"; }),
             Contains("tls.pinned_public_key must name an existing file"));
  TempFile key("rhc-validate-server.pub");
  CHECK(problems_after([&](ClientConfig& c) {
          c.tls.pinned_public_key = key.path.string();
        }).empty());
}

TEST_CASE("tls.min_version is 1.2 or 1.3", "[config][validate][tls]") {
  for (const char* ok : {"", "1.2", "1.3"}) {
    CHECK(problems_after([&](ClientConfig& c) { c.tls.min_version = ok; }).empty());
  }
  for (const char* bad : {"1.1", "TLSv1.3", "1.4", " 1.2"}) {
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.tls.min_version = bad; }),
               Contains("tls.min_version must be empty, \"1.2\" or \"1.3\""));
  }
}

TEST_CASE("http_version is one of four spellings", "[config][validate]") {
  for (const char* ok : {"auto", "1.1"}) {
    CHECK(problems_after([&](ClientConfig& c) { c.http_version = ok; }).empty());
  }
  if (libcurl_has(CURL_VERSION_HTTP2)) {
    for (const char* ok : {"2", "2-prior-knowledge"}) {
      CHECK(problems_after([&](ClientConfig& c) { c.http_version = ok; }).empty());
    }
  }
  for (const char* bad : {"", "1.0", "h2", "3", "AUTO"}) {
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.http_version = bad; }),
               Contains("http_version must be one of auto, 1.1, 2, 2-prior-knowledge"));
  }
}

TEST_CASE("unix_socket fits a sockaddr_un; it need not exist yet", "[config][validate]") {
  CHECK(problems_after([](ClientConfig& c) { c.unix_socket = "/nonexistent/app.sock"; }).empty());
  CHECK_THAT(problems_after([](ClientConfig& c) { c.unix_socket = "/" + std::string(120, 'a'); }),
             Contains("unix_socket must be shorter than 108 bytes"));
  CHECK_THAT(problems_after([](ClientConfig& c) { c.unix_socket = std::string("/a\0b", 4); }),
             Contains("unix_socket must not contain NUL"));
}

TEST_CASE("accept_encoding offers only codings libcurl decodes", "[config][validate]") {
  for (const char* ok : {"", "gzip", "identity", "gzip, deflate", "gzip,identity"}) {
    CAPTURE(ok);
    CHECK(problems_after([&](ClientConfig& c) { c.accept_encoding = ok; }).empty());
  }
  if (libcurl_has(CURL_VERSION_BROTLI)) {
    CHECK(problems_after([](ClientConfig& c) { c.accept_encoding = "br, gzip"; }).empty());
  }
  for (const char* bad : {"compress", "gzip;q=1", "gzip,,", "x"}) {
    CAPTURE(bad);
    CHECK_THAT(problems_after([&](ClientConfig& c) { c.accept_encoding = bad; }),
               Contains("accept_encoding must list codings this libcurl decodes"));
  }
  CHECK_THAT(problems_after([](ClientConfig& c) { c.accept_encoding = "gzip\r\nX: 1"; }),
             Contains("accept_encoding must not contain CR, LF or NUL"));
}
