// Client lifecycle: the client is an RAII object. Its destructor is close(): every pending
// future resolves and every pending callback runs (ClientClosedError where unfinished),
// and its threads are joined. Nothing to forget, nothing left running.
#include <future>
#include <iostream>
#include <memory>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";

  // GOOD: scope-bound (the Python guide's `async with`).
  {
    rhc::ResilientClient client(config);
    client.get("/msg").get();
  }  // closed here

  // GOOD: owned by whatever owns the work, closed explicitly when the work is over.
  std::unique_ptr<rhc::ResilientClient> client = rhc::create_resilient_client(config);
  rhc::RequestOptions slow;
  slow.params = {{"delay", "5000"}};
  std::future<rhc::Response> unfinished = client->get("/msg", slow);
  client->close();  // idempotent; safe from any thread except this client's own callbacks
  try {
    unfinished.get();
  } catch (const rhc::ClientClosedError& e) {
    std::cout << "closed before it finished: " << e.what() << "\n";
  }
  // After close(), calls resolve at once with ClientClosedError.
  try {
    client->get("/msg").get();
    return 1;
  } catch (const rhc::ClientClosedError&) {
    std::cout << "a closed client takes no more requests\n";
  }
}
