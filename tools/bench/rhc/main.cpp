// rhc-bench: rhc's clients under the same driver as the libcurl baselines (rhc-bench-curl).
#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>

#include <rhc/rhc.hpp>

#include "../common/driver.hpp"
#include "clients.hpp"
#include "listeners.hpp"

int main(int argc, char** argv) {
  CLI::App app{"rhc's benchmark clients: futures and callbacks, default policy chain"};
  app.set_version_flag("--version", rhc::version_details());
  app.require_subcommand(1);
  rhc::bench::Registry clients(app);
  clients.add("futures", "(d) rhc, futures, default policy chain",
              [](const rhc::bench::RunOptions&) { return rhc::bench::make_rhc_futures(); });
  // The events-overhead runs (issue 15): (d) with one listener that counts events, and with
  // one that sleeps 10 ms per event; both print the counts to stderr at the end.
  clients.add(
      "futures-listener", "(d) plus one listener counting events in an atomic",
      [](const rhc::bench::RunOptions&) {
        return rhc::bench::make_rhc_futures(std::make_shared<rhc::bench::CountingListener>());
      });
  clients.add("futures-slow-listener", "(d) plus one listener sleeping 10 ms per event",
              [](const rhc::bench::RunOptions&) {
                return rhc::bench::make_rhc_futures(
                    std::make_shared<rhc::bench::CountingListener>(std::chrono::milliseconds(10)));
              });
  clients.add("callbacks", "(e) rhc, callbacks, default policy chain",
              [](const rhc::bench::RunOptions&) { return rhc::bench::make_rhc_callbacks(); });
  CLI11_PARSE(app, argc, argv);
  return clients.run_chosen();
}
