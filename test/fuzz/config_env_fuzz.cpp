// Fuzz target: ClientConfig::from_env (lib/config/env_config.cpp), with a prefix no real
// deployment uses (RHC_FUZZ_), so nothing in the host's environment leaks in.
//
// Input: fields cut at the first byte (fuzz_support.hpp), each "SUFFIX=value":
//   |RETRY_MAX_ATTEMPTS=3|TIMEOUT_CONNECT=0.5|CONFIG_FILE={"retry":{"jitter":false}}
// SUFFIX is one of the field table's variables (RHC_FUZZ_<SUFFIX>); unknown suffixes are
// skipped. CONFIG_FILE's value is written to a file that RHC_FUZZ_CONFIG_FILE then names;
// CONFIG_PATH sets RHC_FUZZ_CONFIG_FILE itself to one of a few fixed paths ("missing",
// "dir", anything else: empty), never to a path from the input (a FIFO would block).
// A value ends at its first NUL, as any environment value does.
//
// Asserts, for any input:
//  - from_env returns a config or throws ConfigError; nothing else, no crash;
//  - a ConfigError's message is one line without NUL;
//  - an accepted config passes validate(); every string variable that was set is the field's
//    value (single variables override the file); to_json -> from_json gives it back unchanged.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <rhc/config.hpp>
#include <rhc/errors.hpp>
#include <string>
#include <variant>

#include "config/field_table.hpp"
#include "config/json_config.hpp"
#include "fuzz_support.hpp"

namespace {

constexpr const char* kTarget = "config_env";
constexpr const char* kPrefix = "RHC_FUZZ_";

namespace cfg = rhc::detail::config;

struct Vars {
  std::map<std::string, const cfg::Field*, std::less<>> by_suffix;  // "RETRY_MAX_ATTEMPTS"
  std::string config_file_var = std::string(kPrefix) + "CONFIG_FILE";
  std::string config_file_path;

  Vars() {
    for (const cfg::Field& f : cfg::fields()) {
      by_suffix[cfg::env_var_name("", f)] = &f;
    }
    config_file_path = "/tmp/rhc-fuzz-env-" + std::to_string(::getpid()) + ".json";
  }
  ~Vars() { ::unlink(config_file_path.c_str()); }

  void clear() const {
    for (const auto& [suffix, field] : by_suffix) ::unsetenv((kPrefix + suffix).c_str());
    ::unsetenv(config_file_var.c_str());
  }
};

const Vars& vars() {
  static const Vars v;
  return v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Vars& v = vars();
  v.clear();

  std::map<const cfg::Field*, std::string> set_strings;  // last value of each string variable
  for (std::string_view record : rhc_fuzz::split_fields(rhc_fuzz::as_text(data, size))) {
    const auto eq = record.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view suffix = record.substr(0, eq);
    std::string value(record.substr(eq + 1));
    value = value.c_str();  // an environment value ends at NUL
    if (suffix == "CONFIG_FILE") {
      std::ofstream(v.config_file_path, std::ios::binary | std::ios::trunc) << value;
      ::setenv(v.config_file_var.c_str(), v.config_file_path.c_str(), 1);
    } else if (suffix == "CONFIG_PATH") {
      const char* path = value == "missing" ? "/nonexistent/rhc-fuzz.json"
                         : value == "dir"   ? "/tmp"
                                            : "";
      ::setenv(v.config_file_var.c_str(), path, 1);
    } else if (auto it = v.by_suffix.find(suffix); it != v.by_suffix.end()) {
      ::setenv((kPrefix + it->first).c_str(), value.c_str(), 1);
      if (std::holds_alternative<cfg::StringMember>(it->second->member)) {
        set_strings[it->second] = value;
      }
    }
  }

  rhc::ClientConfig config;
  try {
    config = rhc::ClientConfig::from_env(kPrefix);
  } catch (const rhc::ConfigError& e) {
    if (rhc_fuzz::has_cr_lf_nul(e.what())) {
      rhc_fuzz::fail(kTarget, "ConfigError message spans lines: " + rhc_fuzz::printable(e.what()));
    }
    return 0;
  } catch (const std::exception& e) {
    rhc_fuzz::fail(kTarget, std::string("threw something other than ConfigError: ") +
                                rhc_fuzz::printable(e.what()));
  } catch (...) {
    rhc_fuzz::fail(kTarget, "threw a non-std exception");
  }

  try {
    config.validate();
  } catch (const std::exception& e) {
    rhc_fuzz::fail(kTarget, "accepted config fails validate(): " + rhc_fuzz::printable(e.what()));
  }
  for (const auto& [field, value] : set_strings) {
    const std::string& got = cfg::read(std::get<cfg::StringMember>(field->member), config);
    if (got != value) {
      rhc_fuzz::fail(kTarget, std::string(field->path) + " is " + rhc_fuzz::printable(got) +
                                  ", but its variable said " + rhc_fuzz::printable(value));
    }
  }
  const std::string json = cfg::to_json(config);
  try {
    if (cfg::to_json(rhc::ClientConfig::from_json(json)) != json) {
      rhc_fuzz::fail(kTarget, "to_json -> from_json changed the config:\n" + json);
    }
  } catch (const std::exception& e) {
    rhc_fuzz::fail(kTarget,
                   "from_json(to_json(accepted config)) threw: " + rhc_fuzz::printable(e.what()));
  }
  return 0;
}
