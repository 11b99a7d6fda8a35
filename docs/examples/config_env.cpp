// Configuration from the environment: RHC_BASE_URL, RHC_TIMEOUT_CONNECT, RHC_TIMEOUT_READ,
// RHC_RETRY_MAX_ATTEMPTS, ... (the Python guide's key names, upper case, with a prefix), and
// RHC_CONFIG_FILE for a JSON file that single variables then override.
//   RHC_BASE_URL=http://localhost:8000 RHC_TIMEOUT_READ=5 ./config_env
#include <iostream>
#include <rhc/rhc.hpp>

int main() {
  rhc::ClientConfig config;
  try {
    config = rhc::ClientConfig::from_env();  // prefix "RHC_"; from_env("BILLING_API_") for another
  } catch (const rhc::ConfigError& e) {
    std::cerr << e.what() << "\n";  // names the variable, e.g. RHC_TIMEOUT_READ must be a number
    return 2;
  }
  if (config.base_url.empty()) config.base_url = "http://localhost:8000";

  std::cout << "base_url=" << config.base_url
            << " timeout.connect=" << config.timeout.connect.count() << "s"
            << " timeout.read=" << config.timeout.read.count() << "s"
            << " retry.max_attempts=" << config.retry.max_attempts << "\n";

  rhc::ResilientClient client(config);
  std::cout << "GET /health -> " << client.get("/health").get().status_code << "\n";
}
