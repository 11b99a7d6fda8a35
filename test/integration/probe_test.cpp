// rhc-probe as a user runs it: the real binary, against the failure-injection server; exit
// codes, the one-line JSON output, curl's options (against the echo server, which sends back
// what arrived), demo, --stats. Load runs: probe_load_test.cpp.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <rapidjson/document.h>
#include <test_server/test_server.hpp>

#include <rhc/errors.hpp>

#include "../../tools/rhc-probe/outcome_class.hpp"
#include "echo_server.hpp"
#include "nginx_server.hpp"
#include "probe_run.hpp"
#include "test_certs.hpp"

using namespace rhc::probe_test;
using rhc::test_server::Fault;
using rhc::test_server::TestServer;

TEST_CASE("rhc-probe URL succeeds with exit 0 and reports attempts", "[probe]") {
  TestServer server;
  server.start();
  server.fail_next(1);
  auto run = probe(server.base_url() + "/msg --output json --request-id probe-1");
  CHECK(run.exit_code == 0);
  auto doc = json_line(run.out);
  CHECK(doc["ok"].GetBool());
  CHECK(doc["status"].GetInt() == 200);
  CHECK(doc["attempts"].GetInt() == 2);
  CHECK(std::string(doc["request_id"].GetString()) == "probe-1");
  CHECK(std::string(doc["circuit"].GetString()) == "CLOSED");
  CHECK(server.attempts_for("probe-1") == 2);

  // The report goes to stderr; stdout is the body alone, as curl's.
  auto text = probe(server.base_url() + "/health", Stderr::kMerge);
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("status      200") != std::string::npos);
  auto body = probe(server.base_url() + "/health");
  CHECK(body.exit_code == 0);
  CHECK_FALSE(contains(body.out, "status "));
  CHECK(contains(body.out, "{"));
}

// Issue #18 changed these from rhc-probe's own 3/4/5/6 to curl's: an HTTP error status is a
// response (exit 0) unless -f (22).
TEST_CASE("rhc-probe exit codes tell the outcome class", "[probe]") {
  TestServer server;
  server.start();
  server.fail_next(3, Fault::status_code(404));
  auto not_found = probe(server.base_url() + "/msg --output json");
  CHECK(not_found.exit_code == 0);
  CHECK(std::string(json_line(not_found.out)["error"].GetString()) == "NotFoundError");
  server.reset();
  server.fail_next(3, Fault::status_code(404));
  auto not_found_fail = probe(server.base_url() + "/msg -f", Stderr::kMerge);
  CHECK(not_found_fail.exit_code == 22);
  CHECK(contains(not_found_fail.out, "rhc-probe: (22) The requested URL returned error: 404"));

  server.reset();
  server.fail_next(10);
  auto server_error = probe(server.base_url() + "/msg --retries 1 --output json --fail");
  CHECK(server_error.exit_code == 22);
  auto doc = json_line(server_error.out);
  CHECK(std::string(doc["error"].GetString()) == "ServerError");
  CHECK(doc["attempts"].GetInt() == 2);
  CHECK(doc["exit_code"].GetInt() == 22);

  auto bad_header = probe(server.base_url() + "/msg -H 'no-colon'");
  CHECK(bad_header.exit_code == 2);
  auto bad_scheme = probe("ftp://127.0.0.1/x");
  CHECK(bad_scheme.exit_code == 2);
  auto bad_flag = probe("--no-such-flag", Stderr::kMerge);
  CHECK(bad_flag.exit_code == 2);
  CHECK(bad_flag.out == "rhc-probe: unknown option '--no-such-flag' (see rhc-probe --help)\n");
  auto bad_after_url = probe(server.base_url() + "/msg --bogus", Stderr::kMerge);
  CHECK(bad_after_url.exit_code == 2);
  CHECK(bad_after_url.out == "rhc-probe: unknown option '--bogus' (see rhc-probe --help)\n");
  auto missing_value = probe(server.base_url() + "/msg -X", Stderr::kMerge);
  CHECK(missing_value.exit_code == 2);
  CHECK(contains(missing_value.out, "--request"));
  CHECK(std::count(missing_value.out.begin(), missing_value.out.end(), '\n') == 1);
  auto no_url = probe("-s", Stderr::kMerge);
  CHECK(no_url.exit_code == 2);
  CHECK(no_url.out == "rhc-probe: no URL given (see rhc-probe --help)\n");
  auto head_with_body = probe(server.base_url() + "/msg -I -d x");
  CHECK(head_with_body.exit_code == 2);
  auto bad_user = probe(server.base_url() + "/msg -u nocolon");
  CHECK(bad_user.exit_code == 2);

  const std::string config_path = "probe_test_config.json";
  std::ofstream(config_path) << R"({"retry": {"max_attempts": 0}})";
  auto bad_config = probe(server.base_url() + "/msg --config " + config_path);
  CHECK(bad_config.exit_code == 2);
  std::remove(config_path.c_str());
}

TEST_CASE("rhc-probe reaches a refused port with exit 7, quickly with the defaults", "[probe]") {
  std::string url;
  {
    TestServer gone;
    gone.start();
    url = gone.base_url();
  }
  auto run = probe(url + "/msg --retries 0 --output json");
  CHECK(run.exit_code == 7);
  CHECK(std::string(json_line(run.out)["error"].GetString()) == "APIConnectionError");

  // The probe's own retry defaults: 3 attempts, 0.1 s to 1 s apart (rhc's take ~12 s).
  const auto start = std::chrono::steady_clock::now();
  auto defaults = probe(url + "/msg --output json");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(defaults.exit_code == 7);
  CHECK(json_line(defaults.out)["attempts"].GetInt() == 3);
  CHECK(seconds < 3.0);

  auto silent = probe(url + "/msg -s", Stderr::kMerge);
  CHECK(silent.exit_code == 7);
  CHECK(silent.out.empty());
  auto show_error = probe(url + "/msg -sS --retries 0", Stderr::kMerge);
  CHECK(show_error.exit_code == 7);
  CHECK(contains(show_error.out, "rhc-probe: (7) "));
  CHECK_FALSE(contains(show_error.out, "attempts    "));

  // A name that does not resolve (RFC 6761's .invalid): 6. A proxy that refuses: 7.
  auto unresolved = probe("http://no-such-host.invalid/msg --retries 0");
  CHECK(unresolved.exit_code == 6);
  auto proxy_refused = probe("http://no-such-host.invalid/msg --retries 0 -x " + url);
  CHECK(proxy_refused.exit_code == 7);
  // TLS spoken to a plain-HTTP server: the handshake fails, 35.
  TestServer plain;
  plain.start();
  std::string https = plain.base_url();
  https.replace(0, 4, "https");
  auto handshake = probe(https + "/health --retries 0");
  CHECK(handshake.exit_code == 35);
}

TEST_CASE("rhc-probe demo passes every scenario", "[probe][demo]") {
  auto run = probe("demo");
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("4 of 4 scenarios behaved as expected") != std::string::npos);
}

TEST_CASE("rhc-probe --version names libcurl and OpenSSL", "[probe]") {
  auto run = probe("--version");
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("libcurl/") != std::string::npos);
  CHECK(run.out.find("OpenSSL/") != std::string::npos);
}

TEST_CASE("rhc-probe URL --stats reports the retry in the totals and per authority",
          "[probe][stats]") {
  TestServer server;
  server.start();
  server.fail_next(1);
  auto run = probe(server.base_url() + "/msg --stats", Stderr::kMerge);
  INFO(run.out);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "status      200"));
  CHECK(contains(run.out, "requests    1 (successes 1, failures 0)"));
  CHECK(contains(run.out, "attempts    2"));
  CHECK(contains(run.out, "retries     1 "));
  CHECK(contains(run.out, "duration ms p50 "));
  CHECK(contains(run.out, "authority   " + server.base_url() + "\n"));
  CHECK(contains(run.out, "  breaker CLOSED"));
  CHECK(contains(run.out, "  requests 1, attempts 2, failures 0, retries 1, budget exhausted 0"));
  CHECK(server.stats().msg_requests == 2);

  // With --output json the report goes to stderr: stdout stays the one JSON line.
  server.reset();
  auto json = probe(server.base_url() + "/msg --stats --output json");
  CHECK(json.exit_code == 0);
  CHECK(json_line(json.out)["ok"].GetBool());
}

TEST_CASE("rhc-probe takes curl's request options, before or after the URL", "[probe][curl]") {
  rhc::testing::EchoServer echo;
  const std::string url = echo.base_url() + "/echo";

  auto get = echoed(probe("-H 'X-A: b' -H 'X-C: d' " + url + " -s"));
  CHECK(std::string(get["method"].GetString()) == "GET");
  CHECK(header_of(get, "X-A") == "b");
  CHECK(header_of(get, "X-C") == "d");

  auto put = echoed(probe("-X PUT " + url + " -d hello -s"));
  CHECK(std::string(put["method"].GetString()) == "PUT");
  CHECK(std::string(put["body"].GetString()) == "hello");

  auto form = echoed(probe(url + " -d a=1 --data-raw @b -s -d c=3"));
  CHECK(std::string(form["method"].GetString()) == "POST");
  CHECK(std::string(form["body"].GetString()) == "a=1&@b&c=3");
  CHECK(header_of(form, "Content-Type") == "application/x-www-form-urlencoded");

  const std::string file = "probe_test_body.txt";
  std::ofstream(file) << "line1\r\nline2\n";
  auto stripped = echoed(probe(url + " -s --data @" + file));
  CHECK(std::string(stripped["body"].GetString()) == "line1line2");
  auto binary = echoed(probe(url + " -s --data-binary @" + file + " -H 'Content-Type: text/x'"));
  CHECK(std::string(binary["body"].GetString()) == "line1\r\nline2\n");
  CHECK(header_of(binary, "Content-Type") == "text/x");
  std::remove(file.c_str());

  auto json = echoed(probe("--json '{\"k\":1}' " + url + " -s"));
  CHECK(std::string(json["method"].GetString()) == "POST");
  CHECK(std::string(json["body"].GetString()) == R"({"k":1})");
  CHECK(header_of(json, "Content-Type") == "application/json");
  CHECK(header_of(json, "Accept") == "application/json");

  auto auth = echoed(probe(url + " -s -u alice:s3cret -A probe-agent/1"));
  CHECK(header_of(auth, "Authorization") == "Basic YWxpY2U6czNjcmV0");
  CHECK(header_of(auth, "User-Agent") == "probe-agent/1");

  // -x: the proxy (the echo server) gets the request for a host that does not resolve.
  auto proxied = probe("-x " + echo.base_url() + " http://no-such-host.invalid/echo -s");
  CHECK(proxied.exit_code != 6);
  CHECK(proxied.exit_code != 7);
}

TEST_CASE("rhc-probe -i, -I, -o, -v and -f show what curl shows", "[probe][curl]") {
  rhc::testing::EchoServer echo;
  const std::string url = echo.base_url() + "/echo";

  auto include = probe("-i " + url + " -s");
  CHECK(include.exit_code == 0);
  CHECK(include.out.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(contains(include.out, "Content-Type: application/json\r\n"));
  CHECK(contains(include.out, "\r\n\r\n{\"method\":\"GET\""));

  auto head = probe("-I " + url + " -s");
  CHECK(head.exit_code == 0);
  CHECK(head.out.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK_FALSE(contains(head.out, "\"method\""));

  const std::string out_file = "probe_test_out.json";
  auto to_file = probe(url + " -s -o " + out_file);
  CHECK(to_file.exit_code == 0);
  CHECK(to_file.out.empty());
  CHECK(read_file(out_file).rfind("{\"method\":\"GET\"", 0) == 0);
  std::remove(out_file.c_str());
  auto bad_file = probe(url + " -o /nonexistent-dir/out");
  CHECK(bad_file.exit_code == 23);

  auto verbose = probe(url + " -v -s -H 'X-Trace: 1' --request-id v-1", Stderr::kMerge);
  INFO(verbose.out);
  CHECK(verbose.exit_code == 0);
  CHECK(contains(verbose.out, "> GET /echo HTTP/1.1\n"));
  CHECK(contains(verbose.out, "> Host: 127.0.0.1:"));
  CHECK(contains(verbose.out, "> X-Trace: 1\n"));
  CHECK(contains(verbose.out, "> X-Request-ID: v-1\n"));
  CHECK(contains(verbose.out, "< HTTP/1.1 200 OK\n"));
  CHECK(contains(verbose.out, "< Content-Type: application/json\n"));

  // An HTTP error is a response (body printed, exit 0) unless -f (22, no body).
  auto teapot = probe(echo.base_url() + "/status/418 -s");
  CHECK(teapot.exit_code == 0);
  CHECK(contains(teapot.out, "injected"));
  auto fail = probe(echo.base_url() + "/status/418 -f");
  CHECK(fail.exit_code == 22);
  CHECK(fail.out.empty());

  auto loop = probe(echo.base_url() + "/redirect-loop -s");
  CHECK(loop.exit_code == 47);
}

TEST_CASE("rhc-probe -m and --connect-timeout bound the request with exit 28", "[probe][curl]") {
  TestServer server;
  server.start();
  server.fail_next(5, Fault::hang(std::chrono::seconds(5)));
  const auto start = std::chrono::steady_clock::now();
  auto run = probe(server.base_url() + "/msg -m 0.5 --output json");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(4));
  CHECK(run.exit_code == 28);
  CHECK(std::string(json_line(run.out)["error"].GetString()) == "APITimeoutError");

  // A server that never answers: --connect-timeout is wired (it must accept the value and
  // the request ends with the read timeout's 28, not hang).
  rhc::testing::SilentServer silent;
  auto connect = probe(silent.base_url() + "/ --retries 0 --connect-timeout 0.3 --timeout 0.5 -s");
  INFO(connect.exit_code);
  CHECK(connect.exit_code == 28);
}

TEST_CASE("rhc-probe: Ctrl-C or SIGTERM cancels the request with exit 122", "[probe][curl]") {
  TestServer server;
  server.start();
  server.fail_next(1, Fault::hang(std::chrono::seconds(10)));
  const char* binary = std::getenv("RHC_PROBE");
  REQUIRE(binary != nullptr);
  const std::string command = "sh -c '" + std::string(binary) + " " + server.base_url() +
                              "/msg -s & p=$!; sleep 0.5; kill -TERM $p; wait $p'";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 122);
}

TEST_CASE("rhc-probe's own exit codes for rhc's refusals do not collide with curl's",
          "[probe][curl]") {
  // An open breaker and a full bulkhead cannot happen to one request in a fresh process:
  // the mapping itself, on the errors rhc throws.
  using rhc::probe::describe_error;
  auto code = [](auto error) { return describe_error(std::make_exception_ptr(error)).exit_code; };
  CHECK(code(rhc::CircuitOpenError("Circuit breaker is OPEN")) == 120);
  CHECK(code(rhc::PoolTimeoutError("no slot")) == 121);
  CHECK(code(rhc::CancelledError("cancelled")) == 122);
  using rhc::TlsProblem;
  CHECK(code(rhc::TLSError("certificate", {}, TlsProblem::UntrustedCertificate)) == 60);
  CHECK(code(rhc::TLSError("name", {}, TlsProblem::NameMismatch)) == 60);
  CHECK(code(rhc::TLSError("pin", {}, TlsProblem::PinMismatch)) == 90);
  CHECK(code(rhc::TLSError("key", {}, TlsProblem::ClientCertificateUnusable)) == 58);
  CHECK(code(rhc::TLSError("alert", {}, TlsProblem::ClientCertificateRequired)) == 35);
  CHECK(code(rhc::TLSError("version", {}, TlsProblem::ProtocolVersion)) == 35);
  CHECK(code(rhc::APITimeoutError("t", {}, rhc::TimeoutKind::Read)) == 28);
  CHECK(code(rhc::TooManyRedirectsError("r")) == 47);
  CHECK(code(rhc::APIConnectionError("x: Could not resolve host: a.invalid")) == 6);
  CHECK(code(rhc::APIConnectionError("x: Failed to connect to 127.0.0.1 port 1")) == 7);
  CHECK(code(rhc::ConfigError("bad")) == 2);
}

TEST_CASE("rhc-probe's TLS, HTTP version and unix socket flags against nginx",
          "[probe][curl][tls]") {
  // HTTP/2 sends header names in lower case; HTTP/1.1 as the server wrote them.
  auto has_header = [](std::string head, const std::string& line) {
    std::string lowered;
    for (std::size_t start = 0; start < head.size();) {
      std::size_t end = head.find('\n', start);
      if (end == std::string::npos) end = head.size();
      std::string l = head.substr(start, end - start);
      const std::size_t colon = l.find(':');
      for (std::size_t i = 0; i < colon && colon != std::string::npos; ++i) {
        l[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(l[i])));
      }
      lowered += l + "\n";
      start = end + 1;
    }
    return lowered.find(line) != std::string::npos;
  };
  rhc::testing::NginxServer nginx;
  const auto& certs = rhc::testing::test_certs();
  using rhc::testing::NginxListener;
  const std::string https = nginx.url(NginxListener::https, "/small");
  const std::string ca = " --cacert " + certs.ca_cert + " --retries 0";
  // The system store does not know the test CA: 60. -k or --cacert: served.
  CHECK(probe(https + " --retries 0 -s").exit_code == 60);
  CHECK(probe(https + " -k -s").out == R"({"ok":true})");
  CHECK(probe(https + ca + " -s").out == R"({"ok":true})");
  // A pin of another key: 90; the server's own: served.
  CHECK(probe(https + ca + " --pinnedpubkey 'sha256//" +
              certs.other_pin.substr(std::string("sha256//").size()) + "'")
            .exit_code == 90);
  CHECK(probe(https + ca + " --pinnedpubkey '" + certs.server_pin + "'").exit_code == 0);
  // TLS 1.3 required from a TLS 1.2-only server: 35.
  CHECK(probe(nginx.url(NginxListener::tls12, "/small") + ca + " --tlsv1.3").exit_code == 35);
  // Mutual TLS with -E/--key; a wrong passphrase for the encrypted key: 58.
  const std::string mtls = nginx.url(NginxListener::mtls, "/small") + ca;
  CHECK(has_header(probe(mtls + " -i -E " + certs.client_cert + " --key " + certs.client_key).out,
                   "x-client-verify: SUCCESS"));
  CHECK(probe(mtls + " -E " + certs.client_cert + " --key " + certs.client_key_encrypted +
              " --pass wrong")
            .exit_code == 58);
  // HTTP versions, as the response head shows them.
  CHECK(has_header(probe(https + ca + " -i").out, "x-protocol: HTTP/2.0"));
  CHECK(has_header(probe(https + ca + " -i --http1.1").out, "x-protocol: HTTP/1.1"));
  CHECK(
      has_header(probe(nginx.url(NginxListener::h2c, "/small") + " -i --http2-prior-knowledge").out,
                 "x-protocol: HTTP/2.0"));
  // A unix socket: the URL names the host only.
  CHECK(probe("http://localhost/small -s --unix-socket " + nginx.unix_socket()).out ==
        R"({"ok":true})");
}
