#include "variant.hpp"

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "../storm/report.hpp"

namespace rhc::bench::hedge {
namespace {

[[noreturn]] void bad(const std::string& spec) {
  throw std::invalid_argument("bad hedging variant '" + spec +
                              "': want off, fixed:<ms> or p<percentile>:<floor ms>");
}

// The whole of `text` as a number > 0, or throws.
double positive_number(const std::string& text, const std::string& spec) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(value > 0)) bad(spec);
  return value;
}

}  // namespace

Variant parse_variant(const std::string& spec, int min_samples, int max_hedged_attempts) {
  Variant v;
  v.spec = spec;
  if (spec == "off") {
    v.label = "off";
    return v;
  }
  const std::size_t colon = spec.find(':');
  if (colon == std::string::npos) bad(spec);
  const std::string kind = spec.substr(0, colon);
  const double ms = positive_number(spec.substr(colon + 1), spec);
  v.hedging.enabled = true;
  v.hedging.delay = std::chrono::duration<double, std::milli>(ms);
  v.hedging.min_samples = min_samples;
  v.hedging.max_hedged_attempts = max_hedged_attempts;
  if (kind == "fixed") {
    v.label = storm::format("fixed %g ms", ms);
    return v;
  }
  if (kind.size() < 2 || kind[0] != 'p') bad(spec);
  const double percentile = positive_number(kind.substr(1), spec);
  if (!(percentile < 100)) bad(spec);
  v.hedging.delay_percentile = percentile / 100;
  v.label = storm::format("p%g, floor %g ms", percentile, ms);
  return v;
}

}  // namespace rhc::bench::hedge
