// Events: a listener that reports retries, refused retries and breaker changes as they
// happen, then the client's stats() snapshot. The test server fails the next two requests to
// /msg, so the client retries twice before it is served.
#include <atomic>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <rhc/rhc.hpp>

// Runs on the client's event thread, one event at a time, in order: it may print without a
// lock of its own, but anything it shares with other threads needs one (here: an atomic).
class RetryReporter : public rhc::Listener {
 public:
  void on_event(const rhc::Event& e) override {
    switch (e.kind) {
      case rhc::EventKind::RetryScheduled:
        ++retries;
        std::cout << e.method << " " << e.url << " attempt " << e.attempt << " failed (" << e.error
                  << "), retry in " << std::fixed << std::setprecision(3) << e.wait.count()
                  << " s\n";
        break;
      case rhc::EventKind::RetrySuppressed:
        std::cout << e.request_id << ": not retried (" << e.reason << ")\n";
        break;
      case rhc::EventKind::BreakerTransition:
        std::cout << "breaker " << (e.authority.empty() ? "of the client" : e.authority) << ": "
                  << rhc::to_string(e.from) << " -> " << rhc::to_string(e.to) << "\n";
        break;
      case rhc::EventKind::RequestEnd:
        std::cout << e.request_id << " ended after " << e.attempt << " attempt(s): "
                  << (e.error.empty() ? "HTTP " + std::to_string(e.status_code) : e.error) << "\n";
        break;
      default:
        break;
    }
  }
  std::atomic<int> retries{0};
};

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.retry.min_wait = std::chrono::milliseconds(50);  // keep the example fast
  auto client = rhc::create_resilient_client(config);
  auto reporter = std::make_shared<RetryReporter>();
  client->add_listener(reporter);

  client->post("/fail/reset").get();
  client->post("/fail/count/2").get();
  rhc::Response response = client->get("/msg").get();
  client->close();  // delivers the events still queued before it returns

  // The figures as close() left them (stats() also answers on a running client, any thread).
  const rhc::ClientStats stats = client->stats();
  std::cout << "requests " << stats.requests << ", attempts " << stats.attempts << ", retries "
            << stats.retries << ", p99 " << stats.request_duration.quantile(0.99) << " s\n";
  for (const rhc::AuthorityStats& a : stats.authorities) {
    std::cout << a.authority << ": breaker " << rhc::to_string(a.breaker_state) << ", "
              << a.requests << " requests\n";
  }
  return response.status_code == 200 && reporter->retries == 2 ? 0 : 1;
}
