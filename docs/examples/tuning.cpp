// A high-throughput configuration: short timeouts, few and quick retries, more concurrency,
// less logging. Measure before and after with `rhc-probe load URL -c 50 -z 10s`.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>

using namespace std::chrono_literals;

rhc::ClientConfig high_throughput_config(const std::string& base_url) {
  rhc::ClientConfig config;
  config.base_url = base_url;

  // Aggressive timeouts
  config.timeout.connect = 30s;
  config.timeout.read = 10s;
  config.timeout.write = 10s;
  config.timeout.pool = 2s;
  config.timeout.total = 15s;  // a bound on the whole request, retries included

  // Minimal retries for high throughput
  config.retry.max_attempts = 2;
  config.retry.min_wait = 100ms;
  config.retry.max_wait = 1s;

  // Higher concurrency
  config.bulkhead.max_concurrency = 100;
  config.bulkhead.acquisition_timeout = 5s;
  config.max_host_connections = 100;  // connections to one host; 0 = as many as requests
  config.executor_threads = 4;        // only matters for the callback form

  // Less verbose logging
  config.logging.level = "WARNING";
  return config;
}

int main(int argc, char** argv) {
  const std::string base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(high_throughput_config(base_url));
  std::cout << "GET /msg -> " << client.get("/msg").get().status_code << "\n";
}
