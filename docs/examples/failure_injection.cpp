// Failure-injection testing against rhc-test-server: the Python guide's walk-through, as a program
// that exits non-zero when the client does not behave as promised. Any test framework will
// do; plain checks keep the example short.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>

int failures = 0;
void check(bool ok, const std::string& what) {
  std::cout << (ok ? "ok    " : "FAIL  ") << what << "\n";
  if (!ok) ++failures;
}

std::string message_id(const rhc::Response& r) { return r.json()["message_id"].GetString(); }

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.retry.min_wait = std::chrono::milliseconds(100);  // keep the test fast
  rhc::ResilientClient client(config);

  // Setup: reset the server's state (faults, idempotency cache, counters).
  client.post("/fail/reset").get();

  // Test 1: successful operation
  check(client.get("/msg").get().status_code == 200, "GET /msg succeeds");

  // Test 2: configure server failures; the request succeeds despite them
  client.post("/fail/count/2").get();
  rhc::Response retried = client.get("/msg").get();
  check(retried.status_code == 200 && retried.attempts == 3, "recovers from 2 failures");

  // Test 3: idempotency: the same request id gets the same message_id
  rhc::RequestOptions same_id;
  same_id.request_id = "test-idempotent-123";
  rhc::Response first = client.get("/msg", same_id).get();
  rhc::Response second = client.get("/msg", same_id).get();
  check(message_id(first) == message_id(second), "same request id, same message_id");

  // Test 4: a 429 with Retry-After is honoured: the retry waits at least that long
  client.post("/fail/count/1?status=429&retry_after=1").get();
  rhc::Response limited = client.get("/msg").get();
  check(limited.attempts == 2 && limited.elapsed >= std::chrono::seconds(1),
        "waits for Retry-After before retrying a 429");

  // Test 5: a connection reset before any response byte is survived, and the attempt
  // that succeeds carries the same X-Request-ID: the server's "attempt" counts them.
  client.post("/fail/count/1?kind=reset").get();
  rhc::Response after_reset = client.get("/msg").get();
  check(after_reset.json()["attempt"].GetUint64() == 2, "survives a reset connection");

  return failures == 0 ? 0 : 1;
}
