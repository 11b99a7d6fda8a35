// A health check through the client: it takes the same path as real requests, so an open
// circuit shows up as unhealthy at once, and a saturated bulkhead or a slow service within
// the check's own 2 s deadline.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>

bool check_client_health(rhc::ResilientClient& client) {
  if (client.circuit_state() == rhc::CircuitState::Open) return false;  // known bad: no I/O
  rhc::RequestOptions quick;
  quick.timeout = client.config().timeout;
  quick.timeout->total = std::chrono::seconds(2);  // a health check must answer quickly
  try {
    return client.get("/health", quick).get().status_code == 200;
  } catch (const rhc::MyAPIError& e) {
    std::cerr << "Client health check failed: " << e.what() << "\n";
    return false;
  }
}

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(config);
  const bool healthy = check_client_health(client);
  std::cout << (healthy ? "healthy" : "unhealthy") << "\n";
  return healthy ? 0 : 1;
}
