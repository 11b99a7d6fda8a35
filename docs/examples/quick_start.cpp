// Quick start, future form: one GET through idempotency, breaker, bulkhead and retries.
//   rhc-test-server serve --port 8000 &
//   ./quick_start                 # or: ./quick_start http://127.0.0.1:PORT
#include <iostream>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";

  // One client per service: it owns the connections, the breaker and the bulkhead.
  // Its destructor closes it.
  rhc::ResilientClient client(config);
  try {
    rhc::Response response = client.get("/msg").get();  // get() returns a std::future at once
    rapidjson::Document data = response.json();
    std::cout << "Message ID: " << data["message_id"].GetString() << "\n";
  } catch (const rhc::MyAPIError& e) {  // every rhc error derives from it
    std::cerr << "request failed: " << e.what() << "\n";
    return 1;
  }
}
