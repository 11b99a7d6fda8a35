// Custom logging: rhc logs through glog. The host program owns glog's set-up (flags, sinks,
// InitGoogleLogging); LoggingConfig says what the client logs and how its lines start.
// Build with glog too: $(pkg-config --cflags --libs rhc libglog)
#include <glog/logging.h>

#include <chrono>
#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  // Set glog up once, first thing in main(): to stderr instead of log files.
  FLAGS_logtostderr = true;
  google::InitGoogleLogging(argv[0]);  // yours to call: rhc never does, and glog aborts on a
                                       // second call. Without it rhc writes to stderr itself.

  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.logging.level = "DEBUG";  // no need for glog's --v: the client's level decides
  config.logging.logger_name = "my_resilient_client";
  config.retry.min_wait = std::chrono::milliseconds(100);
  rhc::ResilientClient client(config);

  // The client will now log every attempt, the retry and its wait, each line starting with
  // "[my_resilient_client] [req=<X-Request-ID>]".
  client.post("/fail/count/1").get();
  rhc::Response response = client.get("/msg").get();
  LOG(INFO) << "got message after " << response.attempts << " attempts";  // your own lines
}
