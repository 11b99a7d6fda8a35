// Metrics: serve the client's counters on GET /metrics for Prometheus to scrape. Any HTTP
// server will do; cpp-httplib keeps the example short.
// Build with cpp-httplib too: $(pkg-config --cflags --libs rhc cpp-httplib)
#include <httplib.h>

#include <chrono>
#include <future>
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>
#include <thread>

// Waits for a request; a failure is reported here and counted in the metrics.
void wait_for(std::future<rhc::Response> request) {
  try {
    request.get();
  } catch (const rhc::MyAPIError& e) {
    std::cerr << "request failed: " << e.what() << "\n";
  }
}

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.retry.min_wait = std::chrono::milliseconds(50);  // keep the example fast
  rhc::ResilientClient client(config);

  // Some traffic to count: a success, a 500 the retry recovers from, a 404 (counted as
  // rhc_failures_total{error="NotFoundError"}).
  wait_for(client.post("/fail/reset"));
  wait_for(client.get("/health"));
  wait_for(client.post("/fail/count/1"));
  wait_for(client.get("/msg"));
  wait_for(client.get("/no-such-path"));

  // The endpoint: a fresh snapshot per scrape, taken on the server's thread (stats() may be
  // called from any thread).
  httplib::Server server;
  server.Get("/metrics", [&client](const httplib::Request&, httplib::Response& res) {
    res.set_content(rhc::to_prometheus(client.stats()), "text/plain; version=0.0.4");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port < 0) {
    std::cerr << "cannot bind a port\n";
    return 1;
  }
  std::thread serving([&server] { server.listen_after_bind(); });
  for (int i = 0; i < 1000 && !server.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // stop() needs it running
  }

  // What Prometheus would do: scrape once, then stop (so the example ends).
  httplib::Client scraper("127.0.0.1", port);
  const httplib::Result scrape = scraper.Get("/metrics");
  server.stop();
  serving.join();
  if (!scrape || scrape->status != 200) {
    std::cerr << "scrape failed\n";
    return 1;
  }
  std::cout << scrape->body;
  return scrape->body.find("rhc_requests_total") != std::string::npos ? 0 : 1;
}
