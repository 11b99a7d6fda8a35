// A glog sink that records every line logged while it is alive, so tests can assert what
// the library wrote. Also used by the exec tests. Not LoggingConfig::sink: this one sees the
// lines of clients without a sink, which rhc hands to glog only once glog is initialised, so
// the first CaptureSink of a test process initialises it (to stderr, no log files), as a host
// would.
#pragma once

#include <glog/logging.h>

#include <mutex>
#include <string>
#include <vector>

namespace rhc::test {

struct CapturedLine {
  google::LogSeverity severity;
  std::string file;  // glog's base file name
  std::string text;  // without glog's own prefix
};

class CaptureSink : public google::LogSink {
 public:
  CaptureSink() {
    static const bool initialised = [] {
      if (!google::IsGoogleLoggingInitialized()) {
        FLAGS_logtostderr = true;
        google::InitGoogleLogging("rhc-unit-test");
      }
      return true;
    }();
    (void)initialised;
    google::AddLogSink(this);
  }
  ~CaptureSink() override { google::RemoveLogSink(this); }
  CaptureSink(const CaptureSink&) = delete;
  CaptureSink& operator=(const CaptureSink&) = delete;

  void send(google::LogSeverity severity, const char* /*full_filename*/, const char* base_filename,
            int /*line*/, const google::LogMessageTime& /*time*/, const char* message,
            size_t message_len) override {
    std::lock_guard lock(mutex_);
    lines_.push_back({severity, base_filename, std::string(message, message_len)});
  }

  std::vector<CapturedLine> lines() const {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<CapturedLine> lines_;
};

}  // namespace rhc::test
