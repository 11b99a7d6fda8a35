// rhc-probe as a user runs it: the real binary, against the failure-injection server; exit
// codes, the one-line JSON output, demo, load output that parses, --stats and --prometheus.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <test_server/test_server.hpp>

using rhc::test_server::Fault;
using rhc::test_server::TestServer;

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
};

enum class Stderr { kDiscard, kMerge };

Run probe(const std::string& args, Stderr err = Stderr::kDiscard) {
  const char* binary = std::getenv("RHC_PROBE");
  REQUIRE(binary != nullptr);
  const std::string command =
      std::string(binary) + " " + args + (err == Stderr::kMerge ? " 2>&1" : " 2>/dev/null");
  Run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.out.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

rapidjson::Document json_line(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  INFO(text);
  REQUIRE_FALSE(doc.HasParseError());
  return doc;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The sample lines of metric `name` in Prometheus text: `name value` or `name{labels} value`.
std::vector<std::string> samples(const std::string& text, const std::string& name) {
  std::vector<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.compare(0, name.size(), name) == 0 && line.size() > name.size() &&
        (line[name.size()] == ' ' || line[name.size()] == '{')) {
      out.push_back(line);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("rhc-probe URL succeeds with exit 0 and reports attempts", "[probe]") {
  TestServer server;
  server.start();
  server.fail_next(1);
  auto run = probe(server.base_url() + "/msg --output json --request-id probe-1");
  CHECK(run.exit_code == 0);
  auto doc = json_line(run.out);
  CHECK(doc["ok"].GetBool());
  CHECK(doc["status"].GetInt() == 200);
  CHECK(doc["attempts"].GetInt() == 2);
  CHECK(std::string(doc["request_id"].GetString()) == "probe-1");
  CHECK(std::string(doc["circuit"].GetString()) == "CLOSED");
  CHECK(server.attempts_for("probe-1") == 2);

  auto text = probe(server.base_url() + "/health");
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("status      200") != std::string::npos);
}

TEST_CASE("rhc-probe exit codes tell the outcome class", "[probe]") {
  TestServer server;
  server.start();
  server.fail_next(3, Fault::status_code(404));
  auto not_found = probe(server.base_url() + "/msg --output json");
  CHECK(not_found.exit_code == 4);
  CHECK(std::string(json_line(not_found.out)["error"].GetString()) == "NotFoundError");

  server.reset();
  server.fail_next(10);
  auto server_error = probe(server.base_url() + "/msg --retries 1 --output json");
  CHECK(server_error.exit_code == 3);
  auto doc = json_line(server_error.out);
  CHECK(std::string(doc["error"].GetString()) == "ServerError");
  CHECK(doc["attempts"].GetInt() == 2);

  auto bad_header = probe(server.base_url() + "/msg -H 'no-colon'");
  CHECK(bad_header.exit_code == 2);
  auto bad_scheme = probe("ftp://127.0.0.1/x");
  CHECK(bad_scheme.exit_code == 2);
  auto bad_flag = probe("--no-such-flag");
  CHECK(bad_flag.exit_code == 2);

  const std::string config_path = "probe_test_config.json";
  std::ofstream(config_path) << R"({"retry": {"max_attempts": 0}})";
  auto bad_config = probe(server.base_url() + "/msg --config " + config_path);
  CHECK(bad_config.exit_code == 2);
  std::remove(config_path.c_str());
}

TEST_CASE("rhc-probe reaches a refused port with exit 3", "[probe]") {
  std::string url;
  {
    TestServer gone;
    gone.start();
    url = gone.base_url();
  }
  auto run = probe(url + "/msg --retries 0 --output json");
  CHECK(run.exit_code == 3);
  CHECK(std::string(json_line(run.out)["error"].GetString()) == "APIConnectionError");
}

TEST_CASE("rhc-probe load reports counts and percentiles that parse", "[probe][load]") {
  TestServer server;
  server.start();
  auto run = probe("load " + server.base_url() + "/msg -c 8 -n 400 --output json");
  REQUIRE(run.exit_code == 0);
  auto doc = json_line(run.out);
  CHECK(doc["requests"].GetInt() == 400);
  CHECK(doc["outcomes"]["ok"].GetInt() == 400);
  CHECK(doc["attempts"]["1"].GetInt() == 400);
  CHECK(doc["p50_ms"].GetDouble() <= doc["p99_ms"].GetDouble());
  CHECK(doc["p99_ms"].GetDouble() <= doc["max_ms"].GetDouble());
  CHECK(server.stats().msg_requests == 400);

  auto text = probe("load " + server.base_url() + "/msg -c 4 -d 0.5");
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("throughput") != std::string::npos);
  CHECK(text.out.find("p99") != std::string::npos);
}

TEST_CASE("rhc-probe demo passes every scenario", "[probe][demo]") {
  auto run = probe("demo");
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("4 of 4 scenarios behaved as expected") != std::string::npos);
}

TEST_CASE("rhc-probe --version names libcurl and OpenSSL", "[probe]") {
  auto run = probe("--version");
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("libcurl/") != std::string::npos);
  CHECK(run.out.find("OpenSSL/") != std::string::npos);
}

TEST_CASE("rhc-probe URL --stats reports the retry in the totals and per authority",
          "[probe][stats]") {
  TestServer server;
  server.start();
  server.fail_next(1);
  auto run = probe(server.base_url() + "/msg --stats");
  INFO(run.out);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "status      200"));
  CHECK(contains(run.out, "requests    1 (successes 1, failures 0)"));
  CHECK(contains(run.out, "attempts    2"));
  CHECK(contains(run.out, "retries     1 "));
  CHECK(contains(run.out, "duration ms p50 "));
  CHECK(contains(run.out, "authority   " + server.base_url() + "\n"));
  CHECK(contains(run.out, "  breaker CLOSED"));
  CHECK(contains(run.out, "  requests 1, attempts 2, failures 0, retries 1, budget exhausted 0"));
  CHECK(server.stats().msg_requests == 2);

  // With --output json the report goes to stderr: stdout stays the one JSON line.
  server.reset();
  auto json = probe(server.base_url() + "/msg --stats --output json");
  CHECK(json.exit_code == 0);
  CHECK(json_line(json.out)["ok"].GetBool());
}

TEST_CASE("rhc-probe load shows each authority's breaker and budget, and writes Prometheus text",
          "[probe][load][stats]") {
  TestServer server;
  server.start();
  const std::string path = "probe_test_metrics.prom";
  std::remove(path.c_str());
  auto run = probe("load " + server.base_url() + "/msg -c 2 -n 20 --prometheus " + path);
  INFO(run.out);
  REQUIRE(run.exit_code == 0);
  CHECK(contains(run.out, "authority    " + server.base_url() +
                              "  breaker CLOSED  rejected 0  retries 0  budget exhausted 0"));
  const std::string text = read_file(path);
  INFO(text);
  const auto requests = samples(text, "rhc_requests_total");
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].substr(requests[0].rfind(' ') + 1) == "20");
  bool closed_gauge = false;  // the one-hot gauge's closed series for the server, at 1
  for (const auto& line : samples(text, "rhc_circuit_state")) {
    closed_gauge = closed_gauge ||
                   (contains(line, "authority=\"" + server.base_url() + "\"") &&
                    contains(line, "state=\"closed\"") && line.substr(line.rfind(' ') + 1) == "1");
  }
  CHECK(closed_gauge);
  std::remove(path.c_str());

  auto json = probe("load " + server.base_url() + "/msg -c 2 -n 10 --output json --stats");
  REQUIRE(json.exit_code == 0);
  auto doc = json_line(json.out);
  const auto& authority = doc["authorities"][server.base_url().c_str()];
  CHECK(std::string(authority["breaker"].GetString()) == "CLOSED");
  CHECK(authority["retry_budget_exhausted"].GetInt() == 0);

  auto to_stdout = probe("load " + server.base_url() + "/msg -c 1 -n 5 --stats --prometheus -");
  CHECK(to_stdout.exit_code == 0);
  CHECK(contains(to_stdout.out, "requests    5 (successes 5, failures 0)"));
  CHECK(samples(to_stdout.out, "rhc_requests_total").size() == 1);
}

TEST_CASE("rhc-probe load refuses a --prometheus file it cannot write, before sending anything",
          "[probe][load][stats]") {
  TestServer server;
  server.start();
  auto run = probe("load " + server.base_url() + "/msg -n 5 --prometheus /nonexistent-dir/m.prom",
                   Stderr::kMerge);
  INFO(run.out);
  CHECK(run.exit_code == 2);
  CHECK(contains(run.out, "cannot write --prometheus file '/nonexistent-dir/m.prom'"));
  CHECK(server.stats().msg_requests == 0);
}
