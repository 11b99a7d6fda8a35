#pragma once

#include <string>

namespace rhc::test_server::detail {

// A random (version 4) UUID in its 36-character text form. Thread-safe.
std::string make_uuid_v4();

}  // namespace rhc::test_server::detail
