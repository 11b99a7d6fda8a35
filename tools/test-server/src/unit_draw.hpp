// One draw in [0, 1) from a seeded PRNG, the same on every platform.
#pragma once

#include <random>

namespace rhc::test_server::detail {

// The top 53 bits of one std::mt19937_64 output as a double in [0, 1): exact and portable,
// unlike std::uniform_real_distribution, whose output the standard leaves open.
inline double unit_draw(std::mt19937_64& random) {
  return static_cast<double>(random() >> 11) * 0x1.0p-53;
}

}  // namespace rhc::test_server::detail
