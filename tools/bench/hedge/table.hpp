// The side-by-side table of the hedging benchmark, and issue #16's two targets. With several
// repetitions, a cell shows the median and, in brackets, the spread (least to greatest).
#pragma once

#include <vector>

#include "figures.hpp"
#include "variant.hpp"

namespace rhc::bench::hedge {

// One column: a variant and its figures, one per repetition.
struct Column {
  Variant variant;
  std::vector<Figures> reps;
};

void print_side_by_side(const std::vector<Column>& columns);

struct Targets {
  double max_p99_ratio = 0.25;      // p99 hedged <= this x p99 unhedged
  double max_extra_percent = 10.0;  // attempts beyond one per request, in % of requests
};

// Checks the targets on the medians (and says how each repetition fared), with `off` the
// unhedged column and `hedged` the adaptive one. Returns whether both were met.
bool print_targets(const Column& off, const Column& hedged, const Targets& targets);

}  // namespace rhc::bench::hedge
