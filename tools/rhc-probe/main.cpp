// rhc-probe: smoke-test rhc from the command line. For now: --version, and `version`
// printing the libcurl and OpenSSL versions rhc runs on.
#include <iostream>

#include <CLI/CLI.hpp>

#include <rhc/rhc.hpp>

int main(int argc, char** argv) {
  CLI::App app{"rhc-probe: exercise the rhc resilient HTTP client"};
  app.set_version_flag("--version", rhc::version_details());
  app.require_subcommand(0, 1);
  auto* version = app.add_subcommand("version", "print rhc's, libcurl's and OpenSSL's versions");
  CLI11_PARSE(app, argc, argv);
  if (version->parsed() || app.get_subcommands().empty()) {
    std::cout << rhc::version_details() << "\n";
  }
  return 0;
}
