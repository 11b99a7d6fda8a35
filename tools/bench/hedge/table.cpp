#include "table.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "../storm/report.hpp"

namespace rhc::bench::hedge {
namespace {

using storm::format;

struct RowSpec {
  const char* label;
  double Figures::*field;
  const char* fmt;     // for one value
  bool hedging_only;   // "-" in a column without hedging
  bool adaptive_only;  // "-" in a column without an adaptive delay
};

const RowSpec kRows[] = {
    {"p50 (ms)", &Figures::p50_ms, "%.2f", false, false},
    {"p90 (ms)", &Figures::p90_ms, "%.2f", false, false},
    {"**p99 (ms)**", &Figures::p99_ms, "%.1f", false, false},
    {"p99.9 (ms)", &Figures::p999_ms, "%.1f", false, false},
    {"max (ms)", &Figures::max_ms, "%.1f", false, false},
    {"requests/s", &Figures::requests_per_s, "%.0f", false, false},
    {"attempts per request (client)", &Figures::attempts_per_request, "%.4f", false, false},
    {"**extra attempts (% of requests)**", &Figures::extra_attempts_percent, "%.2f", false, false},
    {"hedges", &Figures::hedges, "%.0f", true, false},
    {"... started at once: an attempt failed", &Figures::failure_hedges, "%.0f", true, false},
    {"hedges and retries the budget refused", &Figures::budget_refused, "%.0f", false, false},
    {"retries", &Figures::retries, "%.0f", false, false},
    {"/msg attempts at the server", &Figures::server_requests, "%.0f", false, false},
    {"... slowed (Slowness)", &Figures::server_slowed, "%.0f", false, false},
    {"... whose client had left (losers)", &Figures::server_client_gone, "%.0f", false, false},
    {"hedge delay after warm-up: median (ms)", &Figures::later_delay_p50_ms, "%.2f", true, false},
    {"... p90 (ms)", &Figures::later_delay_p90_ms, "%.2f", true, false},
    {"warm-up: hedges before min_samples successes", &Figures::warm_up_hedges, "%.0f", false, true},
    {"warm-up: their delay, median (ms)", &Figures::warm_up_delay_ms, "%.2f", false, true},
    {"first c requests (cold connections): p50 (ms)", &Figures::cold_p50_ms, "%.2f", false, false},
    {"p95 of successful attempts (ms)", &Figures::success_p95_ms, "%.2f", false, false},
    {"requests failed", &Figures::failed, "%.0f", false, false},
    {"events dropped", &Figures::events_dropped, "%.0f", false, false},
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  if (n == 0) return 0;
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::vector<double> values(const Column& c, double Figures::*field) {
  std::vector<double> v;
  for (const Figures& f : c.reps) v.push_back(f.*field);
  return v;
}

std::string cell(const Column& c, const RowSpec& row) {
  const HedgingConfig& h = c.variant.hedging;
  if ((row.hedging_only && !h.enabled) || (row.adaptive_only && !(h.delay_percentile > 0))) {
    return "-";
  }
  std::vector<double> v = values(c, row.field);
  if (v.empty()) return "-";
  std::string text = format(row.fmt, median(v));
  if (v.size() > 1) {
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    text += " (" + format(row.fmt, *lo) + "–" + format(row.fmt, *hi) + ")";
  }
  return text;
}

std::string per_rep(const std::vector<double>& v, const char* fmt) {
  std::string text;
  for (double x : v) text += (text.empty() ? "" : ", ") + format(fmt, x);
  return text;
}

}  // namespace

void print_side_by_side(const std::vector<Column>& columns) {
  storm::Row header{"hedging"};
  for (const Column& c : columns) header.push_back(c.variant.label);
  std::vector<storm::Row> rows;
  for (const RowSpec& spec : kRows) {
    storm::Row r{spec.label};
    for (const Column& c : columns) r.push_back(cell(c, spec));
    rows.push_back(r);
  }
  storm::print_table(header, rows);
}

bool print_targets(const Column& off, const Column& hedged, const Targets& targets) {
  const std::vector<double> p99_off = values(off, &Figures::p99_ms);
  const std::vector<double> p99_on = values(hedged, &Figures::p99_ms);
  const std::vector<double> extra = values(hedged, &Figures::extra_attempts_percent);
  std::vector<double> ratios;  // repetition by repetition: they ran one after the other
  for (std::size_t i = 0; i < std::min(p99_off.size(), p99_on.size()); ++i) {
    ratios.push_back(p99_off[i] > 0 ? p99_on[i] / p99_off[i] : 0);
  }
  const double ratio = median(p99_off) > 0 ? median(p99_on) / median(p99_off) : 0;
  const bool ratio_ok = ratio <= targets.max_p99_ratio;
  const bool extra_ok = median(extra) <= targets.max_extra_percent;
  const auto passed = [](const std::vector<double>& v, double bound) {
    return std::count_if(v.begin(), v.end(), [bound](double x) { return x <= bound; });
  };
  std::printf(
      "- p99 with hedging (%s) / p99 without: %.3f (medians %.1f / %.1f ms), target <= %g: "
      "**%s** (per repetition: %s; %ld of %zu met)\n",
      hedged.variant.label.c_str(), ratio, median(p99_on), median(p99_off), targets.max_p99_ratio,
      ratio_ok ? "PASS" : "FAIL", per_rep(ratios, "%.3f").c_str(),
      static_cast<long>(passed(ratios, targets.max_p99_ratio)), ratios.size());
  std::printf(
      "- extra attempts with hedging (%s): %.2f %% of requests, target <= %g %%: **%s** "
      "(per repetition: %s; %ld of %zu met)\n",
      hedged.variant.label.c_str(), median(extra), targets.max_extra_percent,
      extra_ok ? "PASS" : "FAIL", per_rep(extra, "%.2f %%").c_str(),
      static_cast<long>(passed(extra, targets.max_extra_percent)), extra.size());
  return ratio_ok && extra_ok;
}

}  // namespace rhc::bench::hedge
