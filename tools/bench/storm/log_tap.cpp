#include "log_tap.hpp"

#include <glog/logging.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <utility>

namespace rhc::bench::storm {
namespace {

bool consume(std::string_view& text, std::string_view prefix) {
  if (text.substr(0, prefix.size()) != prefix) return false;
  text.remove_prefix(prefix.size());
  return true;
}

std::string_view next_word(std::string_view& text) {
  const std::size_t end = std::min(text.find(' '), text.size());
  std::string_view word = text.substr(0, end);
  text.remove_prefix(std::min(end + 1, text.size()));
  return word;
}

std::optional<int> leading_int(std::string_view& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc()) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

// "scheme://host:port" of an absolute URL, as rhc keys its per-host state.
std::string_view authority_of(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  return url.substr(0, url.find_first_of("/?#", scheme_end + 3));
}

std::optional<CircuitState> state_named(std::string_view name) {
  if (name == "CLOSED") return CircuitState::Closed;
  if (name == "OPEN") return CircuitState::Open;
  if (name == "HALF_OPEN") return CircuitState::HalfOpen;
  return std::nullopt;
}

std::optional<LogEvent> parse_breaker(std::string_view rest) {
  LogEvent e;
  e.kind = LogEventKind::BreakerChanged;
  if (consume(rest, "for ")) e.authority = next_word(rest);
  const std::size_t arrow = rest.rfind(" -> ");
  if (arrow == std::string_view::npos) return std::nullopt;
  const std::optional<CircuitState> to = state_named(rest.substr(arrow + 4));
  if (!to) return std::nullopt;
  e.to = *to;
  return e;
}

std::optional<LogEvent> parse_cut(std::string_view rest) {
  LogEvent e;
  e.kind = LogEventKind::LimitCut;
  e.authority = next_word(rest);
  if (!consume(rest, "cut to ")) return std::nullopt;
  const std::optional<int> limit = leading_int(rest);
  if (!limit) return std::nullopt;
  e.number = *limit;
  return e;
}

// "<METHOD> <url> " followed by what happened to the request or its attempt.
std::optional<LogEvent> parse_request(std::string_view rest) {
  next_word(rest);  // the method
  LogEvent e;
  e.authority = authority_of(next_word(rest));
  if (e.authority.empty()) return std::nullopt;
  if (consume(rest, "attempt ")) {
    const std::optional<int> n = leading_int(rest);
    if (!n) return std::nullopt;
    e.number = *n;
    if (rest.empty()) {
      e.kind = LogEventKind::AttemptStarted;
      return e;
    }
    if (!consume(rest, " failed (") || rest.find("; retrying in ") == std::string_view::npos) {
      return std::nullopt;
    }
    e.kind = LogEventKind::AttemptRetried;
    return e;
  }
  if (consume(rest, "-> ")) {
    const std::size_t comma = rest.rfind(", ");
    if (comma == std::string_view::npos) return std::nullopt;
    rest.remove_prefix(comma + 2);
    const std::optional<int> n = leading_int(rest);
    if (!n || rest != " attempt(s)") return std::nullopt;
    e.kind = LogEventKind::RequestSucceeded;
    e.number = *n;
    return e;
  }
  if (consume(rest, "failed after ")) {
    const std::optional<int> n = leading_int(rest);
    if (!n) return std::nullopt;
    e.kind = LogEventKind::RequestFailed;
    e.number = *n;
    return e;
  }
  return std::nullopt;
}

}  // namespace

std::optional<LogEvent> parse_rhc_line(std::string_view message) {
  // "[logger_name] " and, with include_request_id, "[req=<id>] ".
  while (!message.empty() && message.front() == '[') {
    const std::size_t close = message.find("] ");
    if (close == std::string_view::npos) return std::nullopt;
    message.remove_prefix(close + 2);
  }
  if (consume(message, "circuit breaker ")) return parse_breaker(message);
  if (consume(message, "concurrency limit for ")) return parse_cut(message);
  return parse_request(message);
}

class LogTap::Sink : public google::LogSink {
 public:
  explicit Sink(Handler on_event) : on_event_(std::move(on_event)) {}

  void send(google::LogSeverity, const char*, const char*, int, const google::LogMessageTime&,
            const char* message, std::size_t message_len) override {
    const Clock::time_point now = Clock::now();
    std::optional<LogEvent> e = parse_rhc_line(std::string_view(message, message_len));
    if (!e) return;
    e->at = now;
    on_event_(*e);
  }

 private:
  Handler on_event_;
};

LogTap::LogTap(Handler on_event) : sink_(std::make_unique<Sink>(std::move(on_event))) {
  google::AddLogSink(sink_.get());
}

LogTap::~LogTap() { google::RemoveLogSink(sink_.get()); }

void init_quiet_glog(const char* argv0) {
  FLAGS_logtostderr = false;
  FLAGS_alsologtostderr = false;
  FLAGS_stderrthreshold = google::GLOG_ERROR;
  google::InitGoogleLogging(argv0);
  // An empty base name turns the log file of that severity off.
  for (google::LogSeverity s : {google::GLOG_INFO, google::GLOG_WARNING, google::GLOG_ERROR}) {
    google::SetLogDestination(s, "");
  }
}

}  // namespace rhc::bench::storm
