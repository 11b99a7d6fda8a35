// Fuzz target: ClientConfig::from_json (lib/config/json_config.cpp, validate.cpp).
//
// Asserts, for any bytes:
//  - from_json returns a config or throws ConfigError; nothing else is thrown, nothing
//    crashes, no sanitizer report;
//  - a ConfigError's message is one line without NUL: it is logged, and it quotes the
//    document's keys;
//  - an accepted config passes validate(), and to_json -> from_json gives it back unchanged;
//  - parsing fits in a 64 KiB stack whatever the input: from_json runs on such a thread.
//    A parser whose stack grows with the nesting depth would let a config file of a few
//    hundred KB of '[' crash the process; here a few thousand bytes show it.
#include <cstdint>
#include <exception>
#include <rhc/config.hpp>
#include <rhc/errors.hpp>
#include <string>

#include "config/json_config.hpp"
#include "fuzz_support.hpp"

namespace {

constexpr const char* kTarget = "config_json";
constexpr std::size_t kStackBytes = 64 * 1024;

rhc::ClientConfig parse_or_fail(std::string_view text, const char* what) {
  try {
    return rhc::ClientConfig::from_json(text);
  } catch (const std::exception& e) {
    rhc_fuzz::fail(kTarget, std::string(what) + " threw: " + rhc_fuzz::printable(e.what()));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = rhc_fuzz::as_text(data, size);
  rhc::ClientConfig config;
  const auto parse = [&] { config = rhc::ClientConfig::from_json(text); };
  try {
    rhc_fuzz::on_small_stack(kStackBytes, parse);
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
  const std::string json = rhc::detail::config::to_json(config);
  const rhc::ClientConfig again = parse_or_fail(json, "from_json(to_json(accepted config))");
  const std::string json_again = rhc::detail::config::to_json(again);
  if (json_again != json) {
    rhc_fuzz::fail(kTarget,
                   "to_json -> from_json changed the config:\n" + json + "\nbecame\n" + json_again);
  }
  return 0;
}
