// A small cpp-httplib server for the core's integration tests: it echoes what arrived
// (method, path, query, headers, body, the client's port) and answers with any status, so a
// test can check what rhc really sent. Faults and resilience scenarios use the
// failure-injection server (tools/test-server) instead.
#pragma once

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>

namespace rhc::testing {

class EchoServer {
 public:
  EchoServer();   // listening on 127.0.0.1, ephemeral port, before it returns
  ~EchoServer();  // stops
  std::string base_url() const;
  int port() const { return port_; }
  // Distinct client ports seen: the number of TCP connections used.
  std::size_t connections_seen() const;
  std::size_t requests_seen() const { return requests_.load(); }

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<std::size_t> requests_{0};
};

// Accepts TCP connections and never reads or answers (a stalled server), or, with
// accept_connections=false, never even accepts them (its backlog fills up: connects hang).
class SilentServer {
 public:
  explicit SilentServer(bool accept_connections = true);
  ~SilentServer();
  std::string base_url() const;
  std::size_t accepted() const { return accepted_.load(); }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> accepted_{0};
  std::thread thread_;
};

}  // namespace rhc::testing
