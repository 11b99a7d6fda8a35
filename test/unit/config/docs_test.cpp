#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>

#include "config/field_table.hpp"

namespace cfg = rhc::detail::config;

// docs/configuration.md is the reference users read; this keeps it from drifting from the
// field table. meson passes the source tree as RHC_SOURCE_ROOT.
TEST_CASE("docs/configuration.md names every JSON key, environment variable and enum spelling",
          "[config][docs]") {
  const char* root = std::getenv("RHC_SOURCE_ROOT");
  REQUIRE(root != nullptr);
  std::ifstream in(std::string(root) + "/docs/configuration.md");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();

  for (const auto& f : cfg::fields()) {
    INFO("field " << f.path);
    CHECK(doc.find("`" + std::string(f.path) + "`") != std::string::npos);
    CHECK(doc.find("`" + cfg::env_var_name("RHC_", f) + "`") != std::string::npos);
    if (const auto* m = std::get_if<cfg::EnumMember>(&f.member)) {
      for (const cfg::EnumSpelling& s : m->spellings) {
        INFO("spelling " << s.text);
        CHECK(doc.find("`" + std::string(s.text) + "`") != std::string::npos);
      }
    }
  }
  CHECK(doc.find("`RHC_CONFIG_FILE`") != std::string::npos);
}
