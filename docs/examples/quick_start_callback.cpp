// Quick start, callback form: the call returns at once and the callback runs later on one of
// the client's executor threads (never the caller's, never the event loop's).
#include <future>
#include <iostream>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(config);

  std::promise<bool> done;  // only so that main() can wait for the callback
  client.get("/msg", {}, [&done](rhc::Outcome outcome) {
    try {
      rhc::Response& response = outcome.value();  // rethrows the error, if there is one
      std::cout << "Message ID: " << response.json()["message_id"].GetString() << " ("
                << response.attempts << " attempt(s), X-Request-ID " << response.request_id
                << ")\n";
      done.set_value(true);
    } catch (const rhc::MyAPIError& e) {
      std::cerr << "request failed: " << e.what() << "\n";
      done.set_value(false);
    }
  });
  return done.get_future().get() ? 0 : 1;
}
