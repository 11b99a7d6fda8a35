// The one list of ClientConfig's settings. JSON loading, environment loading, JSON output,
// range validation and the docs test all walk this table, so a setting is added, renamed or
// re-bounded in exactly one place.
//
// Each field has a key path in the Python guide's spelling ("retry.min_wait_seconds"), the member
// it sets, and, for numbers, the range validate() enforces. Its environment variable is
// derived from the path: <prefix> + upper case, '.' -> '_' ("RHC_RETRY_MIN_WAIT_SECONDS").
// A path has as many dots as it is deep: "retry.budget.ratio" is {"retry": {"budget": {...}}}.
#pragma once

#include <optional>
#include <rhc/config.hpp>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rhc::detail::config {

// Accessors to one member of a ClientConfig, one alternative per value type.
using StringMember = std::string& (*)(ClientConfig&);
using BoolMember = bool& (*)(ClientConfig&);
using IntMember = int& (*)(ClientConfig&);
using DoubleMember = double& (*)(ClientConfig&);
using SecondsMember = Seconds& (*)(ClientConfig&);
using StringListMember = std::vector<std::string>& (*)(ClientConfig&);

// One accepted spelling of an enum setting, in JSON and in the environment ("when_safe"),
// and the enumerator it stands for, as its underlying value.
struct EnumSpelling {
  std::string_view text;
  int value;
};

// An enum member, seen as its underlying int so that one alternative serves every enum type.
// `spellings` lists each enumerator once, spelled as rhc::to_string() spells it.
struct EnumMember {
  int (*get)(const ClientConfig&);
  void (*set)(ClientConfig&, int);
  std::span<const EnumSpelling> spellings;
};

using Member = std::variant<StringMember, BoolMember, IntMember, DoubleMember, SecondsMember,
                            StringListMember, EnumMember>;

// The values a number may take: lo <= v (lo < v when lo_open), v <= hi (v < hi when
// hi_open).
struct Range {
  double lo;
  bool lo_open;
  double hi;
  bool hi_open = false;
};

// Durations are capped so that any deadline built from them fits steady_clock's
// nanosecond count (which overflows after ~292 years) with room to spare.
inline constexpr double kMaxSeconds = 1e9;  // about 31.7 years

// hedging.min_samples at most: an authority's latency tracker keeps between 1000 and 1999
// recent samples once warm (LatencyTracker::kGeneration), so a larger minimum would leave the
// adaptive delay off some or all of the time, with no error to say why.
inline constexpr int kMaxHedgingMinSamples = 1000;

struct Field {
  std::string_view path;  // JSON key path, e.g. "timeout.connect"
  Member member;
  std::optional<Range> range;  // numbers only; other types are checked elsewhere
};

// Every field, in the order of docs/configuration.md.
std::span<const Field> fields();

// The field at `path`, or nullptr.
const Field* find_field(std::string_view path);

// Whether `path` is an object in the JSON shape ("timeout", "retry", ...).
bool is_group(std::string_view path);

// <prefix> + the path in upper case with '.' as '_': env_var_name("RHC_", f) for
// "timeout.connect" is "RHC_TIMEOUT_CONNECT".
std::string env_var_name(std::string_view prefix, const Field& field);

// A field's value, read-only. The accessors only ever return a reference; they never
// modify, so reading through them on a const config is sound.
template <typename T>
const T& read(T& (*member)(ClientConfig&), const ClientConfig& config) {
  return member(const_cast<ClientConfig&>(config));
}

// An enum field's underlying value.
inline int read(const EnumMember& member, const ClientConfig& config) { return member.get(config); }

// The enumerator spelled `text` (ASCII case-insensitively, like the log levels), or nullopt.
std::optional<int> parse_enum(const EnumMember& member, std::string_view text);

// The spelling of `value`, or nullopt for a value no enumerator has (only a cast makes one).
std::optional<std::string_view> enum_text(const EnumMember& member, int value);

// Every spelling, for error messages: "always, when_safe, never".
std::string enum_choices(const EnumMember& member);

}  // namespace rhc::detail::config
