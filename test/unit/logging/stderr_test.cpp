// The logger in a process that never initialises glog, as most programs using rhc are: lines
// go to stderr in glog's format, and glog's "Logging before InitGoogleLogging()" notice never
// appears. Its own executable, with its own main, so that nothing initialises glog first.
#include "logging/logger.hpp"

// glog before Catch: both define CHECK, and the test's CHECKs must be Catch's.
#include <glog/logging.h>
#include <unistd.h>

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <cstdio>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using rhc::LoggingConfig;
using rhc::detail::Logger;
using rhc::detail::Severity;

namespace {

// Points file descriptor 2 at a temporary file while alive; text() restores it and returns
// what was written meanwhile.
class StderrCapture {
 public:
  StderrCapture() : file_(std::tmpfile()) {
    REQUIRE(file_ != nullptr);
    std::fflush(stderr);
    saved_ = ::dup(2);
    REQUIRE(saved_ >= 0);
    REQUIRE(::dup2(::fileno(file_), 2) == 2);
  }
  ~StderrCapture() {
    restore();
    std::fclose(file_);
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  std::string text() {
    restore();
    std::rewind(file_);
    std::string out;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file_)) > 0;) {
      out.append(buffer, n);
    }
    return out;
  }

 private:
  void restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }

  std::FILE* file_;
  int saved_ = -1;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

LoggingConfig config(std::string level, std::string name = "svc") {
  LoggingConfig c;
  c.level = std::move(level);
  c.logger_name = std::move(name);
  return c;
}

// glog's default prefix: severity letter, date, time with microseconds, thread id, file:line.
const std::regex kLine(R"(([IWE])\d{8} \d{2}:\d{2}:\d{2}\.\d{6} +\d+ stderr_test\.cpp:\d+\] (.*))");

}  // namespace

TEST_CASE("without glog initialised, lines go to stderr in glog's format, without its notice",
          "[logging][stderr]") {
  REQUIRE_FALSE(google::IsGoogleLoggingInitialized());
  StderrCapture capture;
  Logger logger(config("DEBUG"));
  logger.log(Severity::Debug, "r1", "debug line");
  RHC_LOG(logger, Severity::Info, std::string("r1")) << "retrying in " << 250 << " ms";
  logger.log(Severity::Warning, "", "warning line");
  logger.log(Severity::Error, "r2", "error line");
  const std::string text = capture.text();

  INFO(text);
  CHECK(text.find("InitGoogleLogging") == std::string::npos);
  const auto lines = lines_of(text);
  REQUIRE(lines.size() == 4);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"I", "[svc] [req=r1] debug line"},
      {"I", "[svc] [req=r1] retrying in 250 ms"},
      {"W", "[svc] warning line"},
      {"E", "[svc] [req=r2] error line"}};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    INFO(lines[i]);
    REQUIRE(std::regex_match(lines[i], m, kLine));
    CHECK(m[1] == expected[i].first);
    CHECK(m[2] == expected[i].second);
  }
  CHECK_FALSE(google::IsGoogleLoggingInitialized());  // rhc never initialises glog itself
}

TEST_CASE("on stderr, the level and glog's --minloglevel both filter", "[logging][stderr]") {
  StderrCapture capture;
  Logger logger(config("INFO"));
  logger.log(Severity::Debug, "", "below the level");
  FLAGS_minloglevel = google::GLOG_WARNING;
  logger.log(Severity::Info, "", "below minloglevel");
  logger.log(Severity::Warning, "", "written");
  FLAGS_minloglevel = google::GLOG_INFO;
  const auto lines = lines_of(capture.text());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].find("] [svc] written") != std::string::npos);
}

TEST_CASE("with a sink, nothing reaches stderr", "[logging][stderr][sink]") {
  StderrCapture capture;
  std::vector<rhc::LogRecord> records;
  LoggingConfig c = config("DEBUG");
  c.sink = [&records](const rhc::LogRecord& r) { records.push_back(r); };
  Logger logger(c);
  logger.log(Severity::Info, "r1", "to the sink");
  logger.log(Severity::Error, "", "this too");
  CHECK(capture.text().empty());
  CHECK(records.size() == 2);
}
