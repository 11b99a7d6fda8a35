// rhc-bench: rhc's clients under the same driver as the libcurl baselines (rhc-bench-curl).
#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>

#include <rhc/rhc.hpp>

#include "../common/driver.hpp"
#include "clients.hpp"
#include "listeners.hpp"

int main(int argc, char** argv) {
  CLI::App app{"rhc's benchmark clients: futures, callbacks, caller threads, default policy chain"};
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
  // Issue 20's legacy shape and fail-fast runs.
  clients.add("futures-threads", "(f) rhc, one caller thread per request in flight on get().get()",
              [](const rhc::bench::RunOptions&) { return rhc::bench::make_rhc_futures_threads(); });
  clients.add("open-breaker",
              "(g) get().get() refused by an open circuit breaker: call to exception (the "
              "--url's path only; the host is a refusing loopback port)",
              [](const rhc::bench::RunOptions&) { return rhc::bench::make_rhc_open_breaker(); });
  CLI11_PARSE(app, argc, argv);
  return clients.run_chosen();
}
