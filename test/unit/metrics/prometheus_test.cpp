// to_prometheus(): a hand-built ClientStats against golden/client_stats.prom byte for byte,
// the text format's rules on every output (exposition_errors below), prefixes, label
// escaping and numbers.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <rhc/errors.hpp>
#include <rhc/metrics.hpp>
#include <rhc/stats.hpp>

namespace {

// What the lead's client fills in: the bounds of docs/observability.md.
const std::vector<double> kBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                     1,     2.5,  5,     10,   30,  60};

rhc::ClientStats sample_stats() {
  rhc::ClientStats s;
  s.requests = 40;
  s.successes = 31;
  s.failures = 9;
  s.failures_by_error = {{"APITimeoutError", 2}, {"CircuitOpenError", 3}, {"ServerError", 4}};
  s.attempts = 52;
  s.retries = 11;
  s.retries_suppressed = 3;
  s.retry_budget_exhausted = 1;
  s.hedges = 2;
  s.breaker_rejections = 3;
  s.bulkhead_capacity = 100;
  s.bulkhead_in_use = 4;
  s.bulkhead_waiting = 1;
  s.bulkhead_rejected = 5;
  s.in_progress = 5;
  s.events_dropped = 7;
  s.request_duration.upper_bounds = kBounds;
  s.request_duration.counts = {3, 5, 8, 7, 6, 4, 2, 1, 1, 0, 0, 0, 1, 2};
  s.request_duration.count = 40;
  s.request_duration.sum = 187.25;

  rhc::AuthorityStats api;
  api.authority = "http://api.internal:8080";
  api.breaker_state = rhc::CircuitState::Open;
  api.in_flight = 0;
  api.requests = 15;
  api.successes = 8;
  api.failures = 7;
  api.attempts = 24;
  api.retries = 9;
  api.hedges = 4;
  api.retry_budget_exhausted = 1;
  api.breaker_rejections = 3;

  rhc::AuthorityStats payments;
  payments.authority = "https://payments.example.com:443";
  payments.breaker_state = rhc::CircuitState::Closed;
  payments.in_flight = 4;
  payments.concurrency_limit = 12;
  payments.requests = 25;
  payments.successes = 23;
  payments.failures = 2;
  payments.attempts = 28;
  payments.retries = 2;
  s.authorities = {api, payments};
  return s;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The rules of text format 0.0.4 that a scraper enforces, one message per broken rule:
// every line a # HELP, a # TYPE or a sample; each family's HELP then TYPE before its
// samples, each family once; sample names of the current family only (with _bucket, _sum,
// _count for a histogram); quoted, escaped label values; a number as the value.
std::vector<std::string> exposition_errors(const std::string& text) {
  static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) [^\n]*)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
  static const std::regex sample(R"(([a-zA-Z_:][a-zA-Z0-9_:]*))"
                                 R"((\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\[\\"n])*")"
                                 R"((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\[\\"n])*")*\})?)"
                                 R"( ([+-]Inf|NaN|-?[0-9]+(?:\.[0-9]+)?(?:e[+-][0-9]+)?))");
  std::vector<std::string> errors;
  if (!text.empty() && text.back() != '\n') errors.push_back("no final line feed");
  std::set<std::string> seen;
  std::string helped, family, family_type;
  std::istringstream lines(text);
  std::string line;
  for (int n = 1; std::getline(lines, line); ++n) {
    const std::string at = "line " + std::to_string(n) + ": ";
    std::smatch m;
    if (std::regex_match(line, m, help)) {
      if (!seen.insert(m[1]).second) errors.push_back(at + "family repeated: " + line);
      helped = m[1];
      family.clear();
    } else if (std::regex_match(line, m, type)) {
      if (m[1] != helped) errors.push_back(at + "TYPE without its HELP: " + line);
      family = m[1];
      family_type = m[2];
    } else if (std::regex_match(line, m, sample)) {
      bool in_family = m[1] == family;
      if (family_type == "histogram") {
        in_family =
            m[1] == family + "_bucket" || m[1] == family + "_sum" || m[1] == family + "_count";
      }
      if (family.empty() || !in_family) errors.push_back(at + "outside its family: " + line);
    } else {
      errors.push_back(at + "not HELP, TYPE or a sample: " + line);
    }
  }
  return errors;
}

}  // namespace

TEST_CASE("to_prometheus writes the golden file for a client with two authorities",
          "[metrics][prometheus]") {
  const char* golden = std::getenv("RHC_METRICS_GOLDEN");
  REQUIRE(golden != nullptr);
  const std::string text = rhc::to_prometheus(sample_stats());
  // RHC_UPDATE_GOLDEN=1 rewrites the file, after a deliberate change of the output.
  if (std::getenv("RHC_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << text;
  }
  CHECK(text == read_file(golden));
  CHECK(exposition_errors(text).empty());
}

TEST_CASE("to_prometheus of empty stats is valid and has every family", "[metrics][prometheus]") {
  const std::string text = rhc::to_prometheus(rhc::ClientStats{});
  CHECK(exposition_errors(text).empty());
  const std::string full = rhc::to_prometheus(sample_stats());
  std::istringstream a(text), b(full);
  std::string line, types_empty, types_full;
  while (std::getline(a, line)) types_empty += line.rfind("# TYPE", 0) == 0 ? line + "\n" : "";
  while (std::getline(b, line)) types_full += line.rfind("# TYPE", 0) == 0 ? line + "\n" : "";
  CHECK(types_empty == types_full);
  CHECK(text.find("\nrhc_requests_total 0\n") != std::string::npos);
  CHECK(text.find("\nrhc_request_duration_seconds_bucket{le=\"+Inf\"} 0\n") != std::string::npos);
  CHECK(text.find("authority=") == std::string::npos);
}

TEST_CASE("to_prometheus names every family after the prefix", "[metrics][prometheus]") {
  for (const char* prefix : {"payments_rhc", ":ns:rhc", "_x9", "A"}) {
    INFO("prefix " << prefix);
    const std::string text = rhc::to_prometheus(sample_stats(), prefix);
    CHECK(exposition_errors(text).empty());
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      const auto name = line.rfind("# ", 0) == 0 ? line.substr(7) : line;  // "# HELP ", "# TYPE "
      CHECK(name.rfind(std::string(prefix) + "_", 0) == 0);
    }
  }
}

TEST_CASE("to_prometheus refuses a prefix that is not a metric name", "[metrics][prometheus]") {
  for (const char* prefix : {"", "1rhc", "rhc-client", "my rhc", "rhc{x}", "rhc\n", "rhé"}) {
    INFO("prefix " << prefix);
    CHECK_THROWS_AS(rhc::to_prometheus(sample_stats(), prefix), rhc::ConfigError);
    CHECK_THROWS_WITH(rhc::to_prometheus(sample_stats(), prefix),
                      Catch::Matchers::Contains("\"" + std::string(prefix) + "\""));
  }
}

TEST_CASE("to_prometheus escapes backslash, double quote and line feed in label values",
          "[metrics][prometheus]") {
  rhc::ClientStats s;
  rhc::AuthorityStats odd;
  odd.authority = "http://a\"b\\c\nd:80";
  odd.requests = 1;
  s.authorities = {odd};
  s.failures_by_error = {{"Weird\"Error\\", 1}};
  const std::string text = rhc::to_prometheus(s);
  CHECK(exposition_errors(text).empty());
  CHECK(text.find(R"(rhc_authority_requests_total{authority="http://a\"b\\c\nd:80"} 1)") !=
        std::string::npos);
  CHECK(text.find(R"(rhc_circuit_state{authority="http://a\"b\\c\nd:80",state="open"} 0)") !=
        std::string::npos);
  CHECK(text.find(R"(rhc_failures_total{error="Weird\"Error\\"} 1)") != std::string::npos);
}

TEST_CASE("to_prometheus writes integers whole and doubles in their shortest exact form",
          "[metrics][prometheus]") {
  rhc::ClientStats s;
  s.requests = std::numeric_limits<std::uint64_t>::max();
  s.request_duration.upper_bounds = {0.005, 0.1, 1e-6, 1e21};
  s.request_duration.counts = {0, 0, 0, 0, 0};
  s.request_duration.sum = 0.1 + 0.2;
  const std::string text = rhc::to_prometheus(s);
  CHECK(exposition_errors(text).empty());
  CHECK(text.find("\nrhc_requests_total 18446744073709551615\n") != std::string::npos);
  CHECK(text.find("{le=\"0.005\"} 0\n") != std::string::npos);
  CHECK(text.find("{le=\"0.1\"} 0\n") != std::string::npos);
  CHECK(text.find("{le=\"1e-06\"} 0\n") != std::string::npos);
  CHECK(text.find("{le=\"1e+21\"} 0\n") != std::string::npos);
  CHECK(text.find("\nrhc_request_duration_seconds_sum 0.30000000000000004\n") != std::string::npos);
}
