// Retries that protect the server: POST is not retried once it may have been processed
// (unsafe_methods = WhenSafe), GET is; one request gets more attempts than the client's
// default; and the per-host retry budget caps what an outage costs the server.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.retry.min_wait = 10ms;  // short waits, for the example
  config.retry.max_wait = 100ms;
  config.retry.unsafe_methods = rhc::UnsafeRetry::WhenSafe;  // POST/PATCH: only if unprocessed
  // The retry budget's defaults, spelled out: per host, retries may add 20 % to first
  // attempts, plus a reserve of 10 per second, over the last 10 s.
  config.retry.budget.ratio = 0.2;
  config.retry.budget.min_retries_per_second = 10;
  config.retry.budget.window = 10s;
  rhc::ResilientClient client(config);
  client.post("/fail/reset").get();

  // A 500 to a POST may mean the order was created: under WhenSafe it is not sent again.
  client.post("/fail/count/1").get();
  try {
    client.post("/msg", {}).get();
  } catch (const rhc::ServerError& e) {
    std::cout << "POST: " << e.attempts() << " attempt; " << e.what() << "\n";
  }

  // The same failure on a GET is retried as usual.
  client.post("/fail/count/1").get();
  rhc::Response g = client.get("/msg").get();
  std::cout << "GET: HTTP " << g.status_code << " after " << g.attempts << " attempts\n";

  // One request may get more (or fewer) attempts than the client's default of 5.
  client.post("/fail/count/6").get();
  rhc::RequestOptions patient;
  patient.max_attempts = 8;
  rhc::Response r = client.get("/msg", patient).get();
  std::cout << "a patient GET succeeded after " << r.attempts << " attempts\n";
  return r.attempts == 7 ? 0 : 1;
}
