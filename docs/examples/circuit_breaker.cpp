// The circuit breaker in action: three requests in a row fail (each after its retries), the
// circuit opens and the fourth request fails fast without any I/O; after recovery_timeout a
// trial request goes through and, succeeding, closes the circuit again.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>
#include <thread>

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.circuit_breaker.failure_threshold = 3;
  config.circuit_breaker.recovery_timeout = 2s;  // the Python guide says 5 s; shorter for the demo
  config.retry.max_attempts = 3;                 // 3 requests x 3 attempts = 9 failures
  config.retry.min_wait = 100ms;
  config.retry.max_wait = 1s;
  rhc::ResilientClient client(config);

  client.post("/fail/reset").get();
  client.post("/fail/count/10").get();  // sustained failures: the next 10 /msg get a 500

  // Generate failures to trip the circuit breaker. The breaker counts failed requests,
  // not attempts: each of these made 3 attempts.
  for (int i = 0; i < 3; ++i) {
    try {
      client.get("/msg").get();
    } catch (const rhc::ServerError& e) {
      std::cout << "request " << i + 1 << ": ServerError after " << e.attempts() << " attempts\n";
    }
  }
  std::cout << "circuit: " << rhc::to_string(client.circuit_state()) << "\n";  // OPEN

  // The circuit is open: the next call fails fast, without touching the network.
  try {
    client.get("/msg").get();
    return 1;
  } catch (const rhc::CircuitOpenError& e) {
    // An APIConnectionError whose what() contains "Circuit breaker is OPEN"; attempts() == 0.
    std::cout << "Circuit breaker successfully opened! " << e.what() << "\n";
  }

  // After recovery_timeout, one trial request is let through (HALF_OPEN). It meets the tenth
  // injected failure, is retried, succeeds, and the circuit closes.
  std::this_thread::sleep_for(config.circuit_breaker.recovery_timeout + 100ms);
  std::cout << "circuit: " << rhc::to_string(client.circuit_state()) << "\n";  // HALF_OPEN
  rhc::Response trial = client.get("/msg").get();
  std::cout << "trial: HTTP " << trial.status_code << " after " << trial.attempts
            << " attempts; circuit: " << rhc::to_string(client.circuit_state()) << "\n";
  return client.circuit_state() == rhc::CircuitState::Closed ? 0 : 1;
}
