#include "cli_units.hpp"

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace rhc::probe {
namespace {

// The number `text` starts with, and in `end` where it ends; NaN when it starts with none.
double leading_number(const std::string& text, std::size_t& end) {
  const char* begin = text.c_str();
  char* stop = nullptr;
  const double value = std::strtod(begin, &stop);
  end = static_cast<std::size_t>(stop - begin);
  // strtod also reads "inf", "nan" and hexadecimal: none is a length of time or a share.
  if (end == 0 || !std::isfinite(value) || text.find_first_of("xX") < end) return std::nan("");
  return value;
}

std::invalid_argument bad_duration(const std::string& text) {
  return std::invalid_argument(
      "expected a duration such as 500ms, 10s, 2m or 1h (a bare number is seconds), got '" + text +
      "'");
}

std::invalid_argument bad_percentage(const std::string& text) {
  return std::invalid_argument("expected a percentage from 0% to 100%, such as 1% or 0.5%, got '" +
                               text + "'");
}

}  // namespace

double parse_duration_seconds(const std::string& text) {
  std::size_t end = 0;
  const double value = leading_number(text, end);
  if (std::isnan(value)) throw bad_duration(text);
  const std::string unit = text.substr(end);
  double scale = 0;
  if (unit.empty() || unit == "s") {
    scale = 1;
  } else if (unit == "ms") {
    scale = 1e-3;
  } else if (unit == "m") {
    scale = 60;
  } else if (unit == "h") {
    scale = 3600;
  } else {
    throw bad_duration(text);
  }
  const double seconds = value * scale;
  // A year is far beyond any load run; the bound keeps time arithmetic from overflowing.
  if (!(seconds > 0) || seconds > 365.0 * 86400) throw bad_duration(text);
  return seconds;
}

double parse_percentage(const std::string& text) {
  std::size_t end = 0;
  const double value = leading_number(text, end);
  if (std::isnan(value) || text.substr(end) != "%" || value < 0 || value > 100) {
    throw bad_percentage(text);
  }
  return value / 100;
}

}  // namespace rhc::probe
