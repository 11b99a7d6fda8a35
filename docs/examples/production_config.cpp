// Recommended production settings. The base URL comes from the environment (API_BASE_URL);
// any field can also be overridden per deployment through RHC_* variables, see
// ClientConfig::from_env.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>

using namespace std::chrono_literals;

constexpr const char* kServiceVersion = "2.3.1";  // your service's version

rhc::ClientConfig production_config(const std::string& base_url) {
  rhc::ClientConfig config;
  config.base_url = base_url;

  config.timeout.connect = 60s;  // allow for slower initial connections
  config.timeout.read = 30s;     // reasonable read timeout
  config.timeout.write = 30s;    // reasonable write timeout
  config.timeout.pool = 10s;     // waiting for a connection
  config.timeout.total = 120s;   // nothing waits longer than this, whatever happens

  config.retry.max_attempts = 3;  // conservative retry count
  config.retry.min_wait = 1s;
  config.retry.max_wait = 30s;
  config.retry.jitter = true;  // essential in production: spreads retries of many clients

  config.circuit_breaker.failure_threshold = 5;
  config.circuit_breaker.recovery_timeout = 60s;  // longer recovery time

  config.bulkhead.max_concurrency = 20;  // based on your service's capacity
  config.bulkhead.acquisition_timeout = 10s;

  config.logging.level = "INFO";  // avoid DEBUG in production
  config.logging.include_request_id = true;

  config.verify_ssl = true;  // always verify TLS in production (the default)
  config.user_agent = std::string("MyService/") + kServiceVersion;
  return config;
}

int main() {
  const char* base_url = std::getenv("API_BASE_URL");
  if (base_url == nullptr) {
    std::cerr << "API_BASE_URL is not set\n";
    return 2;
  }
  rhc::ResilientClient client(production_config(base_url));  // throws ConfigError if invalid
  std::cout << "rhc " << rhc::version() << ", GET /health -> "
            << client.get("/health").get().status_code << "\n";
}
