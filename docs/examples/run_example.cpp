// run-example: starts the failure-injection test server on an ephemeral loopback port, runs
// one example program against it and exits with the program's status. Every "@URL@" in the
// program's arguments and in --env values becomes the server's base URL.
//
//   run-example [--env NAME=VALUE]... PROGRAM [ARG]...
//
// Not a documentation example: the harness that lets `meson test --suite examples` run them.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <test_server/test_server.hpp>
#include <vector>

extern char** environ;

namespace {

std::string substitute(std::string text, const std::string& url) {
  const std::string placeholder = "@URL@";
  for (std::size_t at = text.find(placeholder); at != std::string::npos;
       at = text.find(placeholder, at + url.size())) {
    text.replace(at, placeholder.size(), url);
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  rhc::test_server::TestServer server;
  server.start();
  const std::string url = server.base_url();

  int i = 1;
  for (; i + 1 < argc && std::strcmp(argv[i], "--env") == 0; i += 2) {
    const std::string assignment = substitute(argv[i + 1], url);
    const std::size_t eq = assignment.find('=');
    if (eq == std::string::npos) {
      std::cerr << "run-example: --env wants NAME=VALUE, got " << assignment << "\n";
      return 2;
    }
    setenv(assignment.substr(0, eq).c_str(), assignment.substr(eq + 1).c_str(), 1);
  }
  if (i >= argc) {
    std::cerr << "usage: run-example [--env NAME=VALUE]... PROGRAM [ARG]...\n";
    return 2;
  }
  std::vector<std::string> args;
  for (int j = i; j < argc; ++j) args.push_back(substitute(argv[j], url));
  std::vector<char*> child_argv;
  for (auto& a : args) child_argv.push_back(a.data());
  child_argv.push_back(nullptr);

  std::cout << "run-example: test server at " << url << "; running " << args[0] << std::endl;
  pid_t pid = 0;
  if (int rc = posix_spawn(&pid, child_argv[0], nullptr, nullptr, child_argv.data(), environ)) {
    std::cerr << "run-example: cannot start " << args[0] << ": " << std::strerror(rc) << "\n";
    return 2;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  server.stop();
  if (WIFSIGNALED(status)) {
    std::cerr << "run-example: " << args[0] << " killed by signal " << WTERMSIG(status) << "\n";
    return 128 + WTERMSIG(status);
  }
  return WEXITSTATUS(status);
}
