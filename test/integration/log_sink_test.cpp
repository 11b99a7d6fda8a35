// LoggingConfig::sink end to end, and where a client's lines go without one in a process that
// never initialises glog. Its own main: the stderr cases run this program again as a child
// (`--child <mode> <url>`) that uses rhc as most programs do, glog untouched, and read what
// it wrote to stderr.
#define CATCH_CONFIG_RUNNER
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include <rhc/rhc.hpp>
#include <test_server/test_server.hpp>

#include "client_config.hpp"
#include "slack.hpp"

extern char** environ;

using namespace std::chrono_literals;
using rhc::test_server::TestServer;

namespace {

struct Server {
  TestServer server;
  Server() { server.start(); }
};

// What a sink saw. Its own lock only because the test thread reads it while the client's
// threads may still be logging.
struct Records {
  mutable std::mutex mutex;
  std::vector<rhc::LogRecord> all;

  void add(const rhc::LogRecord& r) {
    std::lock_guard lock(mutex);
    all.push_back(r);
  }
  std::vector<rhc::LogRecord> get() const {
    std::lock_guard lock(mutex);
    return all;
  }
};

// Retries fast and logs everything: a request retried once writes a few lines.
rhc::ClientConfig chatty_config(const std::string& url, const std::string& name) {
  rhc::ClientConfig c = rhc::testing::quiet_config(url);
  c.logging.level = "DEBUG";
  c.logging.logger_name = name;
  return c;
}

template <class T>
T get_within(std::future<T>& future, std::chrono::seconds bound) {
  REQUIRE(future.wait_for(rhc::testing::slack(bound)) == std::future_status::ready);
  return future.get();
}

// The child's side: a client that logs at INFO, one request retried once, glog never touched.
int run_child(const std::string& mode, const std::string& url) {
  rhc::ClientConfig c = rhc::testing::quiet_config(url);
  c.logging.level = "INFO";
  c.logging.logger_name = "child";
  std::atomic<int> sunk{0};
  if (mode == "sink") c.logging.sink = [&sunk](const rhc::LogRecord&) { ++sunk; };
  rhc::ResilientClient client(c);
  const rhc::Response response = client.get("/msg").get();
  if (response.attempts != 2) return 3;
  if (mode == "sink" && sunk.load() == 0) return 4;
  return 0;
}

struct ChildResult {
  int status = -1;
  std::string err;
};

// Runs this program as `--child mode url` and collects its stderr.
ChildResult run_self(const std::string& mode, const std::string& url) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::string self = "/proc/self/exe";
  std::vector<std::string> args = {self, "--child", mode, url};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, self.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    FAIL("cannot start the child: " << std::strerror(rc));
  }
  ChildResult result;
  char buffer[4096];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0) continue;  // EINTR
    result.err.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace

TEST_CASE("a client's sink gets every line of a retried request, with its request id",
          "[logging][sink]") {
  Server s;
  s.server.fail_next(1);
  Records records;
  rhc::ClientConfig c = chatty_config(s.server.base_url(), "billing");
  c.logging.sink = [&records](const rhc::LogRecord& r) { records.add(r); };
  rhc::Response response;
  {
    rhc::ResilientClient client(c);
    auto future = client.get("/msg");
    response = get_within(future, 30s);
  }  // destroyed: every line it logs is in
  REQUIRE(response.attempts == 2);

  const auto all = records.get();
  REQUIRE_FALSE(all.empty());
  bool retry_line = false;
  for (const rhc::LogRecord& r : all) {
    INFO(r.severity << " [" << r.logger << "] [" << r.request_id << "] " << r.message);
    CHECK(r.logger == "billing");
    CHECK(r.request_id == response.request_id);  // every line here is about the request
    CHECK(r.message.find("[billing]") == std::string::npos);
    CHECK(r.message.find("[req=") == std::string::npos);
    if (r.severity == "INFO" && r.message.find("retrying in") != std::string::npos) {
      retry_line = true;
    }
  }
  CHECK(retry_line);
}

TEST_CASE("a sink may ask the client for its circuit state without deadlocking",
          "[logging][sink]") {
  Server s;
  s.server.fail_next(100);
  rhc::ClientConfig c = chatty_config(s.server.base_url(), "breaker");
  c.retry.max_attempts = 1;
  c.circuit_breaker.failure_threshold = 1;
  std::atomic<rhc::ResilientClient*> client_ptr{nullptr};
  std::mutex mutex;
  std::vector<std::pair<std::string, rhc::CircuitState>> seen;
  c.logging.sink = [&](const rhc::LogRecord& r) {
    rhc::ResilientClient* client = client_ptr.load();
    if (client == nullptr) return;
    const rhc::CircuitState state = client->circuit_state();  // from the loop thread
    std::lock_guard lock(mutex);
    seen.emplace_back(r.message, state);
  };
  rhc::ResilientClient client(c);
  client_ptr = &client;

  auto future = client.get("/msg");
  REQUIRE(future.wait_for(rhc::testing::slack(30s)) == std::future_status::ready);
  CHECK_THROWS_AS(future.get(), rhc::ServerError);
  CHECK(client.circuit_state() == rhc::CircuitState::Open);
  client_ptr = nullptr;

  std::lock_guard lock(mutex);
  bool opened = false;
  for (const auto& [message, state] : seen) {
    if (message == "circuit breaker CLOSED -> OPEN") {
      opened = true;
      CHECK(state == rhc::CircuitState::Open);  // logged after the change
    }
  }
  INFO(seen.size() << " lines");
  CHECK(opened);
}

TEST_CASE("a sink that throws loses its lines, not the client's requests", "[logging][sink]") {
  Server s;
  s.server.fail_next(2);
  std::atomic<int> calls{0};
  rhc::ClientConfig c = chatty_config(s.server.base_url(), "thrower");
  c.logging.sink = [&calls](const rhc::LogRecord&) {
    ++calls;
    throw std::runtime_error("the log backend is down");
  };
  rhc::ResilientClient client(c);
  auto first = client.get("/msg");
  CHECK(get_within(first, 30s).attempts == 3);
  auto second = client.get("/msg");
  CHECK(get_within(second, 30s).attempts == 1);
  CHECK(calls.load() > 0);
}

TEST_CASE("without glog initialised or a sink, a client's lines go to stderr without glog's notice",
          "[logging][stderr]") {
  Server s;
  s.server.fail_next(1);
  const ChildResult child = run_self("stderr", s.server.base_url());
  INFO(child.err);
  REQUIRE(child.status == 0);
  CHECK(child.err.find("InitGoogleLogging") == std::string::npos);
  CHECK(child.err.find("WARNING: Logging before") == std::string::npos);
  // One INFO line about the retry, in glog's format: I<date> <time> <thread> <file>:<line>]
  CHECK(child.err.rfind("I", 0) == 0);
  CHECK(child.err.find("] [child] [req=") != std::string::npos);
  CHECK(child.err.find("retrying in") != std::string::npos);
}

TEST_CASE("with a sink, a client writes nothing to stderr", "[logging][stderr][sink]") {
  Server s;
  s.server.fail_next(1);
  const ChildResult child = run_self("sink", s.server.base_url());
  INFO(child.err);
  REQUIRE(child.status == 0);
  CHECK(child.err.empty());
}

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--child") == 0) {
    try {
      return run_child(argv[2], argv[3]);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child failed: %s\n", e.what());
      return 2;
    }
  }
  return Catch::Session().run(argc, argv);
}
