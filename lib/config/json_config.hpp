// ClientConfig <-> the JSON shape of the Python guide rhc ports, driven by the field table.
// from_json() is built on apply_json(); the environment loader uses it too, for
// <prefix>CONFIG_FILE.
#pragma once

#include <rhc/config.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rhc::detail::config {

// Sets every field `json_text` names, leaving the others as they are. Invalid JSON (with
// the parser's offset), a root that is not an object, unknown keys and wrong types are
// appended to `errors`, each naming its key path; the rest of the document still applies.
// Returns the key paths it set. Does not validate.
std::vector<std::string_view> apply_json(std::string_view json_text, ClientConfig& config,
                                         std::vector<std::string>& errors);

// Every field of `config` as pretty-printed JSON that from_json() reads back to an equal
// config. For logging the effective configuration and for tests.
std::string to_json(const ClientConfig& config);

}  // namespace rhc::detail::config
