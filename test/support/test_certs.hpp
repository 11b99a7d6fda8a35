// Certificates made at test time with the `openssl` CLI, for the real servers (nginx_server.hpp)
// and the TLS tests that talk to them.
//
//   const rhc::testing::TestCerts& certs = rhc::testing::test_certs();
//   curl_easy_setopt(easy, CURLOPT_CAINFO, certs.ca_cert.c_str());
//   curl_easy_setopt(easy, CURLOPT_SSLCERT, certs.client_cert.c_str());
//   curl_easy_setopt(easy, CURLOPT_SSLKEY, certs.client_key.c_str());
//
// Every key is EC P-256 (fast to make), every file PEM, every certificate valid for 30 days
// from now. Nothing is checked in: a fresh CA per test process means no certificate ever
// expires in the tree and no private key is ever published.
#pragma once

#include <string>

namespace rhc::testing {

struct TestCerts {
  std::string dir;  // the temporary folder holding every file below

  // The CA the servers and the good client certificate are signed by: what a client trusts.
  std::string ca_cert, ca_key;

  // nginx's certificate: subjectAltName DNS:localhost, IP:127.0.0.1, IP:::1; signed by the CA.
  std::string server_cert, server_key;
  // A certificate for DNS:wrong.invalid only, signed by the CA: verifying it against
  // "localhost" or 127.0.0.1 fails with a name mismatch (NginxServer's wrong_name listener).
  std::string wrong_name_cert, wrong_name_key;

  // A client certificate (CN "rhc test client", extendedKeyUsage clientAuth) signed by the CA;
  // the mutual-TLS listener accepts it.
  std::string client_cert, client_key;
  // The same key, encrypted (PKCS#8, AES-256) with `client_key_password`.
  std::string client_key_encrypted, client_key_password;

  // A second, unrelated CA, and a client certificate it signed: mutual TLS rejects it, and a
  // client trusting only `wrong_ca_cert` rejects the servers ("unknown CA").
  std::string wrong_ca_cert, wrong_ca_key;
  std::string wrong_client_cert, wrong_client_key;
  // Directories holding only the CA, or only the wrong CA, in OpenSSL's hashed layout
  // (`openssl rehash`): what tls.ca_path (CURLOPT_CAPATH) names.
  std::string ca_dir, wrong_ca_dir;

  // The server key's pin in libcurl's CURLOPT_PINNEDPUBLICKEY syntax: "sha256//<base64 of the
  // SHA-256 of the DER SubjectPublicKeyInfo>"; and the pin of another key (the wrong client's),
  // which no server presents, for mismatch tests.
  std::string server_pin, other_pin;
};

// Made on the first call, once per process (thread-safe), with the `openssl` program found on
// PATH; the folder is removed when the process exits normally. Throws std::runtime_error with
// openssl's own output if a step fails, or naming the package if openssl is missing.
const TestCerts& test_certs();

}  // namespace rhc::testing
