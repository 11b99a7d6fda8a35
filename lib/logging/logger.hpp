// The library's one way to log: a small facade that applies the client's LoggingConfig (least
// severity, [logger_name] and [req=<id>] prefixes) and hands each line to one of three places:
//
//   LoggingConfig::sink set      -> the sink, as a LogRecord (glog is never touched)
//   glog initialised by the host -> glog, at the mapped severity, with the caller's file:line
//   otherwise                    -> stderr, written here in glog's line format
//
//   rhc::detail::Logger logger(config.logging);
//   RHC_LOG(logger, rhc::detail::Severity::Info, request_id) << "retrying in " << ms << " ms";
//
// Severities map to glog as DEBUG -> INFO (the severity glog gives its own VLOG lines),
// INFO -> INFO, WARNING -> WARNING, ERROR -> ERROR; the library never logs FATAL. Debug lines
// are enabled by the client's level alone ("DEBUG"), not by glog's --v, so a host does not
// have to touch glog flags to see them; glog's own --minloglevel still applies on top (to
// glog and stderr, not to a sink).
//
// The library never calls google::InitGoogleLogging: that is the host program's call to make
// (glog 0.6 aborts if it is made twice). Before it, glog would write every line to stderr
// after a "Logging before InitGoogleLogging()" notice; the stderr path writes the same lines
// without the notice, so a program that never touched glog sees only rhc's own lines.
//
// Thread-safe: a Logger is immutable after construction (copies share its sink). Sink calls
// are serialised process-wide (logger.cpp says how); glog serialises its own sinks.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <rhc/config.hpp>
#include <sstream>
#include <string>
#include <string_view>

namespace rhc::detail {

enum class Severity { Debug = 0, Info = 1, Warning = 2, Error = 3 };

// "DEBUG", "INFO", "WARNING", "ERROR", matched case-insensitively; nullopt for anything else.
// ClientConfig::validate() uses it too, so the two agree on what a level is.
std::optional<Severity> parse_severity(std::string_view level);

// "DEBUG", "INFO", "WARNING" or "ERROR".
const char* to_string(Severity s);

class Logger {
 public:
  // An unparsable level (validate() rejects it first) falls back to INFO.
  explicit Logger(const LoggingConfig& config);

  // Whether a line of severity `s` would be written. Cheap: one compare.
  bool enabled(Severity s) const { return s >= min_; }

  // If enabled(s): hands {severity, logger_name, request_id, message} to the sink, or else
  // writes "[logger_name] [req=<id>] message" through glog (or to stderr, glog-formatted,
  // while glog is not initialised). The request id part of the text is left out when
  // `request_id` is empty or include_request_id is off; the sink's record always has it.
  // `file` and `line` are the caller's, for glog's own prefix. Never throws: a line that
  // cannot be formatted (out of memory) is dropped, and so is a line whose sink throws.
  // Call it holding none of rhc's locks: the sink may call back into the client.
  void log(Severity s, std::string_view request_id, std::string_view message,
           const char* file = __builtin_FILE(), int line = __builtin_LINE()) const noexcept;

  // The text log() hands to glog, without glog's own prefix. Exposed for tests.
  std::string format(std::string_view request_id, std::string_view message) const;

 private:
  using Sink = std::function<void(const LogRecord&)>;

  Severity min_;
  std::string name_;    // logger_name
  std::string prefix_;  // "[logger_name] "
  bool include_request_id_;
  std::shared_ptr<const Sink> sink_;  // null when LoggingConfig::sink is empty
};

// One line being built by RHC_LOG; writes it through the logger when destroyed, at the end
// of the full expression.
class LogLine {
 public:
  LogLine(const Logger& logger, Severity s, std::string_view request_id, const char* file, int line)
      : logger_(logger), severity_(s), request_id_(request_id), file_(file), line_(line) {}
  LogLine(const LogLine&) = delete;
  LogLine& operator=(const LogLine&) = delete;
  ~LogLine() {
    try {
      logger_.log(severity_, request_id_, stream_.str(), file_, line_);
    } catch (...) {  // stream_.str() can throw bad_alloc; a destructor must not
    }
  }

  std::ostream& stream() { return stream_; }

 private:
  const Logger& logger_;
  Severity severity_;
  std::string_view request_id_;
  const char* file_;
  int line_;
  std::ostringstream stream_;
};

// Lets RHC_LOG be one expression (safe inside an unbraced if/else): `&` binds looser than
// `<<` and tighter than `?:`.
struct LogVoidify {
  void operator&(std::ostream&) {}
};

}  // namespace rhc::detail

// Streams a log line; nothing after the macro is evaluated, or formatted, unless the logger
// is enabled for `severity`. `logger` is evaluated twice.
#define RHC_LOG(logger, severity, request_id)                                              \
  !(logger).enabled(severity)                                                              \
      ? (void)0                                                                            \
      : ::rhc::detail::LogVoidify() &                                                      \
            ::rhc::detail::LogLine((logger), (severity), (request_id), __FILE__, __LINE__) \
                .stream()
