// `rhc-probe URL ...`: one request through the whole policy chain, reported.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <rhc/config.hpp>

namespace rhc::probe {

struct RequestArgs {
  std::string url;
  std::string method = "GET";
  std::vector<std::string> headers;  // "K: V"
  std::optional<std::string> json;   // text, or @FILE
  std::optional<std::string> request_id;
  bool json_output = false;
  bool verbose = false;
  // After the outcome, the client's stats() (stats_report.hpp): on stdout after the text
  // report, on stderr with json_output so that stdout stays one JSON line.
  bool stats = false;
};

// Returns the exit code (outcome_class.hpp).
int run_one(const rhc::ClientConfig& config, const RequestArgs& args);

}  // namespace rhc::probe
