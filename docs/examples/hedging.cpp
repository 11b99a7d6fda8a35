// Hedging: the test server makes the first attempt of every request 1 s late; with hedging
// on, a second attempt starts after 50 ms without an answer, and wins.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.hedging.enabled = true;
  config.hedging.delay = std::chrono::milliseconds(50);  // in production: delay_percentile
  rhc::ResilientClient client(config);

  client.post("/fail/reset").get();
  rhc::RequestOptions fault;
  fault.params = {{"probability", "1"}, {"delay_ms", "1000"}, {"first_attempt", "true"}};
  client.post("/fail/slow", fault).get();

  const auto start = std::chrono::steady_clock::now();
  rhc::Response response = client.get("/msg").get();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  std::cout << "GET /msg -> HTTP " << response.status_code << " in " << ms << " ms, "
            << response.attempts << " attempts (the first was still waiting at the server)\n";

  // A POST may run twice only when the server can tell: an idempotency key, and an opt-in.
  rhc::RequestOptions order;
  order.idempotency_key = "order-42";
  order.hedge = true;
  order.json = R"({"item": "book"})";
  std::cout << "POST /msg with a key -> " << client.post("/msg", order).get().attempts
            << " attempts\n";
  std::cout << "hedges so far: " << client.stats().hedges << "\n";
  return response.attempts == 2 && ms < 1000 ? 0 : 1;
}
