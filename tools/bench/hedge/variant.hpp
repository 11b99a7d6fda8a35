// One column of the hedging table: the client's HedgingConfig, named by a short spec.
//   off          hedging disabled
//   fixed:50     hedge after a fixed 50 ms
//   p95:10       hedge after the authority's adaptive p95, never below 10 ms (the floor)
// Milliseconds may have a fraction ("p95:0.5"); the percentile is in (0, 100).
#pragma once

#include <string>

#include <rhc/config.hpp>

namespace rhc::bench::hedge {

struct Variant {
  std::string spec;   // as given: "p95:10"
  std::string label;  // for the table's header: "p95, floor 10 ms"
  HedgingConfig hedging;
};

// Throws std::invalid_argument for a spec of none of the three forms. min_samples and
// max_hedged_attempts apply to every variant that hedges.
Variant parse_variant(const std::string& spec, int min_samples, int max_hedged_attempts);

}  // namespace rhc::bench::hedge
