// ClientConfig::from_env: <prefix>CONFIG_FILE first, then one variable per field-table entry.
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "base/ascii.hpp"
#include "config/config_file.hpp"
#include "config/field_table.hpp"
#include "config/json_config.hpp"
#include "config/validate.hpp"

namespace rhc::detail::config {
namespace {

// A config file is a few hundred bytes; the cap keeps a mistaken path (/dev/zero, a log
// file) from being read whole.
constexpr std::size_t kMaxConfigFileBytes = 1 << 20;

// "X-Api-Key, X-Session" -> {"X-Api-Key", "X-Session"}: HTTP's own list syntax (RFC 9110
// section 5.6.1), so spaces and tabs around an item go and empty items are skipped; an empty
// variable is an empty list.
std::vector<std::string> split_list(std::string_view text) {
  constexpr std::string_view kOws = " \t";
  std::vector<std::string> items;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto first = item.find_first_not_of(kOws);
    if (first == std::string_view::npos) continue;
    item = item.substr(first, item.find_last_not_of(kOws) - first + 1);
    items.emplace_back(item);
  }
  return items;
}

// Sets `f` from the text of an environment variable; the reason it can't, otherwise.
// Numbers must be the whole string: no spaces, no '+', no units.
std::optional<std::string> parse_into(const Field& f, std::string_view text, ClientConfig& c) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  auto got = [&] { return " (got " + quote(text) + ")"; };

  if (auto m = std::get_if<StringMember>(&f.member)) {
    (*m)(c) = std::string(text);
    return std::nullopt;
  }
  if (auto m = std::get_if<StringListMember>(&f.member)) {
    (*m)(c) = split_list(text);
    return std::nullopt;  // the items themselves are for validate() to judge
  }
  if (auto m = std::get_if<EnumMember>(&f.member)) {
    // Like the booleans: any case, but nothing around the word.
    const std::optional<int> value = parse_enum(*m, text);
    if (!value) return "must be one of " + enum_choices(*m) + got();
    m->set(c, *value);
    return std::nullopt;
  }
  if (auto m = std::get_if<BoolMember>(&f.member)) {
    for (std::string_view yes : {"true", "1", "yes"}) {
      if (ascii_iequals(text, yes)) {
        (*m)(c) = true;
        return std::nullopt;
      }
    }
    for (std::string_view no : {"false", "0", "no"}) {
      if (ascii_iequals(text, no)) {
        (*m)(c) = false;
        return std::nullopt;
      }
    }
    return "must be one of true, false, 1, 0, yes, no" + got();
  }
  if (auto m = std::get_if<IntMember>(&f.member)) {
    int v = 0;
    auto [end, ec] = std::from_chars(first, last, v);
    if (ec == std::errc::result_out_of_range) return "is out of range for an integer" + got();
    if (ec != std::errc() || end != last) return "must be an integer" + got();
    (*m)(c) = v;
    return std::nullopt;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || end != last || !std::isfinite(v)) {
    return "must be a finite number" + got();
  }
  if (auto m = std::get_if<DoubleMember>(&f.member)) (*m)(c) = v;
  if (auto m = std::get_if<SecondsMember>(&f.member)) (*m)(c) = Seconds(v);
  return std::nullopt;
}

}  // namespace
}  // namespace rhc::detail::config

namespace rhc {

// getenv is not safe against a concurrent setenv on another thread; like every reader of
// the environment, call this before starting threads that change it.
ClientConfig ClientConfig::from_env(const std::string& prefix) {
  using namespace detail::config;
  ClientConfig config;
  std::vector<std::string> errors;
  Sources sources;

  // The file gives a base; single variables override it, so one setting can be changed
  // for one deployment without copying the file.
  const std::string file_var = prefix + "CONFIG_FILE";
  if (const char* file = std::getenv(file_var.c_str()); file != nullptr && *file != '\0') {
    std::string text;
    if (auto why = read_config_file(file, kMaxConfigFileBytes, text)) {
      errors.push_back(file_var + ": " + *why);
    } else {
      std::vector<std::string> file_errors;
      for (std::string_view path : apply_json(text, config, file_errors)) {
        sources[path] = file_var;
      }
      for (const auto& e : file_errors) errors.push_back(file_var + " " + quote(file) + ": " + e);
    }
  }

  for (const Field& f : fields()) {
    const std::string name = env_var_name(prefix, f);
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) continue;
    if (auto why = parse_into(f, value, config)) {
      errors.push_back(name + " " + *why);
    } else {
      sources[f.path] = name;
    }
  }
  if (!errors.empty()) throw_config_error("environment config", errors);
  throw_if_invalid(config, sources);
  return config;
}

}  // namespace rhc
