// The rhc-test-server program: serves on the port it prints, and exits 0 on SIGINT or SIGTERM.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "http_client.hpp"
#include "slack.hpp"

using namespace rhc::test_server::testing;

extern char** environ;

namespace {

// The program under test, run with `serve --port 0`; its stdout is read through a pipe.
class ServerProcess {
 public:
  ServerProcess() {
    const char* program = std::getenv("RHC_TEST_SERVER");
    REQUIRE(program != nullptr);  // set by test/server/meson.build
    int out[2];
    REQUIRE(pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    char* argv[] = {const_cast<char*>(program), const_cast<char*>("serve"),
                    const_cast<char*>("--port"), const_cast<char*>("0"), nullptr};
    REQUIRE(posix_spawn(&pid_, program, &actions, nullptr, argv, environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    stdout_ = out[0];
  }

  ~ServerProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(stdout_);
  }

  // The next line the program prints, waiting at most `timeout`.
  std::string read_line(std::chrono::milliseconds timeout) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd readable{stdout_, POLLIN, 0};
      if (poll(&readable, 1, 50) <= 0) continue;
      char c;
      if (read(stdout_, &c, 1) != 1 || c == '\n') break;
      line += c;
    }
    return line;
  }

  // Sends `signal` and returns the exit status, or -1 if it did not exit within 5 s (more
  // under a sanitizer).
  int stop_with(int signal) {
    kill(pid_, signal);
    const auto deadline =
        std::chrono::steady_clock::now() + rhc::testing::slack(std::chrono::milliseconds(5000));
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
};

}  // namespace

TEST_CASE("rhc-test-server serves until a stop signal, then exits 0", "[server][program]") {
  const int signal = GENERATE(SIGINT, SIGTERM);
  ServerProcess process;
  const std::string banner = process.read_line(std::chrono::seconds(60));
  const std::string prefix = "rhc-test-server listening on ";
  REQUIRE(banner.rfind(prefix, 0) == 0);
  const std::string base_url = banner.substr(prefix.size());
  CHECK(base_url.rfind("http://127.0.0.1:", 0) == 0);

  CHECK(fetch(base_url + "/health").status == 200);
  REQUIRE(post(base_url + "/fail/count/1?kind=hang").status == 200);
  Call impatient;
  impatient.timeout = std::chrono::milliseconds(200);
  CHECK(fetch(base_url + "/msg", impatient).code == CURLE_OPERATION_TIMEDOUT);

  CHECK(process.stop_with(signal) == 0);  // even with that hang still in flight
}
