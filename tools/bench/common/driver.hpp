// The part of every benchmark program that is not a client: command-line options, the
// timed / counted / RSS runs, CPU and memory sampling, and the one JSON line of results.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plan.hpp"

namespace rhc::bench {

struct RunOptions {
  std::string url = "http://127.0.0.1:28080/msg";
  int concurrency = 1;
  double warmup_s = 1.0;
  double duration_s = 5.0;
  long requests = 0;      // > 0: a counted run of exactly this many requests (for callgrind).
  long rss_inflight = 0;  // > 0: the RSS run, this many requests in flight at once.
  std::string label;      // printed as "client"; defaults to the subcommand's name.
  std::string libcurl;    // raw loop only: extra libcurl settings by name (raw_multi.cpp).
};

using WorkloadFactory = std::function<std::unique_ptr<Workload>(const RunOptions&)>;

// Adds a subcommand `name` with the common options; when it is chosen, main() calls run().
class Registry {
 public:
  explicit Registry(CLI::App& app) : app_(app) {}
  void add(const std::string& name, const std::string& description, WorkloadFactory factory);
  // Runs the chosen subcommand's workload, prints one JSON line; the exit code.
  int run_chosen();

 private:
  struct Entry {
    std::string name;
    CLI::App* command;
    WorkloadFactory factory;
    RunOptions options;
  };
  CLI::App& app_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

// Resident set size of this process, in bytes (/proc/self/statm).
long current_rss_bytes();

}  // namespace rhc::bench
