// A TestServer on an ephemeral loopback port, started for one test case and stopped after it.
#pragma once

#include <string>
#include <test_server/test_server.hpp>

namespace rhc::test_server::testing {

class ServerFixture {
 public:
  explicit ServerFixture(ServerOptions options = {}) : server(std::move(options)) {
    server.start();
  }

  std::string url(const std::string& path) const { return server.base_url() + path; }

  TestServer server;
};

}  // namespace rhc::test_server::testing
