// What validate() says about a configuration, as text the config tests match against.
#pragma once

#include <rhc/config.hpp>
#include <rhc/errors.hpp>
#include <string>

// validate()'s message, or "" when the config is valid.
inline std::string problems(const rhc::ClientConfig& c) {
  try {
    c.validate();
    return "";
  } catch (const rhc::ConfigError& e) {
    return e.what();
  }
}

// The message for a default configuration changed by `mutate`.
template <typename Mutate>
std::string problems_after(Mutate mutate) {
  rhc::ClientConfig c;
  mutate(c);
  return problems(c);
}
