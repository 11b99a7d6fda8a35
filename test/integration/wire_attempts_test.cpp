// Attempts as the server counts them. RetryConfig::max_attempts bounds the attempts a request
// makes *on the wire*; these tests count them from the server's side (attempts_for).
#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

using rhc::test_server::Fault;
using rhc::test_server::TestServer;

namespace {

rhc::ClientConfig one_attempt_config(const TestServer& server) {
  rhc::ClientConfig c;
  c.base_url = server.base_url();
  c.retry.max_attempts = 1;
  c.circuit_breaker.failure_threshold = 1000;
  c.logging.level = "ERROR";
  return c;
}

}  // namespace

// libcurl (7.88, Debian 12) re-sends a request on a fresh connection, inside the same
// transfer, when a *reused* connection dies before any response byte ("Connection died,
// retrying a fresh connect"; lib/multi.c Curl_retry_request). The server's reset fault is
// exactly that, so one rhc attempt becomes two requests on the wire, the second of which
// can succeed: max_attempts = 1 and the server saw 2. libcurl 8.16 added
// CURLOPT_FORBID_RETRY_ON_REUSE for this; 7.88 has no switch, so rhc notices the re-send
// itself (a second PREREQFUNCTION call in one transfer) and counts or refuses it.
TEST_CASE("a reset on a reused connection is not re-sent behind the client's back",
          "[attempts][wire]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(one_attempt_config(server));
  REQUIRE(client.get("/msg").get().status_code == 200);  // leaves a keep-alive connection

  server.fail_next(1, Fault::reset());
  rhc::RequestOptions o;
  o.request_id = "reset-on-reused-connection";
  int client_attempts = 0;
  bool succeeded = false;
  try {
    auto r = client.get("/msg", o).get();
    client_attempts = r.attempts;
    succeeded = true;
  } catch (const rhc::APIConnectionError& e) {
    client_attempts = e.attempts();
  }
  CHECK(client_attempts == 1);
  // What the promise needs: one attempt allowed, one request on the wire, and the reset
  // surfaces as the request's error.
  CHECK(server.attempts_for(o.request_id.value()) == 1);
  CHECK_FALSE(succeeded);
}

TEST_CASE("a reset on a fresh connection is one attempt on the wire", "[attempts][wire]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(one_attempt_config(server));
  server.fail_next(1, Fault::reset());
  rhc::RequestOptions o;
  o.request_id = "reset-on-fresh-connection";
  try {
    client.get("/msg", o).get();
    FAIL("expected the reset to surface");
  } catch (const rhc::APIConnectionError& e) {
    CHECK(e.attempts() == 1);
  }
  CHECK(server.attempts_for(o.request_id.value()) == 1);
}

// The same re-send, repeated: libcurl's retry takes the next *idle* connection if there is
// one, so with k idle keep-alive connections a single attempt can reach the server k + 1
// times (up to libcurl's CONN_MAX_RETRIES = 5 re-sends), unless rhc counts each re-send.
TEST_CASE("one attempt reaches the server once even with idle connections to reset",
          "[attempts][wire]") {
  TestServer server;
  server.start();
  rhc::ResilientClient client(one_attempt_config(server));
  {
    // Four requests at once leave four idle keep-alive connections behind.
    rhc::RequestOptions slow;
    slow.params = {{"delay", "100"}};
    std::vector<std::future<rhc::Response>> warm;
    for (int i = 0; i < 4; ++i) warm.push_back(client.get("/msg", slow));
    for (auto& f : warm) REQUIRE(f.get().status_code == 200);
  }
  server.fail_next(100, Fault::reset());
  rhc::RequestOptions o;
  o.request_id = "reset-on-every-idle-connection";
  try {
    client.get("/msg", o).get();
    FAIL("every arrival is reset; the request cannot succeed");
  } catch (const rhc::APIConnectionError& e) {
    CHECK(e.attempts() == 1);
  }
  CHECK(server.attempts_for(o.request_id.value()) == 1);
}
