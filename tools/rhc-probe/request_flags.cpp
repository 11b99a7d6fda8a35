#include "request_flags.hpp"

#include <string>
#include <vector>

namespace rhc::probe {
namespace {

// Body pieces keep their command-line order across the four options (curl joins them with
// '&' in that order), so each appends as it is parsed rather than into a vector of its own.
void add_body_flag(CLI::App& command, RequestSpec& spec, const char* names, BodyPart::Kind kind,
                   const char* help) {
  one_value(command
                .add_option_function<std::vector<std::string>>(
                    names,
                    [&spec, kind](const std::vector<std::string>& values) {
                      for (const auto& v : values) spec.body.push_back({kind, v});
                    },
                    help)
                ->trigger_on_parse());
}

}  // namespace

CLI::Option* one_value(CLI::Option* option) { return option->allow_extra_args(false); }

void add_request_flags(CLI::App& command, RequestSpec& spec) {
  one_value(command.add_option_function<std::string>(
      "-X,--request,--method", [&spec](const std::string& v) { spec.method = v; },
      "HTTP method (default: GET; HEAD with -I; POST with a body)"));
  one_value(
      command.add_option("-H,--header", spec.headers, "request header 'Name: value' (repeatable)"));
  add_body_flag(command, spec, "-d,--data", BodyPart::kData,
                "request body (POST, application/x-www-form-urlencoded unless -H says "
                "otherwise); @FILE (@-: stdin) without its CR and LF; repeated: joined with '&'");
  add_body_flag(command, spec, "--data-raw", BodyPart::kDataRaw, "as -d, but '@' is not special");
  add_body_flag(command, spec, "--data-binary", BodyPart::kDataBinary,
                "as -d, but @FILE is sent as is");
  add_body_flag(command, spec, "--json", BodyPart::kJson,
                "JSON body (POST, Content-Type and Accept application/json); @FILE, @-: stdin");
  command.add_option("-u,--user", spec.user, "'user:password' for HTTP Basic authentication");
}

void add_connection_flags(CLI::App& command, Overrides& o) {
  command.add_flag("-k,--insecure", o.insecure, "do not verify the server's certificate");
  command.add_option("--cacert", o.cacert, "PEM file of CAs to trust instead of the system's")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  command.add_option("-E,--cert", o.cert, "client certificate (PEM) for mutual TLS")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  command.add_option("--key", o.key, "the client certificate's private key (PEM)")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  command.add_option("--pass", o.key_password, "the private key's passphrase");
  command.add_option("--pinnedpubkey", o.pinned_key,
                     "the server's public key: sha256//<base64>[;...] or a key file");
  command.add_flag_callback(
      "--tlsv1.2", [&o] { o.tls_min = "1.2"; }, "TLS 1.2 or later");
  command.add_flag_callback(
      "--tlsv1.3", [&o] { o.tls_min = "1.3"; }, "TLS 1.3 only");
  command.add_flag_callback(
      "--http1.1", [&o] { o.http_version = "1.1"; }, "HTTP/1.1 only");
  command.add_flag_callback(
      "--http2", [&o] { o.http_version = "2"; },
      "HTTP/2 (over TLS by ALPN, h2c upgrade on cleartext)");
  command.add_flag_callback(
      "--http2-prior-knowledge", [&o] { o.http_version = "2-prior-knowledge"; },
      "HTTP/2 on cleartext without the upgrade");
  command.add_option("--unix-socket", o.unix_socket, "connect to this unix socket instead")
      ->type_name("PATH");
  command.add_flag("--compressed", o.compressed,
                   "offer every content coding libcurl decodes (default: gzip)");
  command.add_option("-A,--user-agent", o.user_agent, "User-Agent to send");
  command.add_option("-x,--proxy", o.proxy, "proxy URL, e.g. http://proxy:3128")->type_name("URL");
  command
      .add_option("-m,--max-time", o.max_time,
                  "bound on the whole request, retries and backoff included (timeout.total)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 86400.0));
  command.add_option("--connect-timeout", o.connect_timeout, "bound on each connection set-up")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.001, 86400.0));
  command.add_option("--timeout", o.timeout, "connect/read/write/pool timeout in seconds")
      ->check(CLI::Range(0.001, 86400.0));
}

}  // namespace rhc::probe
