// Retries in action: the test server fails the next two requests to /msg with a 500; the
// client waits (backoff with jitter) and retries, and the third attempt succeeds. With the
// the Python guide's defaults (5 attempts, min_wait 1 s) this takes two to three seconds.
#include <iomanip>
#include <iostream>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(config);

  // Configure the test server to fail 2 requests (the Python guide did this with a second client;
  // control requests to /fail/* never count as /msg requests, so this one is fine too).
  client.post("/fail/reset").get();
  client.post("/fail/count/2").get();

  // The client retries for you and succeeds.
  rhc::Response response = client.get("/msg").get();
  std::cout << "GET /msg -> HTTP " << response.status_code << " after " << response.attempts
            << " attempts in " << std::setprecision(2) << response.elapsed.count() << " s\n";

  // The server's side: /stats counts the attempts that reached it, per X-Request-ID.
  rapidjson::Document stats = client.get("/stats").get().json();
  const auto& attempts = stats["request_ids"]["attempts"][response.request_id.c_str()];
  std::cout << "the server saw " << attempts.GetUint64() << " attempts, all with X-Request-ID "
            << response.request_id << "\n";

  if (response.status_code != 200 || response.attempts != 3) return 1;
  std::cout << "Successfully recovered from failures via retries!\n";
}
