// rhc-probe: what a user touches first. One request through the whole policy chain (with
// curl's options and exit codes), a guided demo against the embedded failure-injection
// server, or a bounded load run.
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include <rhc/rhc.hpp>

#include "demo.hpp"
#include "load.hpp"
#include "one_request.hpp"
#include "outcome_class.hpp"

extern char** environ;

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
  35   the TLS handshake failed
  47   more than max_redirects redirects
  52   the server closed the connection without answering
  56   the connection broke while receiving
  60   the server's certificate did not verify (TLSError)
  63   the body exceeded max_response_bytes (ResponseTooLargeError)
rhc-probe's own, for what curl does not have:
  120  the circuit breaker is open: nothing was sent (CircuitOpenError)
  121  no bulkhead slot within acquisition_timeout (PoolTimeoutError)
  122  the request was cancelled (Ctrl-C, SIGTERM; CancelledError)
  123  any other rhc error
rhc-probe demo exits 0 only if every scenario behaved as expected. rhc-probe load exits 0
when the run completed (whatever the outcomes), 2 on bad arguments (a --prometheus file it
cannot open too), 6 when writing the Prometheus text failed.

Configuration: --config FILE.json, else RHC_* environment variables (ClientConfig::from_json,
from_env; every key in docs/configuration.md); flags override both. rhc-probe URL retries
quickly, as a one-shot command should: 3 attempts, backoff from 0.1 s to at most 1 s (a
refused port fails in about 0.3 s), unless --config or an RHC_RETRY_* variable is given;
rhc's defaults (5 attempts, 1 s to 60 s) apply to load.)";

// The retry settings of `rhc-probe URL` when neither --config nor an RHC_RETRY_* variable
// says otherwise: rhc's defaults (5 attempts from 1 s, doubling) make a refused port take
// ~12 s, too long for a command a person waits on.
constexpr int kProbeMaxAttempts = 3;
constexpr double kProbeMinWaitSeconds = 0.1;
constexpr double kProbeMaxWaitSeconds = 1.0;

bool retry_set_in_environment() {
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).rfind("RHC_RETRY_", 0) == 0) return true;
  }
  return false;
}

// Overrides of single fields from the command line; unset ones keep the configuration's.
struct Overrides {
  int retries = -1;
  double timeout = 0;
  double max_time = -1;
  double connect_timeout = 0;
  bool insecure = false;
  std::string cacert;
  std::string proxy;
  std::string user_agent;
};

// --config FILE, else the environment; then the flags that override single fields.
rhc::ClientConfig load_config(const std::string& file, const Overrides& o, bool one_shot) {
  rhc::ClientConfig config;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw rhc::ConfigError("cannot read --config file '" + file + "'");
    std::ostringstream text;
    text << in.rdbuf();
    config = rhc::ClientConfig::from_json(text.str());
  } else {
    config = rhc::ClientConfig::from_env();
    if (one_shot && !retry_set_in_environment()) {
      config.retry.max_attempts = kProbeMaxAttempts;
      config.retry.min_wait = rhc::Seconds(kProbeMinWaitSeconds);
      config.retry.max_wait = rhc::Seconds(kProbeMaxWaitSeconds);
    }
  }
  if (o.retries >= 0) config.retry.max_attempts = o.retries + 1;
  if (o.timeout > 0) {
    const rhc::Seconds total = config.timeout.total;
    config.timeout = rhc::TimeoutConfig::all(rhc::Seconds(o.timeout));
    config.timeout.total = total;
  }
  if (o.connect_timeout > 0) config.timeout.connect = rhc::Seconds(o.connect_timeout);
  if (o.max_time >= 0) config.timeout.total = rhc::Seconds(o.max_time);
  if (o.insecure) config.verify_ssl = false;
  if (!o.cacert.empty()) config.ca_bundle = o.cacert;
  if (!o.proxy.empty()) config.proxy = o.proxy;
  if (!o.user_agent.empty()) config.user_agent = o.user_agent;
  config.validate();
  return config;
}

// One line naming what was wrong, as curl does, instead of the whole help.
int usage_error(const CLI::App& app, const CLI::ParseError& e) {
  std::string what = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    const auto extras = app.remaining();
    if (!extras.empty()) {
      const std::string& first = extras.front();
      what = (first.size() > 1 && first[0] == '-' ? "unknown option '" : "unexpected argument '") +
             first + "'";
    }
  }
  std::cerr << "rhc-probe: " << what << " (see rhc-probe --help)\n";
  return rhc::probe::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using rhc::probe::BodyPart;
  CLI::App app{
      "rhc-probe: exercise an HTTP API through rhc's retry, circuit breaker and bulkhead; "
      "`rhc-probe [options] URL [options]` takes curl's options"};
  app.set_version_flag("--version", rhc::version_details());
  app.footer(kFooter);

  rhc::probe::RequestArgs one;
  std::string config_file;
  Overrides o;
  std::string output = "text";
  app.add_option("url", one.url, "URL to request (absolute, or relative to the config's base_url)");
  // Every option takes exactly one value per occurrence, so that an option before the URL
  // never swallows it (`-H 'A: b' URL`).
  auto one_value = [](CLI::Option* opt) { return opt->allow_extra_args(false); };
  one_value(app.add_option_function<std::string>(
      "-X,--request,--method", [&](const std::string& v) { one.method = v; },
      "HTTP method (default: GET; HEAD with -I; POST with a body)"));
  one_value(
      app.add_option("-H,--header", one.headers, "request header 'Name: value' (repeatable)"));
  auto add_body = [&](const char* names, BodyPart::Kind kind, const char* help) {
    one_value(app.add_option_function<std::vector<std::string>>(
                     names,
                     [&one, kind](const std::vector<std::string>& values) {
                       for (const auto& v : values) one.body.push_back({kind, v});
                     },
                     help)
                  ->trigger_on_parse());
  };
  add_body("-d,--data", BodyPart::kData,
           "request body (POST, application/x-www-form-urlencoded unless -H says otherwise); "
           "@FILE (@-: stdin) without its CR and LF; repeated: joined with '&'");
  add_body("--data-raw", BodyPart::kDataRaw, "as -d, but '@' is not special");
  add_body("--data-binary", BodyPart::kDataBinary, "as -d, but @FILE is sent as is");
  add_body("--json", BodyPart::kJson,
           "JSON body (POST, Content-Type and Accept application/json); @FILE, @-: stdin");
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
  app.add_flag("-k,--insecure", o.insecure, "do not verify the server's certificate");
  app.add_option("--cacert", o.cacert, "PEM file of CAs to trust instead of the system's")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  app.add_option("-u,--user", one.user, "'user:password' for HTTP Basic authentication");
  app.add_option("-A,--user-agent", o.user_agent, "User-Agent to send");
  app.add_option("-x,--proxy", o.proxy, "proxy URL, e.g. http://proxy:3128")->type_name("URL");
  app.add_option("-m,--max-time", o.max_time,
                 "bound on the whole request, retries and backoff included (timeout.total)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 86400.0));
  app.add_option("--connect-timeout", o.connect_timeout, "bound on each connection set-up")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.001, 86400.0));
  app.add_flag("-f,--fail", one.fail, "a status >= 400 exits 22, without printing the body");
  app.add_option("--config", config_file, "client configuration, JSON (docs/configuration.md)")
      ->check(CLI::ExistingFile);
  app.add_option("--retries", o.retries, "retries after the first attempt (max_attempts - 1)")
      ->check(CLI::Range(0, 100));
  app.add_option("--timeout", o.timeout, "connect/read/write/pool timeout in seconds")
      ->check(CLI::Range(0.001, 86400.0));
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
  auto* load_cmd = app.add_subcommand("load", "bounded closed-loop load run, with percentiles");
  load_cmd->add_option("url", load.url, "URL to request")->required();
  load_cmd->add_option("-c,--concurrency", load.concurrency, "requests in flight")
      ->capture_default_str();
  auto* n = load_cmd->add_option("-n,--requests", load.requests, "stop after N requests");
  auto* d = load_cmd->add_option("-d,--duration", load.duration_s, "stop after S seconds");
  n->excludes(d);
  load_cmd->add_option("--output", output, "text or json")->check(CLI::IsMember({"text", "json"}));
  load_cmd->add_option("--config", config_file, "client configuration JSON")
      ->check(CLI::ExistingFile);
  load_cmd->add_flag("--stats", stats, kStatsHelp);
  load_cmd
      ->add_option("--prometheus", load.prometheus_file,
                   "after the run, write the client's stats as Prometheus text to FILE "
                   "('-': stdout)")
      ->type_name("FILE");

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
    return usage_error(app, e);
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
    config = load_config(config_file, o, one_shot);
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
