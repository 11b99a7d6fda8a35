#include "demo.hpp"

#include <chrono>
#include <functional>
#include <future>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "outcome_class.hpp"

namespace rhc::probe {
namespace {

using namespace std::chrono_literals;
using rhc::test_server::TestServer;

// One scenario's narration: lines of what happened, and whether each expectation held.
class Scenario {
 public:
  explicit Scenario(std::string title) { std::cout << "\n== " << title << "\n"; }
  void say(const std::string& line) { std::cout << "   " << line << "\n"; }
  void expect(bool ok, const std::string& what) {
    std::cout << (ok ? "   ok    " : "   FAIL  ") << what << "\n";
    passed_ = passed_ && ok;
  }
  bool passed() const { return passed_; }

 private:
  bool passed_ = true;
};

rhc::ClientConfig demo_config(const TestServer& server, bool verbose) {
  rhc::ClientConfig c;
  c.base_url = server.base_url();
  c.retry.min_wait = 100ms;  // the Python guide's 1 s, shortened so the demo takes seconds
  c.retry.max_wait = 1s;
  c.logging.level = verbose ? "INFO" : "ERROR";
  return c;
}

std::string message_id(const rhc::Response& r) { return r.json()["message_id"].GetString(); }

bool retries(TestServer& server, bool verbose) {
  Scenario s("Retries: the server fails the next 2 requests (POST /fail/count/2)");
  server.reset();
  server.fail_next(2);
  rhc::ResilientClient client(demo_config(server, verbose));
  auto r = client.get("/msg").get();
  s.say("GET /msg -> " + std::to_string(r.status_code) + " after " + std::to_string(r.attempts) +
        " attempts, request id " + r.request_id);
  s.expect(r.status_code == 200 && r.attempts == 3,
           "two 500s were retried with backoff, the third attempt succeeded");
  s.expect(server.attempts_for(r.request_id) == 3,
           "the server saw 3 attempts, all carrying the same X-Request-ID");
  return s.passed();
}

bool circuit_breaker(TestServer& server, bool verbose) {
  Scenario s("Circuit breaker: failure_threshold=3, recovery_timeout=1s, sustained failures");
  server.reset();
  server.fail_next(10);
  auto config = demo_config(server, verbose);
  config.retry.max_attempts = 3;
  config.circuit_breaker.failure_threshold = 3;
  config.circuit_breaker.recovery_timeout = 1s;
  rhc::ResilientClient client(config);
  int server_errors = 0;
  for (int i = 0; i < 3; ++i) {
    try {
      client.get("/msg").get();
    } catch (const rhc::ServerError& e) {
      ++server_errors;
      s.say("call " + std::to_string(i + 1) + ": ServerError after " +
            std::to_string(e.attempts()) + " attempts");
    }
  }
  s.expect(server_errors == 3, "three calls ended in ServerError");
  s.expect(client.circuit_state() == rhc::CircuitState::Open, "the circuit is now OPEN");
  const auto seen = server.stats().msg_requests;
  try {
    client.get("/msg").get();
    s.expect(false, "the fourth call should fail fast");
  } catch (const rhc::APIConnectionError& e) {
    const bool open = std::string(e.what()).find("Circuit breaker is OPEN") != std::string::npos;
    s.say(std::string("call 4: ") + e.what());
    s.expect(open && server.stats().msg_requests == seen,
             "the fourth call failed fast with \"Circuit breaker is OPEN\", sending nothing");
  }
  s.say("waiting recovery_timeout (1 s)...");
  // Polled, with a bound, rather than a fixed sleep: a loaded machine may see it late.
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (client.circuit_state() == rhc::CircuitState::Open &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(20ms);
  }
  s.expect(client.circuit_state() == rhc::CircuitState::HalfOpen,
           "after recovery_timeout the circuit is HALF_OPEN: the next call is a trial");
  auto trial = client.get("/msg").get();
  s.say("trial call -> " + std::to_string(trial.status_code) + " after " +
        std::to_string(trial.attempts) + " attempts (it met the last injected failure)");
  s.expect(client.circuit_state() == rhc::CircuitState::Closed,
           "the trial succeeded and closed the circuit");
  return s.passed();
}

bool bulkhead(TestServer& server, bool verbose) {
  Scenario s("Bulkhead: max_concurrency=5, acquisition_timeout=0.5s, 10 requests of 2 s");
  server.reset();
  auto config = demo_config(server, verbose);
  config.bulkhead.max_concurrency = 5;
  config.bulkhead.acquisition_timeout = 500ms;
  rhc::ResilientClient client(config);
  rhc::RequestOptions slow;
  // Four times the acquisition timeout: the five waiting requests time out long before a slot
  // frees up, even in a slow (sanitizer) build where the demo runs as a test.
  slow.params = {{"delay", "2000"}};
  std::vector<std::future<rhc::Response>> tasks;
  for (int i = 0; i < 10; ++i) tasks.push_back(client.get("/msg", slow));
  int ok = 0, pool_timeouts = 0;
  for (auto& t : tasks) {
    try {
      ok += t.get().status_code == 200;
    } catch (const rhc::PoolTimeoutError&) {
      ++pool_timeouts;
    }
  }
  s.say("successful requests: " + std::to_string(ok) +
        ", bulkhead timeouts: " + std::to_string(pool_timeouts));
  s.expect(ok == 5 && pool_timeouts == 5,
           "5 ran at once; 5 waited 0.5 s for a slot and failed with PoolTimeoutError");
  s.expect(server.stats().msg_max_in_flight <= 5, "the server never saw more than 5 at once");
  return s.passed();
}

bool idempotency(TestServer& server, bool verbose) {
  Scenario s("Idempotency: a retried POST and a repeated request id keep one message_id");
  server.reset();
  server.fail_next(2);
  rhc::ResilientClient client(demo_config(server, verbose));
  rhc::RequestOptions order;
  order.request_id = "demo-order-1";
  order.json = R"({"item":"widget"})";
  auto first = client.post("/msg", order).get();
  auto second = client.post("/msg", order).get();
  s.say("first POST: message_id " + message_id(first) + " after " + std::to_string(first.attempts) +
        " attempts");
  s.say("second POST, same request id: message_id " + message_id(second));
  s.expect(message_id(first) == message_id(second),
           "the server deduplicated on X-Request-ID: one message, however many attempts");
  s.expect(server.attempts_for("demo-order-1") == 4,
           "4 attempts reached the server under that id (3 + 1)");
  return s.passed();
}

}  // namespace

int run_demo(bool verbose) {
  TestServer server;
  server.start();
  std::cout << "rhc demo: failure-injection server on " << server.base_url() << "\n";
  const std::vector<std::function<bool(TestServer&, bool)>> scenarios = {retries, circuit_breaker,
                                                                         bulkhead, idempotency};
  int failed = 0;
  for (const auto& scenario : scenarios) {
    try {
      if (!scenario(server, verbose)) ++failed;
    } catch (const std::exception& e) {
      std::cout << "   FAIL  unexpected error: " << e.what() << "\n";
      ++failed;
    }
  }
  std::cout << "\n"
            << (scenarios.size() - failed) << " of " << scenarios.size()
            << " scenarios behaved as expected\n";
  return failed == 0 ? 0 : 1;
}

}  // namespace rhc::probe
