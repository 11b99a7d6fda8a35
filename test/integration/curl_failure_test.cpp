// libcurl calls that fail (no easy handle, the multi handle refusing one), made to fail
// through the loop's seam (loop/curl_calls.hpp): the request still ends with a typed,
// retried error, reported like any other outcome, and the client goes on working.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <string>

#include <rhc/rhc.hpp>

#include "echo_server.hpp"
#include "loop/curl_calls.hpp"

using namespace std::chrono_literals;

namespace {

std::atomic<int> failed_calls{0};

CURL* no_easy_handle() {
  ++failed_calls;
  return nullptr;
}

CURLMcode refuse_handle(CURLM*, CURL*) {
  ++failed_calls;
  return CURLM_OUT_OF_MEMORY;
}

rhc::ClientConfig config_for(const std::string& base_url) {
  rhc::ClientConfig config;
  config.base_url = base_url;
  config.logging.level = "ERROR";
  config.retry.max_attempts = 3;
  config.retry.min_wait = rhc::Seconds(0.001);
  config.retry.max_wait = rhc::Seconds(0.001);
  config.circuit_breaker.failure_threshold = 100;
  return config;
}

// Restores the real libcurl calls however the test ends.
struct SeamGuard {
  rhc::detail::CurlCalls saved = rhc::detail::curl_calls();
  ~SeamGuard() { rhc::detail::curl_calls() = saved; }
};

}  // namespace

TEST_CASE("an attempt that cannot get a handle, or cannot be added, fails typed and retried",
          "[client][curl]") {
  rhc::testing::EchoServer server;
  SeamGuard guard;
  failed_calls = 0;
  // Set before the client exists: an idle loop makes spare handles ahead of need
  // (EasyPool::use_idle_time), which would otherwise serve the first attempts.
  SECTION("no easy handle") { rhc::detail::curl_calls().easy_init = no_easy_handle; }
  SECTION("the multi handle refuses it") {
    rhc::detail::curl_calls().multi_add_handle = refuse_handle;
  }
  rhc::ResilientClient client(config_for(server.base_url()));
  auto f = client.get("/echo");
  REQUIRE(f.wait_for(60s) == std::future_status::ready);
  try {
    f.get();
    FAIL("expected an APIConnectionError");
  } catch (const rhc::APIConnectionError& e) {
    CHECK(e.attempts() == 3);
    CHECK(e.retryable());
    CHECK(std::string(e.what()).find("could not") != std::string::npos);
  }
  // One failed call per attempt at least; an idle loop also tries to make spare handles.
  CHECK(failed_calls >= 3);
  CHECK(server.requests_seen() == 0);

  rhc::detail::curl_calls() = guard.saved;  // the client goes on as if nothing happened
  CHECK(client.get("/echo").get().status_code == 200);
}
