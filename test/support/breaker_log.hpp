// Counts a client's circuit-breaker transitions from its log lines, through a glog sink:
// the breaker logs every change as "[<logger_name>] circuit breaker CLOSED -> OPEN" (OPEN
// at WARNING, the others at INFO). Only lines of the named logger count, so tests with
// clients of their own never see each other's transitions.
//
// glog stays out of this header: its CHECK macros would replace Catch's.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>

namespace rhc::testing {

class BreakerLog {
 public:
  explicit BreakerLog(std::string logger_name);  // starts capturing
  ~BreakerLog();                                 // stops
  BreakerLog(const BreakerLog&) = delete;
  BreakerLog& operator=(const BreakerLog&) = delete;

  // How many times "<from> -> <to>" was logged, e.g. count("CLOSED -> OPEN"). Thread-safe.
  std::size_t count(const std::string& transition) const;

  // Every transition logged so far, with its count. Thread-safe.
  std::map<std::string, std::size_t> all() const;

 private:
  class Sink;
  std::unique_ptr<Sink> sink_;
};

}  // namespace rhc::testing
