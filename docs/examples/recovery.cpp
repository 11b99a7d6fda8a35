// Error recovery on top of the client's own resilience. By the time an APIConnectionError
// reaches you the client has already retried it; what is left is an application decision:
// wait longer and try again, fall back to something else, or give up.
#include <chrono>
#include <iostream>
#include <optional>
#include <rhc/rhc.hpp>
#include <string>
#include <thread>

using namespace std::chrono_literals;

// The Python guide's robust_api_call: a few more tries, far apart, for a caller that would rather
// wait than fail. It blocks the calling thread, so call it from your own worker threads.
rhc::Response robust_api_call(rhc::ResilientClient& client, const std::string& endpoint,
                              int max_retries = 3, rhc::Seconds pause = 5s) {
  for (int attempt = 1;; ++attempt) {
    try {
      return client.get(endpoint).get();
    } catch (const rhc::APIConnectionError& e) {
      // Already retried by the client (or refused by the open circuit): a final failure.
      if (attempt == max_retries) {
        std::cout << "Service unavailable after " << max_retries << " attempts\n";
        throw;
      }
      std::cout << "Service issue, waiting before next attempt: " << e.what() << "\n";
      std::this_thread::sleep_for(pause);  // additional backoff
    } catch (const rhc::APIStatusError& e) {
      // Not retryable: fail immediately.
      std::cout << "Client error (not retryable): " << e.what() << "\n";
      throw;
    }
  }
}

// Another strategy: degrade instead of failing. Serve the last good answer while the
// service is down or the client is saturated; let everything else through.
class CachedMessage {
 public:
  explicit CachedMessage(rhc::ResilientClient& client) : client_(client) {}

  std::optional<std::string> get() {
    try {
      last_good_ = client_.get("/msg").get().text;
    } catch (const rhc::APIConnectionError& e) {
      std::cout << "serving the cached answer: " << e.what() << "\n";
    } catch (const rhc::PoolTimeoutError& e) {
      std::cout << "serving the cached answer: " << e.what() << "\n";
    }
    return last_good_;
  }

 private:
  rhc::ResilientClient& client_;
  std::optional<std::string> last_good_;
};

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.retry.max_attempts = 2;
  config.retry.min_wait = 100ms;
  rhc::ResilientClient client(config);

  // Three failures: the client's two attempts fail, the application waits and tries again,
  // the client's first attempt fails once more, its retry succeeds.
  client.post("/fail/count/3").get();
  rhc::Response response = robust_api_call(client, "/msg", 3, 200ms);
  std::cout << "robust_api_call: HTTP " << response.status_code << "\n";

  CachedMessage message(client);
  const std::optional<std::string> fresh = message.get();
  client.post("/fail/count/2").get();
  const std::optional<std::string> cached = message.get();  // both attempts fail: cached
  return fresh && cached == fresh ? 0 : 1;
}
