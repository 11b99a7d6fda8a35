// rhc-probe: what a user touches first. One request through the whole policy chain (with
// curl's options and exit codes), a guided demo against the embedded failure-injection
// server, or a bounded load run.
#include <iostream>

#include <CLI/CLI.hpp>

#include <rhc/rhc.hpp>

#include "config_overrides.hpp"
#include "demo.hpp"
#include "load.hpp"
#include "load_command.hpp"
#include "one_request.hpp"
#include "outcome_class.hpp"
#include "request_flags.hpp"

namespace {

constexpr const char* kFooter =
    R"(Output (rhc-probe URL): stdout carries the response as curl prints it (the body; the
status line and headers first with -i; only those with -I); -o FILE sends it to FILE.
stderr carries rhc's report (status, attempts, request id, elapsed, circuit) and the error
line; -s silences both (-S keeps the error line). --output json prints one JSON line instead.
An HTTP error status (4xx, 5xx, after retries) is printed and exits 0, as in curl; -f makes
it exit 22 without printing the body. Ctrl-C or SIGTERM cancels the request (exit 122).

Exit codes (rhc-probe URL), curl's where curl has the failure class:
  0    a response, whatever its status (with -f: a status below 400)
  1    a redirect rhc refused (to a scheme other than http or https)
  2    bad arguments, options or configuration (ConfigError); an unknown option
  5/6  the proxy's / the host's name did not resolve
  7    the connection was refused or failed (any other connection failure too)
  8    the response is not valid HTTP (ProtocolError)
  18   the body was cut short
  22   with -f: a status >= 400 (after retries)
  23   -o FILE could not be written
  28   a timeout: --connect-timeout, -m/--max-time, or rhc's read/write/pool timeouts
  35   the TLS handshake was refused or cut short (TLSError, or a connection failure)
  47   more than max_redirects redirects
  52   the server closed the connection without answering
  56   the connection broke while receiving
  58   the client certificate or key cannot be used (TLSError)
  60   the server's certificate did not verify (TLSError)
  63   the body exceeded max_response_bytes (ResponseTooLargeError)
  90   the server's public key is not the pinned one (TLSError)
rhc-probe's own, for what curl does not have:
  120  the circuit breaker is open: nothing was sent (CircuitOpenError)
  121  no bulkhead slot within acquisition_timeout (PoolTimeoutError)
  122  the request was cancelled (Ctrl-C, SIGTERM; CancelledError)
  123  any other rhc error
rhc-probe demo exits 0 only if every scenario behaved as expected. rhc-probe load exits 0
when the run completed, 1 when its error share is above --max-errors, 2 on bad arguments, 6
when writing the Prometheus text failed (rhc-probe load --help tells more).

Configuration: --config FILE.json, else RHC_* environment variables (ClientConfig::from_json,
from_env; every key in docs/configuration.md); flags override both. rhc-probe URL retries
quickly, as a one-shot command should: 3 attempts, backoff from 0.1 s to at most 1 s (a
refused port fails in about 0.3 s), unless --config or an RHC_RETRY_* variable is given.
rhc-probe load sends one attempt per request unless --resilience is given; then the
configuration applies as is (rhc's defaults: 5 attempts, 1 s to 60 s apart).)";

// One line naming what was wrong, as curl does, instead of the whole help; `help` is the
// command whose --help tells more.
int usage_error(const CLI::App& app, const CLI::ParseError& e, const std::string& help) {
  std::string what = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    // Recursive: an extra argument after a subcommand is the subcommand's.
    const auto extras = app.remaining(true);
    if (!extras.empty()) {
      const std::string& first = extras.front();
      what = (first.size() > 1 && first[0] == '-' ? "unknown option '" : "unexpected argument '") +
             first + "'";
    }
  }
  std::cerr << "rhc-probe: " << what << " (see " << help << ")\n";
  return rhc::probe::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "rhc-probe: exercise an HTTP API through rhc's retry, circuit breaker and bulkhead; "
      "`rhc-probe [options] URL [options]` takes curl's options"};
  app.set_version_flag("--version", rhc::version_details());
  app.footer(kFooter);

  rhc::probe::RequestArgs one;
  std::string config_file;
  rhc::probe::Overrides o;
  std::string output = "text";
  app.add_option("url", one.url, "URL to request (absolute, or relative to the config's base_url)");
  rhc::probe::add_request_flags(app, one);
  app.add_flag("-i,--include", one.include_headers, "the status line and headers before the body");
  app.add_flag("-I,--head", one.head, "HEAD request; print the status line and headers only");
  app.add_option("-o,--output-file", one.output_file,
                 "write the response (as stdout would get it) to FILE")
      ->type_name("FILE");
  app.add_flag("-s,--silent", one.silent, "no report and no error line on stderr");
  app.add_flag("-S,--show-error", one.show_error, "with -s, still print the error line");
  app.add_flag("-v,--verbose", one.verbose,
               "'> ' request and '< ' response headers, and rhc's DEBUG log as '* ' lines, "
               "on stderr");
  rhc::probe::add_connection_flags(app, o);
  app.add_flag("-f,--fail", one.fail, "a status >= 400 exits 22, without printing the body");
  app.add_option("--config", config_file, "client configuration, JSON (docs/configuration.md)")
      ->check(CLI::ExistingFile);
  app.add_option("--retries", o.retries, "retries after the first attempt (max_attempts - 1)")
      ->check(CLI::Range(0, 100));
  app.add_option("--request-id", one.request_id, "X-Request-ID to send on every attempt");
  app.add_option("--output", output, "text or json (one line on stdout)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  bool stats = false;
  const char* const kStatsHelp =
      "after the request or run, print the client's stats(): totals, duration "
      "percentiles, per authority (rhc-probe URL: stderr; load: stdout, stderr with "
      "--output json)";
  app.add_flag("--stats", stats, kStatsHelp);

  auto* demo = app.add_subcommand(
      "demo",
      "start the embedded failure-injection server and walk through retries, the "
      "circuit breaker, the bulkhead and idempotency");
  bool demo_verbose = false;
  demo->add_flag("-v,--verbose", demo_verbose, "show the client's own log lines");

  rhc::probe::LoadArgs load;
  auto* load_cmd = rhc::probe::add_load_command(app, load, o, config_file, output, stats);

  auto* version = app.add_subcommand("version", "print rhc's, libcurl's and OpenSSL's versions");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(app, e, load_cmd->parsed() ? "rhc-probe load --help" : "rhc-probe --help");
  }

  if (version->parsed()) {
    std::cout << rhc::version_details() << "\n";
    return 0;
  }
  if (demo->parsed()) return rhc::probe::run_demo(demo_verbose);

  const bool one_shot = !load_cmd->parsed();
  if (one_shot && one.url.empty()) {
    std::cerr << "rhc-probe: no URL given (see rhc-probe --help)\n";
    return rhc::probe::kExitUsage;
  }
  rhc::ClientConfig config;
  try {
    config = rhc::probe::load_config(config_file, o, one_shot);
  } catch (const rhc::ConfigError& e) {
    std::cerr << "rhc-probe: " << e.what() << "\n";
    return rhc::probe::kExitUsage;
  }
  if (load_cmd->parsed()) {
    load.json_output = output == "json";
    load.stats = stats;
    return rhc::probe::run_load(config, load);
  }
  one.json_output = output == "json";
  one.stats = stats;
  return rhc::probe::run_one(config, one);
}
