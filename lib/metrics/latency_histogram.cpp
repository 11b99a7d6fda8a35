#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include <rhc/stats.hpp>

namespace rhc {

// Prometheus's bucketQuantile() (promql/quantile.go) on our per-bucket counts: find the
// bucket that holds the rank q * count, then interpolate linearly between its lower bound
// (the bound before it; 0 for the first) and its upper bound. What Prometheus would answer
// from the scraped histogram, so a dashboard and a log line agree.
//
// q is clamped into [0, 1] (NaN as 0): q <= 0 gives the lower bound of the lowest non-empty
// bucket, the limit of q -> 0+, where Prometheus returns -Inf; q >= 1 the upper bound of the
// highest non-empty bucket. A rank in the +Inf bucket gives the highest finite bound, as in
// Prometheus; with no finite bound at all there is nothing to report: 0.
double LatencyHistogram::quantile(double q) const {
  std::uint64_t total = 0;
  for (std::uint64_t c : counts) total += c;  // `count` should agree; the buckets decide
  if (total == 0 || upper_bounds.empty()) return 0;
  q = std::isnan(q) ? 0 : std::clamp(q, 0.0, 1.0);

  const double rank = q * static_cast<double>(total);
  double below = 0;  // requests in the buckets before bucket i
  for (std::size_t i = 0; i < upper_bounds.size(); ++i) {
    const double in_bucket = i < counts.size() ? static_cast<double>(counts[i]) : 0;
    // `in_bucket > 0`: for q == 0 (rank 0), skip the empty buckets below the first request.
    if (in_bucket > 0 && below + in_bucket >= rank) {
      if (i == 0 && upper_bounds[0] <= 0) return upper_bounds[0];  // no lower bound to use
      const double start = i == 0 ? 0 : upper_bounds[i - 1];
      return start + (upper_bounds[i] - start) * ((rank - below) / in_bucket);
    }
    below += in_bucket;
  }
  return upper_bounds.back();
}

}  // namespace rhc
