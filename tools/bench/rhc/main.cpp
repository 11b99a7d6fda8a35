// rhc-bench: rhc's clients under the same driver as the libcurl baselines (rhc-bench-curl).
#include <CLI/CLI.hpp>

#include <rhc/rhc.hpp>

#include "../common/driver.hpp"
#include "clients.hpp"

int main(int argc, char** argv) {
  CLI::App app{"rhc's benchmark clients: futures and callbacks, default policy chain"};
  app.set_version_flag("--version", rhc::version_details());
  app.require_subcommand(1);
  rhc::bench::Registry clients(app);
  clients.add("futures", "(d) rhc, futures, default policy chain",
              [](const rhc::bench::RunOptions&) { return rhc::bench::make_rhc_futures(); });
  clients.add("callbacks", "(e) rhc, callbacks, default policy chain",
              [](const rhc::bench::RunOptions&) { return rhc::bench::make_rhc_callbacks(); });
  CLI11_PARSE(app, argc, argv);
  return clients.run_chosen();
}
