// Values with units on rhc-probe's command line: a duration ("500ms", "10s", "2m", "1h"; a
// bare number is seconds, as in `-m 2.5`) and a percentage ("1%", "0.5%").
#pragma once

#include <string>

namespace rhc::probe {

// Seconds, > 0. Throws std::invalid_argument with a message naming what was expected.
double parse_duration_seconds(const std::string& text);

// A percentage written with its sign, "1%" or "0.5%", in [0, 100]; returned as a share in
// [0, 1] (1% -> 0.01). The sign is required so that "0.01" is never read two ways. Throws
// std::invalid_argument with a message naming what was expected.
double parse_percentage(const std::string& text);

}  // namespace rhc::probe
