// The bulkhead in action: at most 5 requests run at once. Ten slow requests (1 s each) are
// started together; five run, the other five wait for a slot, give up after
// acquisition_timeout and fail with PoolTimeoutError, without reaching the server.
#include <chrono>
#include <future>
#include <iostream>
#include <rhc/rhc.hpp>
#include <vector>

using namespace std::chrono_literals;

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.bulkhead.max_concurrency = 5;
  // The Python guide's 1.0 s would race the slow requests finishing after 1 s; 0.5 s makes it
  // clear.
  config.bulkhead.acquisition_timeout = 500ms;
  rhc::ResilientClient client(config);

  // Start many concurrent slow requests: each get() returns its future at once.
  rhc::RequestOptions slow;
  slow.params = {{"delay", "1000"}};  // the test server waits 1 s before answering
  std::vector<std::future<rhc::Response>> tasks;
  for (int i = 0; i < 10; ++i) tasks.push_back(client.get("/msg", slow));

  // Collect them all, like asyncio.gather(..., return_exceptions=True).
  int successes = 0;
  int pool_timeouts = 0;
  for (auto& task : tasks) {
    try {
      task.get();
      ++successes;
    } catch (const rhc::PoolTimeoutError&) {
      ++pool_timeouts;
    }
  }
  std::cout << "Successful requests: " << successes << "\n"
            << "Bulkhead timeouts: " << pool_timeouts << "\n";
  return successes == 5 && pool_timeouts == 5 ? 0 : 1;
}
