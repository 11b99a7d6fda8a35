// The client configuration most tests start from. Header-only, public API only.
#pragma once

#include <chrono>
#include <string>

#include <rhc/rhc.hpp>

namespace rhc::testing {

// `base_url`, logging at ERROR (tests check outcomes, not log lines), 3 attempts and retry
// waits of 5 to 20 ms, so that retries do not slow a suite down. Tests change what they
// are about on the copy.
inline rhc::ClientConfig quiet_config(const std::string& base_url) {
  using namespace std::chrono_literals;
  rhc::ClientConfig c;
  c.base_url = base_url;
  c.logging.level = "ERROR";
  c.retry.max_attempts = 3;
  c.retry.min_wait = 5ms;
  c.retry.max_wait = 20ms;
  return c;
}

}  // namespace rhc::testing
