// rhc-bench-curl: the plain-libcurl baselines (raw multi loop, legacy threads) and the slow
// server for the RSS run. Needs nothing of rhc, so the baselines build and run on their own.
#include <curl/curl.h>

#include <CLI/CLI.hpp>

#include "../common/driver.hpp"
#include "clients.hpp"

int main(int argc, char** argv) {
  CLI::App app{"rhc's benchmark baselines: plain libcurl clients, and the slow server"};
  app.set_version_flag("--version", curl_version());
  app.require_subcommand(1);
  rhc::bench::Registry clients(app);
  clients.add("raw", "(b) the minimal raw libcurl multi loop", [](const rhc::bench::RunOptions& o) {
    return rhc::bench::make_raw_multi(o.libcurl);
  });
  clients.add("raw-tuned", "(b') the raw loop, libcurl configured for speed (proxy,curlu)",
              [](const rhc::bench::RunOptions& o) {
                return rhc::bench::make_raw_multi("proxy,curlu," + o.libcurl);
              });
  clients.add("threads", "(c) one thread per request in flight, blocking curl_easy_perform",
              [](const rhc::bench::RunOptions&) { return rhc::bench::make_easy_threads(); });

  rhc::bench::SlowServerOptions slow;
  CLI::App* slow_command =
      app.add_subcommand("slow-server", "hold requests, answer them all once enough arrived");
  slow_command->add_option("--port", slow.port)->capture_default_str();
  slow_command
      ->add_option("--release-after", slow.release_after,
                   "answer once this many requests are held (0: each after --delay-ms)")
      ->capture_default_str();
  slow_command->add_option("--delay-ms", slow.delay_ms, "hold after the release")
      ->capture_default_str();
  slow_command->add_option("--max-hold-ms", slow.max_hold_ms, "answer anyway after this long")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (slow_command->parsed()) return rhc::bench::run_slow_server(slow);
  return clients.run_chosen();
}
