// rhc-test-server: the failure-injection server as a program, for trying a client by hand or
// from another language (docs/testing.md).
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <test_server/test_server.hpp>

#ifndef RHC_TEST_SERVER_VERSION
#define RHC_TEST_SERVER_VERSION "unknown"
#endif

namespace {

// Blocks SIGINT and SIGTERM in this thread and, because threads inherit the mask, in every
// server thread started after it; wait_for_signal() then takes them synchronously, so no code
// runs in a signal handler.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int wait_for_signal(const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

int serve(const rhc::test_server::ServerOptions& options) {
  const sigset_t signals = block_stop_signals();
  rhc::test_server::TestServer server(options);
  server.start();
  std::cout << "rhc-test-server listening on " << server.base_url() << std::endl;
  const int received = wait_for_signal(signals);
  std::cout << "rhc-test-server: " << (received == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping"
            << std::endl;
  server.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "The rhc failure-injection test server: /health, /msg, /idempotent, /fail/*, /stats,\n"
      "and the transport endpoints: GET /bytes/{n}[?fail_after=K][&chunked=true] (n bytes,\n"
      "byte i = i % 251, streamed; fail_after closes the connection after K bytes),\n"
      "POST|PUT /upload (echoes the body's sha256 and length), POST /multipart (echoes each\n"
      "part's name, filename, content_type, length, sha256), GET /cookies/set?NAME=VALUE,\n"
      "GET /cookies/set-one?name=N&value=V[&path=P][&domain=D][&max_age=S][&secure=true]\n"
      "[&http_only=true] and GET /cookies (echoes the Cookie header received).\n"
      "Faults (/fail/count, /fail/probability) apply to /msg, /idempotent, /bytes, /upload\n"
      "and /multipart.\n"
      "/idempotent requires an Idempotency-Key header and executes each key once: 400 without\n"
      "a key, 409 while the key's first request is in progress, 422 for the key reused with a\n"
      "different request, then the stored response with Idempotent-Replayed: true.\n"
      "POST /fail/overload?max_in_flight=K[&retry_after=S]: while K or more /msg and\n"
      "/idempotent handlers run, new requests to them get 503 at once (max_in_flight=0: off).\n"
      "POST /fail/slow?p=P&delay_ms=D[&seed=N][&first_attempt=true]: each /msg and\n"
      "/idempotent request waits D ms first with probability P (p=0: off); with\n"
      "first_attempt=true only the first attempt of each X-Request-ID can be slowed, retries\n"
      "and hedges with that id never are. POST /fail/reset clears both."};
  app.set_version_flag("--version", std::string("rhc-test-server ") + RHC_TEST_SERVER_VERSION);
  app.require_subcommand(1);

  rhc::test_server::ServerOptions options;
  options.port = 8000;
  CLI::App* serve_command = app.add_subcommand("serve", "Serve until SIGINT or SIGTERM");
  serve_command->add_option("--host", options.host, "Address to bind (loopback by default)")
      ->capture_default_str();
  serve_command->add_option("--port", options.port, "Port to bind; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  serve_command
      ->add_option("--threads", options.worker_threads,
                   "Worker threads = connections served at once")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  try {
    return serve(options);
  } catch (const std::exception& error) {
    std::cerr << error.what() << '\n';
    return 1;
  }
}
