// Two ways to stop waiting (beyond the Python guide): a CancelToken, from any thread, and
// timeout.total, a deadline on the whole request, retries and backoff included.
#include <chrono>
#include <future>
#include <iostream>
#include <rhc/rhc.hpp>
#include <thread>

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  rhc::ResilientClient client(config);
  int surprises = 0;

  // Cancellation: the user went away, the job was aborted... The request ends with
  // CancelledError wherever it is (waiting for a slot, in flight, in backoff), its transfer
  // is dropped and its bulkhead slot freed. Never retried; the breaker does not count it.
  rhc::CancelToken token;  // copies share one state; one token may cancel many requests
  rhc::RequestOptions slow;
  slow.params = {{"delay", "5000"}};
  slow.cancel = token;
  std::future<rhc::Response> pending = client.get("/msg", slow);
  std::this_thread::sleep_for(100ms);
  token.cancel();  // thread-safe, idempotent
  try {
    pending.get();
    ++surprises;
  } catch (const rhc::CancelledError& e) {
    std::cout << "cancelled: " << e.what() << "\n";
  }

  // A deadline for the whole request: the client's timeout.total, or per request.
  rhc::RequestOptions deadline;
  deadline.params = {{"delay", "2000"}};
  deadline.timeout = config.timeout;  // keep the client's other timeouts
  deadline.timeout->total = 500ms;
  try {
    client.get("/msg", deadline).get();
    ++surprises;
  } catch (const rhc::APITimeoutError& e) {
    std::cout << rhc::to_string(e.which()) << " timeout: " << e.what() << "\n";  // "total"
    if (e.which() != rhc::TimeoutKind::Total) ++surprises;
  }
  return surprises == 0 ? 0 : 1;
}
