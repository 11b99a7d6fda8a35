// rhc::Seconds, the one duration type of the public API.
#pragma once

#include <chrono>

namespace rhc {

// Fractional seconds. Any std::chrono duration converts to it implicitly:
//   TimeoutConfig t; t.read = std::chrono::milliseconds(250);
using Seconds = std::chrono::duration<double>;

}  // namespace rhc
