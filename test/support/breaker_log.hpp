// Counts a client's circuit-breaker transitions from its log lines, through a glog sink:
// the breaker logs every change as "[<logger_name>] circuit breaker CLOSED -> OPEN", and,
// with circuit_breaker.scope = Authority, each authority's breaker as "[<logger_name>]
// circuit breaker for http://127.0.0.1:8080 CLOSED -> OPEN" (OPEN at WARNING, the others at
// INFO). Only lines of the named logger count, so tests with clients of their own never see
// each other's transitions. A client hands its lines to glog only once glog is initialised,
// so the first BreakerLog of a process initialises it (logging to stderr, no files), and a
// client logs to it only with LoggingConfig::sink unset.
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

  // How many times "<from> -> <to>" was logged, e.g. count("CLOSED -> OPEN"), by any of the
  // client's breakers (the client's one, or every authority's). Thread-safe.
  std::size_t count(const std::string& transition) const;

  // The same for the breaker of one authority ("http://127.0.0.1:8080", as the log line
  // names it); "" is the client's one breaker. Thread-safe.
  std::size_t count_for(const std::string& authority, const std::string& transition) const;

  // Every transition logged so far, with its count, summed over the client's breakers.
  // Thread-safe.
  std::map<std::string, std::size_t> all() const;

  // Every transition the breaker of `authority` logged ("" = the client's one). Thread-safe.
  std::map<std::string, std::size_t> all_for(const std::string& authority) const;

 private:
  class Sink;
  std::unique_ptr<Sink> sink_;
};

}  // namespace rhc::testing
