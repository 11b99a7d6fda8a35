// rhc-probe as a child process: see probe_run.hpp.
#include "probe_run.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <test_server/test_server.hpp>

namespace rhc::probe_test {

using rhc::test_server::TestServer;

Run probe(const std::string& args, Stderr err) {
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

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::uint64_t count_of(const rapidjson::Value& object, const char* key) {
  return object.HasMember(key) ? object[key].GetUint64() : 0;
}

std::uint64_t outcome_count(const rapidjson::Document& doc, const char* outcome) {
  return doc["outcomes"][outcome]["count"].GetUint64();
}

// A port nothing listens on: a test server's, after it stopped.
std::string refused_url() {
  TestServer gone;
  gone.start();
  return gone.base_url();
}

// The echo server's answer: what arrived.
rapidjson::Document echoed(const Run& run) {
  INFO(run.out);
  REQUIRE(run.exit_code == 0);
  return json_line(run.out);
}

std::string header_of(const rapidjson::Document& doc, const char* name) {
  const auto& headers = doc["headers"];
  return headers.HasMember(name) ? headers[name].GetString() : "";
}

}  // namespace rhc::probe_test
