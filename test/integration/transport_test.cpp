// The transport settings against real servers: TLS trust, host names, pinning, versions and
// client certificates (nginx, and a cpp-httplib server that refuses in the handshake),
// HTTP/2 and its multiplexing, GOAWAY, unix sockets, cookies and Accept-Encoding.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "client_config.hpp"
#include "echo_server.hpp"
#include "nginx_server.hpp"
#include "test_certs.hpp"
#include "wait.hpp"

using namespace std::chrono_literals;
using rhc::TlsProblem;
using rhc::testing::NginxListener;
using rhc::testing::NginxServer;
using rhc::testing::test_certs;

namespace {

rhc::ClientConfig config_for(const std::string& base_url) {
  rhc::ClientConfig c = rhc::testing::quiet_config(base_url);
  c.retry.max_attempts = 3;
  c.retry.min_wait = rhc::Seconds(0.01);
  c.retry.max_wait = rhc::Seconds(0.02);
  c.tls.ca_file = test_certs().ca_cert;
  return c;
}

// The TLSError a GET of `url` ends with, or nothing when it does not end with one.
struct TlsOutcome {
  bool tls_error = false;
  TlsProblem which = TlsProblem::Handshake;
  int attempts = 0;
  std::string message;
};

TlsOutcome tls_outcome(const rhc::ClientConfig& config, const std::string& url) {
  rhc::ResilientClient client(config);
  TlsOutcome out;
  try {
    client.get(url).get();
  } catch (const rhc::TLSError& e) {
    out.tls_error = true;
    out.which = e.which();
    out.attempts = e.attempts();
    out.message = e.what();
  } catch (const std::exception& e) {
    out.message = e.what();
  }
  return out;
}

std::string header_of(const rhc::Response& r, const char* name) {
  return r.header(name).value_or("");
}

}  // namespace

TEST_CASE("TLS is verified against tls.ca_file, and each failure says why without a retry",
          "[transport][tls]") {
  NginxServer nginx;
  const auto& certs = test_certs();
  const std::string small = nginx.url(NginxListener::https, "/small");
  rhc::ClientConfig trusting = config_for("");

  SECTION("the CA file makes the server trusted; ca_bundle is the same setting") {
    rhc::ResilientClient client(trusting);
    CHECK(client.get(small).get().status_code == 200);
    rhc::ClientConfig old_name = config_for("");
    old_name.tls.ca_file.clear();
    old_name.ca_bundle = certs.ca_cert;
    rhc::ResilientClient old_client(old_name);
    CHECK(old_client.get(small).get().status_code == 200);
  }
  SECTION("a CA directory (tls.ca_path) in OpenSSL's hashed layout") {
    rhc::ClientConfig by_dir = config_for("");
    by_dir.tls.ca_file.clear();
    by_dir.tls.ca_path = certs.ca_dir;
    rhc::ResilientClient client(by_dir);
    CHECK(client.get(small).get().status_code == 200);
    by_dir.tls.ca_path = certs.wrong_ca_dir;  // a directory that knows only another CA
    const TlsOutcome o = tls_outcome(by_dir, small);
    CHECK(o.tls_error);
    CHECK(o.which == TlsProblem::UntrustedCertificate);
    CHECK(o.attempts == 1);
  }
  SECTION("the system store does not know the test CA") {
    rhc::ClientConfig system = config_for("");
    system.tls.ca_file.clear();
    const TlsOutcome o = tls_outcome(system, small);
    CHECK(o.tls_error);
    CHECK(o.which == TlsProblem::UntrustedCertificate);
    CHECK(o.attempts == 1);
    CHECK_THAT(o.message, Catch::Matchers::Contains("untrusted server certificate"));
  }
  SECTION("a certificate for another name") {
    const TlsOutcome o = tls_outcome(trusting, nginx.url(NginxListener::wrong_name, "/small"));
    CHECK(o.tls_error);
    CHECK(o.which == TlsProblem::NameMismatch);
    CHECK(o.attempts == 1);
  }
  SECTION("a pinned public key: the server's passes, another one fails") {
    rhc::ClientConfig pinned = trusting;
    pinned.tls.pinned_public_key = certs.server_pin;
    rhc::ResilientClient client(pinned);
    CHECK(client.get(small).get().status_code == 200);
    pinned.tls.pinned_public_key = certs.other_pin;
    const TlsOutcome o = tls_outcome(pinned, small);
    CHECK(o.tls_error);
    CHECK(o.which == TlsProblem::PinMismatch);
    CHECK(o.attempts == 1);
  }
  SECTION("min_version 1.3 against a TLS 1.2-only server") {
    rhc::ClientConfig modern = trusting;
    modern.tls.min_version = "1.3";
    const TlsOutcome o = tls_outcome(modern, nginx.url(NginxListener::tls12, "/small"));
    CHECK(o.tls_error);
    CHECK(o.which == TlsProblem::ProtocolVersion);
    CHECK(o.attempts == 1);
    modern.tls.min_version = "1.2";
    rhc::ResilientClient client(modern);
    auto r = client.get(nginx.url(NginxListener::tls12, "/small")).get();
    CHECK(header_of(r, "X-TLS-Protocol") == "TLSv1.2");
  }
}

TEST_CASE("mutual TLS: the client certificate, an encrypted key, a wrong password",
          "[transport][tls][mtls]") {
  NginxServer nginx;
  const auto& certs = test_certs();
  const std::string url = nginx.url(NginxListener::mtls, "/small");
  rhc::ClientConfig c = config_for("");
  c.tls.client_cert = certs.client_cert;
  c.tls.client_key = certs.client_key;
  {
    rhc::ResilientClient client(c);
    auto r = client.get(url).get();
    CHECK(header_of(r, "X-Client-Verify") == "SUCCESS");
  }
  c.tls.client_key = certs.client_key_encrypted;
  c.tls.key_password = certs.client_key_password;
  {
    rhc::ResilientClient client(c);
    CHECK(header_of(client.get(url).get(), "X-Client-Verify") == "SUCCESS");
  }
  c.tls.key_password = "not-the-password";
  const TlsOutcome o = tls_outcome(c, url);
  CHECK(o.tls_error);
  CHECK(o.which == TlsProblem::ClientCertificateUnusable);
  CHECK(o.attempts == 1);
  CHECK(o.message.find("not-the-password") == std::string::npos);
  // nginx completes the handshake without a certificate and answers 400 itself.
  rhc::ClientConfig anonymous = config_for("");
  rhc::ResilientClient client(anonymous);
  CHECK_THROWS_AS(client.get(url).get(), rhc::InvalidRequestError);
}

// A TLS server that requires a client certificate from the test CA and refuses in the
// handshake (SSL_VERIFY_FAIL_IF_NO_PEER_CERT), as Envoy or Go servers do; nginx instead
// completes it and answers 400. `max_version`: TLS1_2_VERSION or TLS1_3_VERSION.
struct RefusingTlsServer {
  httplib::SSLServer server;
  std::thread thread;
  int port = 0;
  explicit RefusingTlsServer(int max_version)
      : server([max_version](SSL_CTX& ctx) {
          const auto& certs = test_certs();
          SSL_CTX_set_max_proto_version(&ctx, max_version);
          return SSL_CTX_use_certificate_chain_file(&ctx, certs.server_cert.c_str()) == 1 &&
                 SSL_CTX_use_PrivateKey_file(&ctx, certs.server_key.c_str(), SSL_FILETYPE_PEM) ==
                     1 &&
                 SSL_CTX_load_verify_locations(&ctx, certs.ca_cert.c_str(), nullptr) == 1 &&
                 (SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                                     nullptr),
                  true);
        }) {
    REQUIRE(server.is_valid());
    server.Get("/small", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("{}", "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    REQUIRE(rhc::testing::eventually([this] { return server.is_running(); }, 30s, 1ms));
  }
  ~RefusingTlsServer() {
    server.stop();
    thread.join();
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port) + "/small"; }
};

TEST_CASE("a server that refuses the client certificate in the TLS 1.2 handshake",
          "[transport][tls][mtls]") {
  const auto& certs = test_certs();
  RefusingTlsServer server(TLS1_2_VERSION);
  rhc::ClientConfig c = config_for("");
  // TLS 1.2 says only "handshake failure" when no certificate came.
  const TlsOutcome none = tls_outcome(c, server.url());
  CAPTURE(none.message);
  CHECK(none.tls_error);
  CHECK(none.which == TlsProblem::Handshake);
  CHECK(none.attempts == 1);
  c.tls.client_cert = certs.wrong_client_cert;
  c.tls.client_key = certs.wrong_client_key;
  const TlsOutcome wrong = tls_outcome(c, server.url());
  CAPTURE(wrong.message);
  CHECK(wrong.tls_error);
  CHECK(wrong.which == TlsProblem::ClientCertificateRejected);
  CHECK(wrong.attempts == 1);
  c.tls.client_cert = certs.client_cert;
  c.tls.client_key = certs.client_key;
  rhc::ResilientClient client(c);
  CHECK(client.get(server.url()).get().status_code == 200);
}

TEST_CASE("TLS 1.3: the refusal comes after the client's handshake, as an alert or a broken pipe",
          "[transport][tls][mtls]") {
  // In TLS 1.3 the client's side of the handshake ends before the server checks the
  // certificate; the server's alert and close then race the request being written. Read
  // first, it is TLSError(ClientCertificateRequired), not retried; written first, the
  // connection is broken (APIConnectionError, retried). Never a success.
  RefusingTlsServer server(TLS1_3_VERSION);
  rhc::ClientConfig c = config_for("");
  rhc::ResilientClient client(c);
  try {
    client.get(server.url()).get();
    FAIL("a request without the client certificate succeeded");
  } catch (const rhc::TLSError& e) {
    CHECK(e.which() == TlsProblem::ClientCertificateRequired);
    CHECK(e.attempts() == 1);
  } catch (const rhc::APIConnectionError& e) {
    CHECK(e.retryable());
  }
}

TEST_CASE("http_version: HTTP/2 over TLS by default, 1.1 when asked, h2c with prior knowledge",
          "[transport][http2]") {
  NginxServer nginx;
  {
    rhc::ResilientClient client(config_for(""));
    auto r = client.get(nginx.url(NginxListener::https, "/small")).get();
    CHECK(header_of(r, "X-Protocol") == "HTTP/2.0");
  }
  {
    rhc::ClientConfig c = config_for("");
    c.http_version = "1.1";
    rhc::ResilientClient client(c);
    CHECK(header_of(client.get(nginx.url(NginxListener::https, "/small")).get(), "X-Protocol") ==
          "HTTP/1.1");
  }
  {
    rhc::ClientConfig c = config_for("");
    c.http_version = "2-prior-knowledge";
    rhc::ResilientClient client(c);
    CHECK(header_of(client.get(nginx.url(NginxListener::h2c, "/small")).get(), "X-Protocol") ==
          "HTTP/2.0");
  }
  {
    // The seed's cleartext behaviour is unchanged by "auto".
    rhc::ResilientClient client(config_for(""));
    CHECK(header_of(client.get(nginx.url(NginxListener::http, "/small")).get(), "X-Protocol") ==
          "HTTP/1.1");
  }
}

TEST_CASE("over HTTP/2 a cold burst shares one connection", "[transport][http2]") {
  NginxServer nginx;
  rhc::ResilientClient client(config_for(""));
  std::vector<std::future<rhc::Response>> burst;
  for (int i = 0; i < 20; ++i)
    burst.push_back(client.get(nginx.url(NginxListener::https, "/small")));
  std::set<std::string> connections;
  for (auto& f : burst) {
    auto r = f.get();
    CHECK(header_of(r, "X-Protocol") == "HTTP/2.0");
    connections.insert(header_of(r, "X-Connection"));
  }
  CHECK(connections.size() == 1);
}

TEST_CASE("GOAWAY after a few requests per connection: every request still succeeds",
          "[transport][http2]") {
  NginxServer nginx;
  rhc::ClientConfig c = config_for("");
  c.retry.max_attempts = 1;  // any retry needed would be libcurl's own, for refused streams
  rhc::ResilientClient client(c);
  std::vector<std::future<rhc::Response>> posts;
  rhc::RequestOptions o;
  o.body = "payload";
  for (int i = 0; i < 30; ++i)
    posts.push_back(client.post(nginx.url(NginxListener::goaway, "/small"), o));
  std::set<std::string> connections;
  for (auto& f : posts) {
    auto r = f.get();
    CHECK(r.status_code == 200);
    connections.insert(header_of(r, "X-Connection"));
  }
  // Three requests per connection at most.
  CHECK(connections.size() >= 30 / NginxServer::kGoawayAfterRequests);
}

TEST_CASE("unix_socket: requests go to the socket; a missing one is a connection error",
          "[transport][unix]") {
  NginxServer nginx;
  rhc::ClientConfig c = config_for("http://localhost");
  c.unix_socket = nginx.unix_socket();
  {
    rhc::ResilientClient client(c);
    auto r = client.get("/small").get();
    CHECK(r.status_code == 200);
    CHECK(r.text == R"({"ok":true})");
  }
  c.unix_socket = nginx.unix_socket() + ".missing";
  rhc::ResilientClient client(c);
  try {
    client.get("/small").get();
    FAIL("a missing socket must fail");
  } catch (const rhc::APIConnectionError& e) {
    CHECK(e.attempts() == 3);  // retried like any refused connection
    CHECK_FALSE(dynamic_cast<const rhc::TLSError*>(&e));
  }
}

TEST_CASE("cookies: kept only when asked, sent back only to their origin", "[transport][cookies]") {
  rhc::test_server::TestServer server;
  server.start();
  const std::string other_origin = "http://localhost:" + std::to_string(server.port());
  for (bool on : {false, true}) {
    rhc::ClientConfig c = config_for(server.base_url());
    c.cookies = on;
    rhc::ResilientClient client(c);
    client.get("/cookies/set?session=abc&theme=dark").get();
    rapidjson::Document echo = client.get("/cookies").get().json();
    if (on) {
      REQUIRE(echo["cookie_header"].IsString());
      const std::string header = echo["cookie_header"].GetString();
      CHECK_THAT(header, Catch::Matchers::Contains("session=abc"));
      CHECK_THAT(header, Catch::Matchers::Contains("theme=dark"));
    } else {
      CHECK(echo["cookie_header"].IsNull());
    }
    // 127.0.0.1 set them; localhost is another host.
    rapidjson::Document elsewhere = client.get(other_origin + "/cookies").get().json();
    CHECK(elsewhere["cookie_header"].IsNull());
  }
}

TEST_CASE("accept_encoding is what the request offers", "[transport]") {
  rhc::testing::EchoServer server;
  auto offered = [&](const std::string& codings) {
    rhc::ClientConfig c = config_for(server.base_url());
    c.accept_encoding = codings;
    rhc::ResilientClient client(c);
    rapidjson::Document echo = client.get("/echo").get().json();
    const auto& headers = echo["headers"];
    return headers.HasMember("Accept-Encoding")
               ? std::string(headers["Accept-Encoding"].GetString())
               : std::string("(none)");
  };
  CHECK(offered("gzip") == "gzip");
  CHECK(offered("identity") == "identity");
  CHECK_THAT(offered(""), Catch::Matchers::Contains("gzip"));  // every coding libcurl decodes
}
