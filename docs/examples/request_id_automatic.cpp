// Every request gets one X-Request-ID (a fresh UUIDv4 unless you give one), sent unchanged on
// every attempt, so the server can deduplicate retries. Here two failures are injected first:
// three attempts reach the server, one message is created.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.retry.min_wait = std::chrono::milliseconds(100);  // short waits, for the demo
  rhc::ResilientClient client(config);

  client.post("/fail/count/2").get();  // test server: fail the next 2 requests to /msg

  rhc::RequestOptions create;
  create.json = R"({"name": "John"})";
  rhc::Response response = client.post("/msg", create).get();

  std::cout << "X-Request-ID " << response.request_id << " was sent on all " << response.attempts
            << " attempts; message_id " << response.json()["message_id"].GetString() << "\n";
  return response.attempts == 3 ? 0 : 1;
}
