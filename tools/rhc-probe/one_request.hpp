// `rhc-probe URL ...`: one request through the whole policy chain, with curl's options and
// curl's exit codes (outcome_class.hpp).
//
// stdout carries the response as curl prints it: the body, after the status line and headers
// with -i (only those with -I), or one JSON line with --output json. stderr carries rhc's
// report (status, attempts, request id, elapsed, circuit), error lines, -v's `*`, `>` and `<`
// lines and --stats; -s silences all of it but -v and --stats (-S keeps the error line).
#pragma once

#include <string>

#include <rhc/config.hpp>

#include "request_spec.hpp"

namespace rhc::probe {

// The request (request_spec.hpp) and how to show its outcome.
struct RequestArgs : RequestSpec {
  std::string url;
  std::string output_file;       // -o: the body (and headers with -i) go there
  bool include_headers = false;  // -i
  bool fail = false;             // -f: a status >= 400 exits 22 and prints no body
  bool silent = false;           // -s
  bool show_error = false;       // -S
  bool json_output = false;      // --output json
  bool verbose = false;          // -v
  // After the outcome, the client's stats() (stats_report.hpp), on stderr.
  bool stats = false;
};

// Returns the exit code (outcome_class.hpp).
int run_one(const rhc::ClientConfig& config, const RequestArgs& args);

}  // namespace rhc::probe
