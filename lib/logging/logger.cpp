#include "logging/logger.hpp"

#include <glog/logging.h>

#include <array>

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
      prefix_("[" + config.logger_name + "] "),
      include_request_id_(config.include_request_id) {}

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
    // LogMessage rather than LOG(): LOG() would stamp this file and line on every message.
    google::LogMessage(file, line, to_glog(s)).stream() << format(request_id, message);
  } catch (...) {  // logging runs on the loop thread and in destructors: it must not throw
  }
}

}  // namespace rhc::detail
