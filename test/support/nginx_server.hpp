// A real nginx for the transport tests (TLS, mutual TLS, HTTP/2, GOAWAY, unix sockets): started
// as a child process on ephemeral loopback ports, stopped by the destructor.
//
//   rhc::testing::NginxServer nginx;   // throws std::runtime_error if it cannot start
//   const rhc::testing::TestCerts& certs = rhc::testing::test_certs();
//   // GET nginx.url(NginxListener::https, "/small") trusting certs.ca_cert:
//   //   200 {"ok":true}, X-Protocol: HTTP/2.0, X-Connection: 3, ...
//
// Every listener serves the same routes:
//   GET /small   200 {"ok":true} (application/json, 11 bytes)
//   GET /large   200, kLargeFileBytes bytes of application/octet-stream: byte i is i % 251
//                (the same pattern as rhc-test-server's /bytes/{n})
//   other paths  404 {"error":"no such route"}
// Requests may carry a body of any size (client_max_body_size 0); nginx discards it.
// Every response carries headers that show how it was served:
//   X-Protocol             $server_protocol: "HTTP/1.1" or "HTTP/2.0"
//   X-Connection           $connection: the connection's serial number; two responses with the
//                          same value came over one connection (HTTP/2 multiplexing, keep-alive)
//   X-Connection-Requests  $connection_requests: requests served on that connection so far
//   X-TLS-Protocol         $ssl_protocol ("TLSv1.3", "TLSv1.2"); absent over plain HTTP
//   X-Client-Verify        $ssl_client_verify: "SUCCESS" with a good client certificate, "NONE"
//                          without one; absent over plain HTTP
//   X-Client-Subject       $ssl_client_s_dn of the client certificate, when one was sent
//
// nginx runs with `daemon off; master_process off` (one process, our direct child) from a
// fresh temporary prefix holding its config, logs and the /large file. The destructor sends
// SIGTERM and reaps it (SIGKILL after 5 s); the child also gets SIGTERM if the thread that
// started it dies (PR_SET_PDEATHSIG), so a crashed or killed test leaves no nginx behind.
//
// Thread-safety: construct and destroy on one thread (the one that should own the child);
// the accessors may be called from any thread.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <string>

namespace rhc::testing {

enum class NginxListener {
  http,        // plain HTTP/1.1 on 127.0.0.1 (also on unix_socket())
  h2c,         // plain HTTP/2 with prior knowledge only: nginx 1.22 cannot serve HTTP/1.1 and
               // h2c on one port, so an HTTP/1.1 request here fails
  https,       // TLS 1.2 and 1.3, ALPN h2 and http/1.1; the server certificate of test_certs()
  mtls,        // as https, and requires a client certificate signed by test_certs().ca_cert:
               // without one, or with one from another CA, nginx completes the handshake and
               // answers 400 (it never fails the handshake itself)
  tls12,       // as https, TLS 1.2 only: a client that requires TLS 1.3 fails the handshake
  goaway,      // as https, with keepalive_requests 3: after three requests on a connection,
               // nginx sends GOAWAY (HTTP/2) or Connection: close (HTTP/1.1)
  wrong_name,  // as https, with test_certs().wrong_name_cert (DNS:wrong.invalid): signed by the
               // trusted CA, so only the host name check fails
};

class NginxServer {
 public:
  static constexpr std::size_t kLargeFileBytes = 4 * 1024 * 1024;
  static constexpr int kGoawayAfterRequests = 3;

  // Makes the certificates (test_certs()) if needed, writes the config, starts nginx and
  // returns once it answers. Retries with new ports if one was taken meanwhile. Throws
  // std::runtime_error naming the package when nginx is missing, or with nginx's log when it
  // does not start.
  NginxServer();
  ~NginxServer();  // stops nginx and removes the prefix
  NginxServer(const NginxServer&) = delete;
  NginxServer& operator=(const NginxServer&) = delete;

  int port(NginxListener listener) const;
  // "http://127.0.0.1:PORT/path" for http and h2c, "https://127.0.0.1:PORT/path" for the rest
  // (the server certificate's subjectAltName has IP:127.0.0.1 and DNS:localhost).
  std::string url(NginxListener listener, const std::string& path) const;
  // The unix socket the http listener also serves on (plain HTTP/1.1); use with
  // CURLOPT_UNIX_SOCKET_PATH and any http:// URL, e.g. "http://localhost/small".
  const std::string& unix_socket() const { return unix_socket_; }
  // The file /large serves (kLargeFileBytes bytes).
  const std::string& large_file() const { return large_file_; }
  pid_t pid() const { return pid_; }
  // nginx's error log so far (level info: handshake failures, bad requests), for a failing
  // test's message.
  std::string log() const;

 private:
  void start_once();
  void stop() noexcept;

  std::string prefix_;
  std::string unix_socket_;
  std::string large_file_;
  std::array<int, 7> ports_{};  // indexed by NginxListener
  pid_t pid_ = -1;
};

}  // namespace rhc::testing
