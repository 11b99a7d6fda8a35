// rhc-probe as a user runs it: the real binary, against the failure-injection server; exit
// codes, the one-line JSON output, demo, and load output that parses.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <rapidjson/document.h>
#include <test_server/test_server.hpp>

using rhc::test_server::Fault;
using rhc::test_server::TestServer;

namespace {

struct Run {
  int exit_code = -1;
  std::string out;
};

Run probe(const std::string& args) {
  const char* binary = std::getenv("RHC_PROBE");
  REQUIRE(binary != nullptr);
  const std::string command = std::string(binary) + " " + args + " 2>/dev/null";
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
