// Configuration from a JSON file with the Python guide's shape and key names (client_config.json).
//   ./config_json client_config.json [BASE_URL]
#include <fstream>
#include <iostream>
#include <rhc/rhc.hpp>
#include <sstream>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: config_json FILE.json [BASE_URL]\n";
    return 2;
  }
  std::ifstream file(argv[1]);
  std::stringstream text;
  text << file.rdbuf();

  rhc::ClientConfig config;
  try {
    config = rhc::ClientConfig::from_json(text.str());  // missing keys keep their defaults
  } catch (const rhc::ConfigError& e) {
    std::cerr << argv[1] << ": " << e.what() << "\n";  // unknown keys and bad values are named
    return 2;
  }
  if (argc > 2) config.base_url = argv[2];  // a file is a base; code may still override it

  std::cout << "retry: " << config.retry.max_attempts << " attempts, waits "
            << config.retry.min_wait.count() << "s.." << config.retry.max_wait.count() << "s; "
            << "bulkhead: " << config.bulkhead.max_concurrency << " slots\n";
  rhc::ResilientClient client(config);
  std::cout << "GET /msg -> " << client.get("/msg").get().status_code << "\n";
}
