#include "logging/logger.hpp"

// The glog sink before Catch: both define CHECK, and the test's CHECKs must be Catch's.
#include "capture_sink.hpp"

#include <catch2/catch.hpp>

using rhc::LoggingConfig;
using rhc::detail::Logger;
using rhc::detail::parse_severity;
using rhc::detail::Severity;
using rhc::test::CaptureSink;

namespace {

LoggingConfig config(std::string level, std::string name = "rhc", bool request_id = true) {
  LoggingConfig c;
  c.level = std::move(level);
  c.logger_name = std::move(name);
  c.include_request_id = request_id;
  return c;
}

}  // namespace

TEST_CASE("parse_severity accepts the four levels in any case and nothing else", "[logging]") {
  CHECK(parse_severity("DEBUG") == Severity::Debug);
  CHECK(parse_severity("info") == Severity::Info);
  CHECK(parse_severity("Warning") == Severity::Warning);
  CHECK(parse_severity("eRRoR") == Severity::Error);
  CHECK_FALSE(parse_severity("WARN").has_value());
  CHECK_FALSE(parse_severity("CRITICAL").has_value());
  CHECK_FALSE(parse_severity("").has_value());
  CHECK_FALSE(parse_severity("INFO ").has_value());
}

TEST_CASE("a logger is enabled for its level and every more severe one", "[logging]") {
  Logger debug(config("DEBUG"));
  CHECK(debug.enabled(Severity::Debug));
  CHECK(debug.enabled(Severity::Error));

  Logger info(config("INFO"));
  CHECK_FALSE(info.enabled(Severity::Debug));
  CHECK(info.enabled(Severity::Info));
  CHECK(info.enabled(Severity::Warning));

  Logger error(config("error"));
  CHECK_FALSE(error.enabled(Severity::Warning));
  CHECK(error.enabled(Severity::Error));
}

TEST_CASE("an unknown level falls back to INFO", "[logging]") {
  Logger logger(config("LOUD"));
  CHECK_FALSE(logger.enabled(Severity::Debug));
  CHECK(logger.enabled(Severity::Info));
}

TEST_CASE("lines start with the logger name, then the request id when there is one", "[logging]") {
  CHECK(Logger(config("INFO", "billing")).format("abc-1", "retrying") ==
        "[billing] [req=abc-1] retrying");
  CHECK(Logger(config("INFO", "billing")).format("", "starting") == "[billing] starting");
  CHECK(Logger(config("INFO", "billing", false)).format("abc-1", "retrying") ==
        "[billing] retrying");
}

TEST_CASE("log writes through glog at the mapped severity, with the caller's file", "[logging]") {
  CaptureSink sink;
  Logger logger(config("DEBUG", "svc"));
  logger.log(Severity::Debug, "r1", "debug line");
  logger.log(Severity::Info, "r1", "info line");
  logger.log(Severity::Warning, "", "warning line");
  logger.log(Severity::Error, "r2", "error line");

  auto lines = sink.lines();
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].severity == google::GLOG_INFO);  // DEBUG is written as glog INFO
  CHECK(lines[0].text == "[svc] [req=r1] debug line");
  CHECK(lines[1].severity == google::GLOG_INFO);
  CHECK(lines[2].severity == google::GLOG_WARNING);
  CHECK(lines[2].text == "[svc] warning line");
  CHECK(lines[3].severity == google::GLOG_ERROR);
  CHECK(lines[3].text == "[svc] [req=r2] error line");
  CHECK(lines[0].file == "logger_test.cpp");
}

TEST_CASE("lines below the logger's level are not written", "[logging]") {
  CaptureSink sink;
  Logger logger(config("WARNING"));
  logger.log(Severity::Debug, "", "no");
  logger.log(Severity::Info, "", "no");
  logger.log(Severity::Warning, "", "yes");
  auto lines = sink.lines();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].text == "[rhc] yes");
}

TEST_CASE("RHC_LOG streams its arguments only when the severity is enabled", "[logging]") {
  CaptureSink sink;
  Logger logger(config("INFO", "rhc"));
  int evaluated = 0;
  auto count = [&evaluated] { return ++evaluated; };

  RHC_LOG(logger, Severity::Debug, "r") << "skipped " << count();
  CHECK(evaluated == 0);

  RHC_LOG(logger, Severity::Info, "r") << "retrying in " << 250 << " ms, call " << count();
  CHECK(evaluated == 1);

  auto lines = sink.lines();
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].text == "[rhc] [req=r] retrying in 250 ms, call 1");
  CHECK(lines[0].file == "logger_test.cpp");
}

TEST_CASE("RHC_LOG is one statement inside an unbraced if/else", "[logging]") {
  CaptureSink sink;
  Logger logger(config("INFO"));
  for (bool first : {true, false}) {
    if (first)
      RHC_LOG(logger, Severity::Info, std::string("id")) << "then";
    else
      RHC_LOG(logger, Severity::Info, std::string("id")) << "else";
  }
  auto lines = sink.lines();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].text == "[rhc] [req=id] then");
  CHECK(lines[1].text == "[rhc] [req=id] else");
}
