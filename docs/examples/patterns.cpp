// Recommended patterns: one long-lived client, and many requests in flight at once.
#include <chrono>
#include <future>
#include <iostream>
#include <rhc/rhc.hpp>
#include <vector>

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  constexpr int kRequests = 100;

  // GOOD: a single long-lived client. Its connections, TLS sessions and DNS results are
  // reused from one request to the next.
  auto start = Clock::now();
  {
    rhc::ResilientClient client(config);
    for (int i = 0; i < kRequests; ++i) client.get("/msg").get();
  }
  std::cout << "one client, one request at a time:  " << seconds_since(start) << " s\n";

  // BETTER, when the requests are independent: start them all, then wait. They run
  // concurrently on the client's event loop (up to bulkhead.max_concurrency at once).
  start = Clock::now();
  {
    rhc::ResilientClient client(config);
    std::vector<std::future<rhc::Response>> responses;
    for (int i = 0; i < kRequests; ++i) responses.push_back(client.get("/msg"));
    for (auto& response : responses) response.get();
  }
  std::cout << "one client, all requests at once:   " << seconds_since(start) << " s\n";

  // BAD: a new client per request. Every request pays for a new connection (and TLS
  // handshake), and for starting and stopping the client's threads; each client has its
  // own breaker and bulkhead, so neither protects anything.
  start = Clock::now();
  for (int i = 0; i < kRequests; ++i) {
    rhc::ResilientClient client(config);
    client.get("/msg").get();
  }
  std::cout << "a new client per request:           " << seconds_since(start) << " s\n";
}
