// Transport settings for a service mesh or a sidecar: mutual TLS with a private CA and a
// pinned key, HTTP/2, a unix socket, cookies and compression. Compiled by CI; the paths are
// placeholders, so it only prints what it would use.
#include <iostream>
#include <rhc/rhc.hpp>

rhc::ClientConfig mesh_client() {
  rhc::ClientConfig config;
  config.base_url = "https://payments.internal:8443";
  config.tls.ca_file = "/etc/mesh/ca.pem";          // trust the mesh's CA, not the system's
  config.tls.client_cert = "/etc/mesh/client.pem";  // who we are
  config.tls.client_key = "/etc/mesh/client.key";
  config.tls.key_password = "";  // if the key is encrypted
  config.tls.pinned_public_key = "sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=";
  config.tls.min_version = "1.3";
  config.http_version = "auto";  // HTTP/2 when the server offers it: one connection, many streams
  return config;
}

rhc::ClientConfig sidecar_client() {
  rhc::ClientConfig config;
  config.base_url = "http://localhost";           // names the host for Host and per-host state
  config.unix_socket = "/run/sidecar/http.sock";  // where the connection really goes
  config.http_version = "2-prior-knowledge";      // the sidecar speaks cleartext HTTP/2
  config.cookies = true;                          // keep the session cookie it sets
  config.accept_encoding = "br, gzip";            // offer brotli too (this libcurl decodes both)
  return config;
}

int main() {
  for (const rhc::ClientConfig& config : {mesh_client(), sidecar_client()}) {
    // validate() would insist that the files exist; a real program just makes the client:
    // rhc::ResilientClient client(config);
    std::cout << config.base_url << " via "
              << (config.unix_socket.empty() ? "TCP" : config.unix_socket) << ", HTTP "
              << config.http_version << "\n";
  }
}
