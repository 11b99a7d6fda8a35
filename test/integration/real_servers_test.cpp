// The real servers issue #17's transport tests run against (test/support: test_certs.hpp,
// nginx_server.hpp), proved with libcurl directly, not with rhc: each listener does what the
// tests of rhc's TLS, HTTP/2 and unix-socket features will rely on.
#include <curl/curl.h>
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "nginx_server.hpp"
#include "slack.hpp"
#include "test_certs.hpp"

using rhc::testing::NginxListener;
using rhc::testing::NginxServer;
using rhc::testing::test_certs;
using rhc::testing::TestCerts;

namespace {

struct Reply {
  CURLcode code = CURLE_OK;
  std::string error;  // CURLOPT_ERRORBUFFER
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased; the last of each name
};

// What a request sets beyond the URL; empty strings are not set.
struct Tls {
  std::string ca_file = test_certs().ca_cert;
  std::string client_cert, client_key, key_password, pin;
  long ssl_version = CURL_SSLVERSION_DEFAULT;
};

size_t on_body(char* data, size_t size, size_t count, void* reply) {
  static_cast<Reply*>(reply)->body.append(data, size * count);
  return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* reply) {
  const std::string line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    static_cast<Reply*>(reply)->headers[name] = value;
  }
  return size * count;
}

// A curl easy handle kept across requests, so that they can share its connection cache.
class Easy {
 public:
  Easy() : easy_(curl_easy_init()) { REQUIRE(easy_ != nullptr); }
  ~Easy() { curl_easy_cleanup(easy_); }
  Easy(const Easy&) = delete;
  Easy& operator=(const Easy&) = delete;

  CURL* get() const { return easy_; }

  // Sets up one GET of `url` recording into `reply`; perform() or a multi handle runs it.
  void prepare(const std::string& url, Reply& reply, const Tls& tls = {},
               long http_version = CURL_HTTP_VERSION_NONE) {
    error_[0] = '\0';
    curl_easy_setopt(easy_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy_, CURLOPT_ERRORBUFFER, error_);
    curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(
        easy_, CURLOPT_TIMEOUT_MS,
        static_cast<long>(std::chrono::milliseconds(rhc::testing::kGenerousTimeout).count()));
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(easy_, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy_, CURLOPT_HEADERDATA, &reply);
    curl_easy_setopt(easy_, CURLOPT_HTTP_VERSION, http_version);
    curl_easy_setopt(easy_, CURLOPT_CAINFO, tls.ca_file.empty() ? nullptr : tls.ca_file.c_str());
    curl_easy_setopt(easy_, CURLOPT_SSLCERT,
                     tls.client_cert.empty() ? nullptr : tls.client_cert.c_str());
    curl_easy_setopt(easy_, CURLOPT_SSLKEY,
                     tls.client_key.empty() ? nullptr : tls.client_key.c_str());
    curl_easy_setopt(easy_, CURLOPT_KEYPASSWD,
                     tls.key_password.empty() ? nullptr : tls.key_password.c_str());
    curl_easy_setopt(easy_, CURLOPT_PINNEDPUBLICKEY, tls.pin.empty() ? nullptr : tls.pin.c_str());
    curl_easy_setopt(easy_, CURLOPT_SSLVERSION, tls.ssl_version);
  }

  Reply perform(const std::string& url, const Tls& tls = {},
                long http_version = CURL_HTTP_VERSION_NONE) {
    Reply reply;
    prepare(url, reply, tls, http_version);
    reply.code = curl_easy_perform(easy_);
    finish(reply);
    return reply;
  }

  void finish(Reply& reply) {
    reply.error = error_;
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &reply.status);
  }

 private:
  CURL* easy_;
  char error_[CURL_ERROR_SIZE] = {};
};

Reply fetch(const std::string& url, const Tls& tls = {},
            long http_version = CURL_HTTP_VERSION_NONE) {
  Easy easy;
  return easy.perform(url, tls, http_version);
}

std::string header(const Reply& reply, const std::string& name) {
  const auto found = reply.headers.find(name);
  return found == reply.headers.end() ? "" : found->second;
}

Tls with_client_cert() {
  Tls tls;
  tls.client_cert = test_certs().client_cert;
  tls.client_key = test_certs().client_key;
  return tls;
}

}  // namespace

TEST_CASE("test certificates are made once, with a libcurl pin for the server key",
          "[real-servers][certs]") {
  const TestCerts& certs = test_certs();
  CHECK(&certs == &test_certs());
  for (const std::string& file :
       {certs.ca_cert, certs.ca_key, certs.server_cert, certs.server_key, certs.wrong_name_cert,
        certs.client_cert, certs.client_key, certs.client_key_encrypted, certs.wrong_ca_cert,
        certs.wrong_client_cert, certs.wrong_client_key}) {
    INFO(file);
    CHECK(std::ifstream(file).good());
  }
  CHECK(certs.server_pin.rfind("sha256//", 0) == 0);
  CHECK(certs.server_pin.size() == 8 + 44);  // base64 of 32 bytes
  CHECK(certs.other_pin.size() == certs.server_pin.size());
  CHECK(certs.other_pin != certs.server_pin);
  std::ifstream encrypted(certs.client_key_encrypted);
  std::string first_line;
  std::getline(encrypted, first_line);
  CHECK(first_line == "-----BEGIN ENCRYPTED PRIVATE KEY-----");
}

TEST_CASE("nginx serves plain HTTP/1.1 with the connection headers", "[real-servers][http]") {
  NginxServer nginx;
  const Reply reply = fetch(nginx.url(NginxListener::http, "/small"));
  INFO(reply.error << "\n" << nginx.log());
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  CHECK(reply.body == R"({"ok":true})");
  CHECK(header(reply, "content-type") == "application/json");
  CHECK(header(reply, "x-protocol") == "HTTP/1.1");
  CHECK_FALSE(header(reply, "x-connection").empty());
  CHECK(header(reply, "x-connection-requests") == "1");
  CHECK(reply.headers.count("x-tls-protocol") == 0);

  const Reply missing = fetch(nginx.url(NginxListener::http, "/nope"));
  CHECK(missing.status == 404);
  CHECK(missing.body == R"({"error":"no such route"})");
}

TEST_CASE("nginx speaks cleartext HTTP/2 with prior knowledge on the h2c port",
          "[real-servers][http2]") {
  NginxServer nginx;
  const Reply reply =
      fetch(nginx.url(NginxListener::h2c, "/small"), {}, CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE);
  INFO(reply.error);
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  CHECK(header(reply, "x-protocol") == "HTTP/2.0");
  // The http port stays HTTP/1.1 whatever the client asks for (no upgrade).
  const Reply plain = fetch(nginx.url(NginxListener::http, "/small"), {}, CURL_HTTP_VERSION_2_0);
  REQUIRE(plain.code == CURLE_OK);
  CHECK(header(plain, "x-protocol") == "HTTP/1.1");
}

TEST_CASE("nginx serves HTTPS verified against the test CA", "[real-servers][tls]") {
  NginxServer nginx;
  const TestCerts& certs = test_certs();

  const Reply verified = fetch(nginx.url(NginxListener::https, "/small"));
  INFO(verified.error << "\n" << nginx.log());
  REQUIRE(verified.code == CURLE_OK);
  CHECK(verified.status == 200);
  CHECK(header(verified, "x-tls-protocol") == "TLSv1.3");
  CHECK(header(verified, "x-client-verify") == "NONE");

  // By name too: the certificate has DNS:localhost.
  const Reply by_name =
      fetch("https://localhost:" + std::to_string(nginx.port(NginxListener::https)) + "/small");
  CHECK(by_name.code == CURLE_OK);

  Tls wrong_ca;
  wrong_ca.ca_file = certs.wrong_ca_cert;
  const Reply unknown_ca = fetch(nginx.url(NginxListener::https, "/small"), wrong_ca);
  CHECK(unknown_ca.code == CURLE_PEER_FAILED_VERIFICATION);

  const Reply wrong_name = fetch(nginx.url(NginxListener::wrong_name, "/small"));
  INFO(wrong_name.error);
  CHECK(wrong_name.code == CURLE_PEER_FAILED_VERIFICATION);
  CHECK(wrong_name.error.find("no alternative certificate subject name matches") !=
        std::string::npos);
}

TEST_CASE("nginx negotiates HTTP/2 over TLS and multiplexes one connection",
          "[real-servers][http2]") {
  NginxServer nginx;
  const std::string url = nginx.url(NginxListener::https, "/small");

  SECTION("two requests in a row share the connection") {
    Easy easy;
    const Reply first = easy.perform(url, {}, CURL_HTTP_VERSION_2TLS);
    const Reply second = easy.perform(url, {}, CURL_HTTP_VERSION_2TLS);
    REQUIRE(first.code == CURLE_OK);
    REQUIRE(second.code == CURLE_OK);
    CHECK(header(first, "x-protocol") == "HTTP/2.0");
    CHECK(header(second, "x-protocol") == "HTTP/2.0");
    CHECK(header(first, "x-connection") == header(second, "x-connection"));
    CHECK(header(second, "x-connection-requests") == "2");
  }

  SECTION("two requests at once share the connection as two streams") {
    CURLM* multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    Easy first_easy, second_easy;
    Reply first, second;
    first_easy.prepare(url, first, {}, CURL_HTTP_VERSION_2TLS);
    second_easy.prepare(url, second, {}, CURL_HTTP_VERSION_2TLS);
    // Wait for the first connection to learn it multiplexes rather than open a second one.
    curl_easy_setopt(second_easy.get(), CURLOPT_PIPEWAIT, 1L);
    curl_multi_add_handle(multi, first_easy.get());
    curl_multi_add_handle(multi, second_easy.get());
    int running = 1;
    for (int round = 0; running > 0 && round < 100'000; ++round) {
      curl_multi_perform(multi, &running);
      if (running > 0) curl_multi_poll(multi, nullptr, 0, 100, nullptr);
    }
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      Reply& reply = message->easy_handle == first_easy.get() ? first : second;
      reply.code = message->data.result;
    }
    first_easy.finish(first);
    second_easy.finish(second);
    curl_multi_remove_handle(multi, first_easy.get());
    curl_multi_remove_handle(multi, second_easy.get());
    curl_multi_cleanup(multi);

    REQUIRE(first.code == CURLE_OK);
    REQUIRE(second.code == CURLE_OK);
    CHECK(header(first, "x-protocol") == "HTTP/2.0");
    CHECK(header(first, "x-connection") == header(second, "x-connection"));
    const std::set<std::string> counts{header(first, "x-connection-requests"),
                                       header(second, "x-connection-requests")};
    CHECK(counts == std::set<std::string>{"1", "2"});
  }

  SECTION("HTTP/1.1 when the client asks for it") {
    const Reply reply = fetch(url, {}, CURL_HTTP_VERSION_1_1);
    REQUIRE(reply.code == CURLE_OK);
    CHECK(header(reply, "x-protocol") == "HTTP/1.1");
  }
}

TEST_CASE("nginx serves a large static file intact over HTTP/2", "[real-servers][http2]") {
  NginxServer nginx;
  const Reply reply = fetch(nginx.url(NginxListener::https, "/large"), {}, CURL_HTTP_VERSION_2TLS);
  REQUIRE(reply.code == CURLE_OK);
  CHECK(header(reply, "x-protocol") == "HTTP/2.0");
  CHECK(header(reply, "content-type") == "application/octet-stream");
  REQUIRE(reply.body.size() == NginxServer::kLargeFileBytes);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < reply.body.size(); ++i) {
    if (static_cast<unsigned char>(reply.body[i]) != i % 251) ++wrong;
  }
  CHECK(wrong == 0);
}

TEST_CASE("nginx's mutual TLS listener wants a client certificate from the test CA",
          "[real-servers][mtls]") {
  NginxServer nginx;
  const TestCerts& certs = test_certs();
  const std::string url = nginx.url(NginxListener::mtls, "/small");

  // nginx completes the handshake and refuses at the HTTP level.
  const Reply without = fetch(url);
  REQUIRE(without.code == CURLE_OK);
  CHECK(without.status == 400);
  CHECK(without.body.find("No required SSL certificate was sent") != std::string::npos);
  CHECK(header(without, "x-client-verify") == "NONE");

  const Reply with = fetch(url, with_client_cert());
  INFO(with.error << "\n" << nginx.log());
  REQUIRE(with.code == CURLE_OK);
  CHECK(with.status == 200);
  CHECK(header(with, "x-client-verify") == "SUCCESS");
  CHECK(header(with, "x-client-subject") == "CN=rhc test client");

  Tls encrypted;
  encrypted.client_cert = certs.client_cert;
  encrypted.client_key = certs.client_key_encrypted;
  encrypted.key_password = certs.client_key_password;
  const Reply with_password = fetch(url, encrypted);
  REQUIRE(with_password.code == CURLE_OK);
  CHECK(with_password.status == 200);

  encrypted.key_password = "not the password";
  CHECK(fetch(url, encrypted).code == CURLE_SSL_CERTPROBLEM);

  Tls wrong_client;
  wrong_client.client_cert = certs.wrong_client_cert;
  wrong_client.client_key = certs.wrong_client_key;
  const Reply wrong = fetch(url, wrong_client);
  REQUIRE(wrong.code == CURLE_OK);
  CHECK(wrong.status == 400);
  CHECK(wrong.body.find("SSL certificate error") != std::string::npos);
  CHECK(header(wrong, "x-client-verify").rfind("FAILED", 0) == 0);
}

TEST_CASE("nginx's TLS 1.2 listener refuses a client that requires TLS 1.3",
          "[real-servers][tls]") {
  NginxServer nginx;
  const std::string url = nginx.url(NginxListener::tls12, "/small");
  const Reply default_versions = fetch(url);
  REQUIRE(default_versions.code == CURLE_OK);
  CHECK(header(default_versions, "x-tls-protocol") == "TLSv1.2");

  Tls tls13;
  tls13.ssl_version = CURL_SSLVERSION_TLSv1_3;
  const Reply refused = fetch(url, tls13);
  INFO(refused.error);
  CHECK(refused.code == CURLE_SSL_CONNECT_ERROR);
  // The https listener takes the same client.
  CHECK(fetch(nginx.url(NginxListener::https, "/small"), tls13).code == CURLE_OK);
}

TEST_CASE("the server key's pin matches nginx and another key's does not", "[real-servers][tls]") {
  NginxServer nginx;
  const std::string url = nginx.url(NginxListener::https, "/small");
  Tls pinned;
  pinned.pin = test_certs().server_pin;
  CHECK(fetch(url, pinned).code == CURLE_OK);
  // Several pins, one of which matches.
  pinned.pin = test_certs().other_pin + ";" + test_certs().server_pin;
  CHECK(fetch(url, pinned).code == CURLE_OK);
  pinned.pin = test_certs().other_pin;
  CHECK(fetch(url, pinned).code == CURLE_SSL_PINNEDPUBKEYNOTMATCH);
}

TEST_CASE("nginx serves plain HTTP on a unix socket", "[real-servers][unix]") {
  NginxServer nginx;
  Easy easy;
  curl_easy_setopt(easy.get(), CURLOPT_UNIX_SOCKET_PATH, nginx.unix_socket().c_str());
  const Reply reply = easy.perform("http://localhost/small");
  INFO(reply.error);
  REQUIRE(reply.code == CURLE_OK);
  CHECK(reply.status == 200);
  CHECK(reply.body == R"({"ok":true})");
  CHECK(header(reply, "x-protocol") == "HTTP/1.1");

  Easy nowhere;
  const std::string missing = nginx.unix_socket() + ".missing";
  curl_easy_setopt(nowhere.get(), CURLOPT_UNIX_SOCKET_PATH, missing.c_str());
  CHECK(nowhere.perform("http://localhost/small").code == CURLE_COULDNT_CONNECT);
}

TEST_CASE("nginx sends GOAWAY after keepalive_requests and the client reconnects",
          "[real-servers][http2][goaway]") {
  NginxServer nginx;
  Easy easy;
  std::vector<std::string> connections;
  for (int i = 0; i < 2 * NginxServer::kGoawayAfterRequests; ++i) {
    const Reply reply =
        easy.perform(nginx.url(NginxListener::goaway, "/small"), {}, CURL_HTTP_VERSION_2TLS);
    INFO("request " << i << ": " << reply.error);
    REQUIRE(reply.code == CURLE_OK);
    CHECK(header(reply, "x-protocol") == "HTTP/2.0");
    CHECK(header(reply, "x-connection-requests") ==
          std::to_string(i % NginxServer::kGoawayAfterRequests + 1));
    connections.push_back(header(reply, "x-connection"));
  }
  // Three on one connection, then three on another.
  CHECK(connections[0] == connections[1]);
  CHECK(connections[1] == connections[2]);
  CHECK(connections[3] != connections[2]);
  CHECK(connections[3] == connections[4]);
  CHECK(connections[4] == connections[5]);
}

TEST_CASE("a stopped nginx leaves no process behind", "[real-servers]") {
  pid_t pid = 0;
  {
    NginxServer nginx;
    pid = nginx.pid();
    REQUIRE(pid > 0);
    CHECK(kill(pid, 0) == 0);
  }
  // Reaped, not a zombie: the pid no longer exists.
  errno = 0;
  CHECK(kill(pid, 0) == -1);
  CHECK(errno == ESRCH);
}

TEST_CASE("a missing nginx fails the test with the package to install", "[real-servers]") {
  setenv("RHC_NGINX", "/nonexistent/nginx", 1);
  std::string message;
  try {
    NginxServer nginx;
  } catch (const std::runtime_error& error) {
    message = error.what();
  }
  unsetenv("RHC_NGINX");
  CHECK(message.find("apt-get install nginx-light") != std::string::npos);
}
