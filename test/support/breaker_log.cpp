#include "breaker_log.hpp"

#include <glog/logging.h>

#include <mutex>
#include <string_view>
#include <utility>

namespace rhc::testing {

class BreakerLog::Sink : public google::LogSink {
 public:
  // Appended, not "[" + name + "] ": GCC 12 at -O3 warns (-Wrestrict, a false positive) on
  // that form, which fails a release build with -Dwerror=true.
  explicit Sink(const std::string& logger_name)
      : prefix_(std::string("[").append(logger_name).append("] ")) {}

  void send(google::LogSeverity, const char*, const char*, int, const google::LogMessageTime&,
            const char* message, size_t length) override {
    static constexpr std::string_view kMarker = "circuit breaker ";
    static constexpr std::string_view kFor = "for ";
    const std::string_view line(message, length);
    if (line.substr(0, prefix_.size()) != prefix_) return;
    const std::size_t at = line.find(kMarker);
    if (at == std::string_view::npos) return;
    std::string_view rest = line.substr(at + kMarker.size());
    std::string_view authority;
    // An authority never contains a space: it runs up to the first one.
    if (rest.substr(0, kFor.size()) == kFor) {
      rest.remove_prefix(kFor.size());
      const std::size_t space = rest.find(' ');
      if (space == std::string_view::npos) return;
      authority = rest.substr(0, space);
      rest.remove_prefix(space + 1);
    }
    std::lock_guard lock(mutex_);
    ++transitions_[std::string(authority)][std::string(rest)];
  }

  std::map<std::string, std::map<std::string, std::size_t>> all() const {
    std::lock_guard lock(mutex_);
    return transitions_;
  }

 private:
  const std::string prefix_;
  mutable std::mutex mutex_;
  // authority ("" for the client's one breaker) -> transition -> times logged
  std::map<std::string, std::map<std::string, std::size_t>> transitions_;
};

BreakerLog::BreakerLog(std::string logger_name)
    : sink_(std::make_unique<Sink>(std::move(logger_name))) {
  // rhc hands a client's lines to glog (and so to glog's sinks) only once glog is
  // initialised; before that they go straight to stderr. The first BreakerLog of a process
  // initialises it, to stderr and no log files, as a host program would.
  static const bool initialised = [] {
    if (!google::IsGoogleLoggingInitialized()) {
      FLAGS_logtostderr = true;
      google::InitGoogleLogging("rhc-test");
    }
    return true;
  }();
  (void)initialised;
  google::AddLogSink(sink_.get());
}

BreakerLog::~BreakerLog() { google::RemoveLogSink(sink_.get()); }

std::size_t BreakerLog::count(const std::string& transition) const {
  const auto summed = all();
  auto it = summed.find(transition);
  return it == summed.end() ? 0 : it->second;
}

std::size_t BreakerLog::count_for(const std::string& authority,
                                  const std::string& transition) const {
  const auto transitions = all_for(authority);
  auto it = transitions.find(transition);
  return it == transitions.end() ? 0 : it->second;
}

std::map<std::string, std::size_t> BreakerLog::all() const {
  std::map<std::string, std::size_t> summed;
  for (const auto& [authority, transitions] : sink_->all()) {
    for (const auto& [transition, n] : transitions) summed[transition] += n;
  }
  return summed;
}

std::map<std::string, std::size_t> BreakerLog::all_for(const std::string& authority) const {
  const auto breakers = sink_->all();
  auto it = breakers.find(authority);
  return it == breakers.end() ? std::map<std::string, std::size_t>{} : it->second;
}

}  // namespace rhc::testing
