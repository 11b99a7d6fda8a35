// Observability: structured JSON log lines (the Python guide's structlog set-up, as a glog LogSink)
// and per-request metrics from what every Response and error carries.
// Build with glog too: $(pkg-config --cflags --libs rhc libglog)
#include <glog/logging.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <mutex>
#include <rhc/rhc.hpp>
#include <string>

// Renders every glog line as one JSON object on stdout:
//   {"ts":"2026-11-28T17:24:16.303313Z","level":"INFO","logger":"orders_api",
//    "request_id":"9306ccd2-...","message":"GET http://127.0.0.1:38593/msg attempt 1 failed
//    (HTTP 500); retrying in 50 ms"}
// rhc's lines start with "[logger_name] [req=<id>] "; the sink lifts both into fields.
class JsonLogSink : public google::LogSink {
 public:
  using google::LogSink::send;
  void send(google::LogSeverity severity, const char* /*full_filename*/,
            const char* /*base_filename*/, int /*line*/, const google::LogMessageTime& time,
            const char* message, size_t message_len) override {
    std::string text(message, message_len);
    const std::string logger = take_bracketed(text, "[");
    const std::string request_id = take_bracketed(text, "[req=");

    std::tm utc{};
    const std::time_t seconds = time.timestamp();
    gmtime_r(&seconds, &utc);
    char date[24];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
    char ts[48];
    std::snprintf(ts, sizeof ts, "%s.%06dZ", date, static_cast<int>(time.usec()));

    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> json(out);
    json.StartObject();
    json.Key("ts");
    json.String(ts);
    json.Key("level");
    json.String(google::GetLogSeverityName(severity));
    if (!logger.empty()) {
      json.Key("logger");
      json.String(logger.c_str());
    }
    if (!request_id.empty()) {
      json.Key("request_id");
      json.String(request_id.c_str());
    }
    json.Key("message");
    json.String(text.c_str());
    json.EndObject();

    std::lock_guard<std::mutex> lock(mutex_);  // glog calls sinks from any thread
    std::cout << out.GetString() << "\n";
  }

 private:
  // Removes "<open>value] " from the front of `text` and returns value ("" if absent).
  static std::string take_bracketed(std::string& text, const std::string& open) {
    const std::size_t end = text.find("] ");
    if (text.compare(0, open.size(), open) != 0 || end == std::string::npos) return "";
    std::string value = text.substr(open.size(), end - open.size());
    text.erase(0, end + 2);
    return value;
  }
  std::mutex mutex_;
};

// Counters a metrics library (Prometheus, StatsD, ...) would export.
struct Metrics {
  std::map<std::string, int> outcomes;  // "200", "ServerError", "CircuitOpenError", ...
  int attempts = 0;                     // attempts that reached the transport
  double seconds = 0;                   // time spent in requests, retries and waits included

  void observe(const rhc::Response& r) {
    ++outcomes[std::to_string(r.status_code)];
    attempts += r.attempts;
    seconds += r.elapsed.count();
  }
  void observe(const rhc::MyAPIError& e, const char* kind) {
    ++outcomes[kind];
    attempts += e.attempts();
  }
};

int main(int argc, char** argv) {
  // Lines go to the sink only: no log files, nothing on stderr.
  for (int severity = 0; severity < google::NUM_SEVERITIES; ++severity) {
    google::SetLogDestination(severity, "");
  }
  FLAGS_stderrthreshold = google::GLOG_FATAL;
  google::InitGoogleLogging(argv[0]);
  JsonLogSink sink;
  google::AddLogSink(&sink);

  rhc::ClientConfig config;
  config.base_url = argc > 1 ? argv[1] : "http://localhost:8000";
  config.logging.logger_name = "orders_api";
  config.retry.min_wait = std::chrono::milliseconds(50);
  Metrics metrics;
  {
    rhc::ResilientClient client(config);
    client.post("/fail/count/1").get();
    for (int i = 0; i < 3; ++i) {
      try {
        metrics.observe(client.get("/msg").get());
      } catch (const rhc::APIConnectionError& e) {
        metrics.observe(e, "APIConnectionError");
      } catch (const rhc::MyAPIError& e) {
        metrics.observe(e, "MyAPIError");
      }
    }
    std::cout << "circuit: " << rhc::to_string(client.circuit_state()) << "\n";  // a gauge
  }
  google::RemoveLogSink(&sink);  // before the sink is destroyed

  for (const auto& [outcome, count] : metrics.outcomes) {
    std::cout << "requests{outcome=\"" << outcome << "\"} " << count << "\n";
  }
  std::cout << "attempts " << metrics.attempts << "\nrequest_seconds " << metrics.seconds << "\n";
  return metrics.outcomes["200"] == 3 && metrics.attempts == 4 ? 0 : 1;
}
