// Catching by family: retryable failures (already retried when they reach you), client
// errors (never retried), bulkhead saturation, and the catch-all base.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>

// What happened to one GET, in the Python guide's words. Catch the more specific classes first.
std::string fetch(rhc::ResilientClient& client, const std::string& path) {
  try {
    rhc::Response response = client.get(path).get();
    return "HTTP " + std::to_string(response.status_code);
  } catch (const rhc::APIConnectionError& e) {
    // Network failures, timeouts, 408, 429 and 5xx: the client already retried these.
    return std::string("Connection error after retries: ") + e.what();
  } catch (const rhc::APIStatusError& e) {
    // Other 4xx: failed at once, retrying would not help.
    return std::string("Client error (no retry): ") + e.what();
  } catch (const rhc::PoolTimeoutError& e) {
    // No bulkhead slot within acquisition_timeout: the client is saturated.
    return std::string("Client overloaded: ") + e.what();
  } catch (const rhc::MyAPIError& e) {
    // Anything else from rhc: ConfigError, CancelledError, ClientClosedError, ...
    return std::string("Client library error: ") + e.what();
  }
}

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.retry.max_attempts = 2;
  config.retry.min_wait = std::chrono::milliseconds(100);
  rhc::ResilientClient client(config);

  std::cout << fetch(client, "/msg") << "\n";       // HTTP 200
  std::cout << fetch(client, "/api/data") << "\n";  // the test server has no such path: 404
  client.post("/fail/count/2?status=503").get();    // the next two /msg requests get a 503
  std::cout << fetch(client, "/msg") << "\n";       // ServiceUnavailableError, 2 attempts
}
