// (d) rhc futures, (e) rhc callbacks and (f) the legacy shape (futures from caller threads),
// with the default policy chain fully on: a fresh idempotency id per request, the circuit
// breaker, the bulkhead sized to the concurrency, retry with jittered backoff; logging at
// WARNING.
#include "clients.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <stdexcept>
#include <utility>

#include <rhc/rhc.hpp>

#include "listeners.hpp"

namespace rhc::bench {

std::pair<std::string, std::string> split_url(const std::string& url) {
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme == std::string::npos || path == std::string::npos) {
    throw std::invalid_argument("--url must be http://host:port/path, not " + url);
  }
  return {url.substr(0, path), url.substr(path)};
}

ClientConfig bench_config(const Plan& plan, const std::string& base_url) {
  ClientConfig config;
  config.base_url = base_url;
  config.bulkhead.max_concurrency = plan.concurrency;
  config.logging.level = "WARNING";
  return config;
}

namespace {

bool is_ok(const Response& r) { return r.status_code == 200 && !r.text.empty(); }

class RhcWorkload : public Workload {
 public:
  explicit RhcWorkload(std::shared_ptr<CountingListener> listener = nullptr)
      : listener_(std::move(listener)) {}
  void prepare(const Plan& plan) override {
    auto [base, path] = split_url(plan.url);
    path_ = path;
    client_ = create_resilient_client(bench_config(plan, base));
    if (listener_ != nullptr) client_->add_listener(listener_);
  }
  void finish() override {
    if (listener_ == nullptr) {
      client_->close();
      return;
    }
    listener_->stop_sleeping();  // close() delivers what is still queued
    client_->close();
    print_event_counts(*listener_, client_->stats());
  }

 protected:
  std::unique_ptr<ResilientClient> client_;
  std::string path_;

 private:
  std::shared_ptr<CountingListener> listener_;
};

// One caller thread keeps `concurrency` futures in a first-in-first-out window: wait for the
// oldest, issue the next. Against one server the oldest request is, within noise, the next
// to finish, so the window stays full; a request that finished before an older one is
// counted when it is collected, as a caller of future::get() would see it.
class Futures final : public RhcWorkload {
 public:
  using RhcWorkload::RhcWorkload;
  void run(Plan& plan) override {
    std::deque<std::pair<std::future<Response>, Clock::time_point>> window;
    auto issue = [&] {
      if (!plan.may_issue()) return;
      const auto started = Clock::now();
      window.emplace_back(client_->get(path_), started);
    };
    for (int i = 0; i < plan.concurrency; ++i) issue();
    while (!window.empty()) {
      auto [future, started] = std::move(window.front());
      window.pop_front();
      bool ok = false;
      try {
        ok = is_ok(future.get());
      } catch (const std::exception&) {
      }
      plan.completed(started, Clock::now(), ok);
      issue();
    }
  }
};

// Closed loop through callbacks: each completion, on an executor thread, issues the next.
class Callbacks final : public RhcWorkload {
 public:
  void run(Plan& plan) override {
    plan_ = &plan;
    for (int i = 0; i < plan.concurrency; ++i) issue();
    std::unique_lock<std::mutex> lock(mutex_);
    drained_.wait(lock, [this] { return in_flight_ == 0; });
  }

 private:
  void issue() {
    if (!plan_->may_issue()) return;
    in_flight_.fetch_add(1);
    const auto started = Clock::now();
    client_->get(path_, {}, [this, started](Outcome outcome) {
      plan_->completed(started, Clock::now(), outcome.ok() && is_ok(*outcome.response));
      issue();
      if (in_flight_.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);
        drained_.notify_all();
      }
    });
  }

  Plan* plan_ = nullptr;
  std::mutex mutex_;
  std::condition_variable drained_;
  std::atomic<long> in_flight_{0};
};

// The legacy shape: code that ran a thread per request in flight, each calling
// curl_easy_perform, migrated to rhc with the fewest changes: the same threads, each now
// blocking on get().get() against one client shared by all of them.
class FuturesThreads final : public RhcWorkload {
 public:
  void run(Plan& plan) override {
    run_caller_threads(plan, [this] {
      try {
        return is_ok(client_->get(path_).get());
      } catch (const std::exception&) {
        return false;
      }
    });
  }
};

}  // namespace

std::unique_ptr<Workload> make_rhc_futures(std::shared_ptr<CountingListener> listener) {
  return std::make_unique<Futures>(std::move(listener));
}
std::unique_ptr<Workload> make_rhc_callbacks() { return std::make_unique<Callbacks>(); }
std::unique_ptr<Workload> make_rhc_futures_threads() { return std::make_unique<FuturesThreads>(); }

}  // namespace rhc::bench
