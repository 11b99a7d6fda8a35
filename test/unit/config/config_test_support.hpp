// Helpers shared by the config tests: field-by-field comparison through the field table,
// and scoped environment variables.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <rhc/config.hpp>
#include <string>
#include <vector>

#include "config/field_table.hpp"

namespace rhc::test {

// Fails (with the key path) for every field where `a` and `b` differ.
inline void check_same_config(const ClientConfig& a, const ClientConfig& b) {
  using namespace rhc::detail::config;
  for (const Field& f : fields()) {
    INFO("field " << f.path);
    std::visit([&](auto member) { CHECK(read(member, a) == read(member, b)); }, f.member);
  }
}

// Sets environment variables for one test and removes them when it ends. Each test uses
// its own prefix, so no test sees another's variables.
class ScopedEnv {
 public:
  ScopedEnv() = default;
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() {
    for (const auto& name : names_) ::unsetenv(name.c_str());
  }

  void set(const std::string& name, const std::string& value) {
    REQUIRE(::setenv(name.c_str(), value.c_str(), 1) == 0);
    names_.push_back(name);
  }

 private:
  std::vector<std::string> names_;
};

}  // namespace rhc::test
