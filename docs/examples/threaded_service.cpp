// A legacy threaded service sharing one client across its worker pool: the Python guide's FastAPI
// example, C++-style. A fixed pool of worker threads handles incoming requests, and every
// handler calls the one ResilientClient of the process.
//
// - The client is created at start-up, before the workers, and closed after they stop (the
//   Python guide's lifespan): it is the first member, so it is constructed first, destroyed
//   last.
// - Handlers get it by reference (the Python guide's Depends(get_api_client)); no global.
// - A worker may block on future.get(): the I/O runs on the client's own event-loop thread,
//   and the bulkhead caps what reaches the downstream service whatever the pool's size.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <iostream>
#include <memory>
#include <mutex>
#include <rhc/rhc.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

// The legacy part: a queue of jobs and N threads that run them.
class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { run(); });
  }
  ~WorkerPool() {  // runs the jobs already queued, then joins
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (auto& worker : workers_) worker.join();
  }
  void submit(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
  }

 private:
  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

struct HttpReply {
  int status;
  std::string body;
};

// GET /proxy-data: the endpoint that uses the resilient client. Failures the client could
// not absorb become the service's own 5xx answers.
HttpReply proxy_data(rhc::ResilientClient& client) {
  try {
    rhc::Response response = client.get("/msg").get();
    return {200, response.text};
  } catch (const rhc::CircuitOpenError&) {
    return {503, R"({"error": "upstream unavailable, failing fast"})"};
  } catch (const rhc::PoolTimeoutError&) {
    return {503, R"({"error": "too many requests to upstream"})"};
  } catch (const rhc::APIConnectionError&) {
    return {502, R"({"error": "upstream failed"})"};
  } catch (const rhc::MyAPIError&) {
    return {500, R"({"error": "internal"})"};
  }
}

class Service {
 public:
  Service(rhc::ClientConfig config, int workers) : client_(std::move(config)), pool_(workers) {}

  // The front end (your legacy HTTP server) hands each incoming request over here.
  void handle(std::string path, std::function<void(HttpReply)> reply) {
    pool_.submit([this, path = std::move(path), reply = std::move(reply)] {
      reply(path == "/proxy-data" ? proxy_data(client_) : HttpReply{404, "{}"});
    });
  }

 private:
  rhc::ResilientClient client_;  // first: constructed before the workers, destroyed after
  WorkerPool pool_;
};

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.bulkhead.max_concurrency = 4;  // at most 4 calls to upstream, with 8 workers
  config.retry.min_wait = std::chrono::milliseconds(100);

  Service service(config, 8);

  // Twenty incoming requests, as the front end would deliver them.
  std::vector<std::future<HttpReply>> replies;
  for (int i = 0; i < 20; ++i) {
    auto promise = std::make_shared<std::promise<HttpReply>>();
    replies.push_back(promise->get_future());
    service.handle("/proxy-data", [promise](HttpReply r) { promise->set_value(std::move(r)); });
  }
  int ok = 0;
  for (auto& reply : replies) ok += reply.get().status == 200 ? 1 : 0;
  std::cout << ok << " of 20 requests served\n";
  return ok == 20 ? 0 : 1;
}
