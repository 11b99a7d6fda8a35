#include "logging/logger.hpp"

#include <glog/logging.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <mutex>
#include <utility>

#include "base/ascii.hpp"

namespace rhc::detail {
namespace {

constexpr std::array<const char*, 4> kNames = {"DEBUG", "INFO", "WARNING", "ERROR"};

google::LogSeverity to_glog(Severity s) {
  switch (s) {
    case Severity::Debug:  // glog has no DEBUG; its VLOG lines are INFO lines too.
    case Severity::Info:
      return google::GLOG_INFO;
    case Severity::Warning:
      return google::GLOG_WARNING;
    case Severity::Error:
      return google::GLOG_ERROR;
  }
  return google::GLOG_ERROR;
}

// Sinks. One mutex for every sink of every client: a sink is never called twice at once, even when
// several clients share it, as glog never calls its LogSinks twice at once. Logging is rare
// next to transfers (DEBUG is per attempt), so the contention costs nothing measurable.
//
// The mutex is held only around sink calls, never around anything else of rhc's, so a sink
// may call the client (circuit_state(), a new request). Such a call may log on this very
// thread (a client being constructed, a refused request's callback that throws): that line
// waits in the thread's queue and is delivered once the outer sink call returns, rather than
// re-entering the sink or deadlocking on the mutex.

struct Pending {
  std::shared_ptr<const std::function<void(const LogRecord&)>> sink;
  LogRecord record;
};

thread_local bool tls_in_sink = false;
thread_local std::deque<Pending> tls_pending;

std::mutex& sink_mutex() {
  // Never destroyed: a client's threads may still log while static destructors run.
  static std::mutex* const mutex = new std::mutex;
  return *mutex;
}

void call_sink(const std::function<void(const LogRecord&)>& sink,
               const LogRecord& record) noexcept {
  try {
    sink(record);
  } catch (...) {  // the sink runs on the loop thread too: its exception must stop here
  }
}

void deliver(std::shared_ptr<const std::function<void(const LogRecord&)>> sink, LogRecord record) {
  if (tls_in_sink) {
    tls_pending.push_back(Pending{std::move(sink), std::move(record)});
    return;
  }
  std::lock_guard lock(sink_mutex());
  tls_in_sink = true;
  call_sink(*sink, record);
  while (!tls_pending.empty()) {
    Pending next = std::move(tls_pending.front());
    tls_pending.pop_front();
    call_sink(*next.sink, next.record);
  }
  tls_in_sink = false;
}

// stderr, while glog is not initialised. glog writes such lines to stderr too, but only after its
// "WARNING: Logging before InitGoogleLogging() is written to STDERR" notice, which a program that
// never used glog should not see because of a library. Same line format as glog's default prefix:
//   I20250101 12:00:00.123456  4242 chain.cpp:133] <text>

unsigned thread_id() {
  thread_local const auto id = static_cast<unsigned>(::syscall(SYS_gettid));
  return id;
}

char severity_letter(Severity s) {
  switch (s) {
    case Severity::Debug:
    case Severity::Info:
      return 'I';
    case Severity::Warning:
      return 'W';
    case Severity::Error:
      return 'E';
  }
  return 'E';
}

void write_to_stderr(Severity s, const char* file, int line, const std::string& text) {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const long micros =
      static_cast<long>(duration_cast<microseconds>(now.time_since_epoch()).count() % 1000000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  std::array<char, 64> stamp{};
  const int n =
      std::snprintf(stamp.data(), stamp.size(), "%c%04d%02d%02d %02d:%02d:%02d.%06ld %5u ",
                    severity_letter(s), tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                    tm.tm_min, tm.tm_sec, micros, thread_id());
  const char* slash = std::strrchr(file, '/');
  std::string out;
  out.reserve(static_cast<std::size_t>(n > 0 ? n : 0) + text.size() + 48);
  out.append(stamp.data(), static_cast<std::size_t>(n > 0 ? n : 0));
  out += slash != nullptr ? slash + 1 : file;
  out += ':';
  out += std::to_string(line);
  out += "] ";
  out += text;
  out += '\n';
  // One call, so that lines of different threads never interleave (stdio locks the stream).
  std::fwrite(out.data(), 1, out.size(), stderr);
}

}  // namespace

std::optional<Severity> parse_severity(std::string_view level) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (ascii_iequals(level, kNames[i])) return static_cast<Severity>(i);
  }
  return std::nullopt;
}

const char* to_string(Severity s) { return kNames[static_cast<std::size_t>(s)]; }

Logger::Logger(const LoggingConfig& config)
    : min_(parse_severity(config.level).value_or(Severity::Info)),
      name_(config.logger_name),
      prefix_("[" + config.logger_name + "] "),
      include_request_id_(config.include_request_id),
      sink_(config.sink ? std::make_shared<const Sink>(config.sink) : nullptr) {}

std::string Logger::format(std::string_view request_id, std::string_view message) const {
  std::string out;
  out.reserve(prefix_.size() + request_id.size() + message.size() + 8);
  out += prefix_;
  if (include_request_id_ && !request_id.empty()) {
    out += "[req=";
    out += request_id;
    out += "] ";
  }
  out += message;
  return out;
}

void Logger::log(Severity s, std::string_view request_id, std::string_view message,
                 const char* file, int line) const noexcept {
  if (!enabled(s)) return;
  try {
    if (sink_ != nullptr) {
      deliver(sink_, LogRecord{to_string(s), name_, std::string(request_id), std::string(message)});
      return;
    }
    if (google::IsGoogleLoggingInitialized()) {
      // LogMessage rather than LOG(): LOG() would stamp this file and line on every message.
      google::LogMessage(file, line, to_glog(s)).stream() << format(request_id, message);
      return;
    }
    if (to_glog(s) < FLAGS_minloglevel) return;  // as glog would have filtered it
    write_to_stderr(s, file, line, format(request_id, message));
  } catch (...) {  // logging runs on the loop thread and in destructors: it must not throw
  }
}

}  // namespace rhc::detail
