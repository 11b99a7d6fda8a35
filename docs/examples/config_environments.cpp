// Environment-specific configurations, chosen once at start-up.
#include <cstdlib>
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

rhc::ClientConfig create_config_for_environment(const std::string& env) {
  rhc::ClientConfig config;
  if (env == "production") {
    config.base_url = env_or("PROD_API_URL", "");
    config.retry.max_attempts = 3;
    config.logging.level = "INFO";
  } else if (env == "staging") {
    config.base_url = env_or("STAGING_API_URL", "");
    config.retry.max_attempts = 5;  // more retries in staging
    config.logging.level = "DEBUG";
  } else {  // development
    config.base_url = "http://localhost:8000";
    config.logging.level = "DEBUG";
  }
  return config;
}

int main() {
  const std::string env = env_or("APP_ENV", "development");
  rhc::ClientConfig config = create_config_for_environment(env);
  config.validate();  // fail at start-up, not on the first request
  std::cout << env << ": " << (config.base_url.empty() ? "(no base_url)" : config.base_url) << ", "
            << config.retry.max_attempts << " attempts, logging " << config.logging.level << "\n";
}
