// Log sink: every line the client logs goes to a function of yours, as a LogRecord (severity,
// logger name, request id, message), instead of glog. No glog set-up, no glog in the build.
#include <chrono>
#include <iostream>
#include <rhc/rhc.hpp>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.logging.level = "INFO";  // the sink gets INFO, WARNING and ERROR lines
  config.logging.logger_name = "payments";
  config.retry.min_wait = std::chrono::milliseconds(100);

  // Runs on the client's threads, the event loop among them: keep it quick and never wait
  // for a request in it. rhc never calls sinks twice at once, so it needs no lock of its own.
  // An exception it throws is dropped with its line.
  std::vector<std::string> retried;  // ids of the requests the client retried
  config.logging.sink = [&retried](const rhc::LogRecord& record) {
    std::cout << record.severity << " " << record.logger << " req=" << record.request_id << " "
              << record.message << "\n";
    if (record.message.find("retrying") != std::string::npos) {
      retried.push_back(record.request_id);
    }
  };

  std::string id;
  {
    rhc::ResilientClient client(config);
    client.post("/fail/count/1").get();  // the test server fails the next /msg once
    id = client.get("/msg").get().request_id;
  }  // the client is gone: the sink is not called any more, `retried` is ours to read
  std::cout << "retried: " << (retried == std::vector<std::string>{id} ? "yes" : "no") << "\n";
  return retried == std::vector<std::string>{id} ? 0 : 1;
}
