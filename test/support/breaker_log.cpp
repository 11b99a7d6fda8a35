#include "breaker_log.hpp"

#include <glog/logging.h>

#include <mutex>
#include <string_view>
#include <utility>

namespace rhc::testing {

class BreakerLog::Sink : public google::LogSink {
 public:
  explicit Sink(std::string logger_name) : prefix_("[" + std::move(logger_name) + "] ") {}

  void send(google::LogSeverity, const char*, const char*, int, const google::LogMessageTime&,
            const char* message, size_t length) override {
    static constexpr std::string_view kMarker = "circuit breaker ";
    const std::string_view line(message, length);
    if (line.substr(0, prefix_.size()) != prefix_) return;
    const std::size_t at = line.find(kMarker);
    if (at == std::string_view::npos) return;
    std::lock_guard lock(mutex_);
    ++transitions_[std::string(line.substr(at + kMarker.size()))];
  }

  std::map<std::string, std::size_t> all() const {
    std::lock_guard lock(mutex_);
    return transitions_;
  }

 private:
  const std::string prefix_;
  mutable std::mutex mutex_;
  std::map<std::string, std::size_t> transitions_;
};

BreakerLog::BreakerLog(std::string logger_name)
    : sink_(std::make_unique<Sink>(std::move(logger_name))) {
  google::AddLogSink(sink_.get());
}

BreakerLog::~BreakerLog() { google::RemoveLogSink(sink_.get()); }

std::size_t BreakerLog::count(const std::string& transition) const {
  const auto transitions = sink_->all();
  auto it = transitions.find(transition);
  return it == transitions.end() ? 0 : it->second;
}

std::map<std::string, std::size_t> BreakerLog::all() const { return sink_->all(); }

}  // namespace rhc::testing
