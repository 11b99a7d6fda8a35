// `rhc-probe load`'s command line: its options, their help and its footer (modes, outcomes,
// exit codes, examples), registered as a CLI11 subcommand.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "config_overrides.hpp"
#include "load.hpp"

namespace rhc::probe {

// The options shared with `rhc-probe URL` (--config, --output, --stats and the connection
// flags) write to the same variables as the top-level ones. Returns the subcommand, so that
// main can ask whether it was parsed.
CLI::App* add_load_command(CLI::App& app, LoadArgs& load, Overrides& overrides,
                           std::string& config_file, std::string& output, bool& stats);

}  // namespace rhc::probe
