// rhc-probe run as a child process, for the probe's tests (probe_test.cpp: one request and
// curl's options; probe_load_test.cpp: load runs): the exit code and what it printed, and
// small readers of its output.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace rhc::probe_test {

struct Run {
  int exit_code = -1;
  std::string out;
};

enum class Stderr { kDiscard, kMerge };

// Runs $RHC_PROBE with `args` (a shell command line: quote what needs quoting).
Run probe(const std::string& args, Stderr err = Stderr::kDiscard);

// The probe's one-line JSON output (or any JSON text), parsed; a parse error fails the test.
rapidjson::Document json_line(const std::string& text);

std::string read_file(const std::string& path);
bool contains(const std::string& text, const std::string& part);

// The sample lines of metric `name` in Prometheus text: `name value` or `name{labels} value`.
std::vector<std::string> samples(const std::string& text, const std::string& name);

double seconds_since(std::chrono::steady_clock::time_point start);
std::uint64_t count_of(const rapidjson::Value& object, const char* key);
// load --output json: how many requests ended with `outcome`.
std::uint64_t outcome_count(const rapidjson::Document& doc, const char* outcome);

// A port nothing listens on: a test server's, after it stopped.
std::string refused_url();

// The echo server's answer to a successful run: what arrived.
rapidjson::Document echoed(const Run& run);
std::string header_of(const rapidjson::Document& doc, const char* name);

}  // namespace rhc::probe_test
