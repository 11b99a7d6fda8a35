#include "overload_report.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <utility>

#include <rhc/config.hpp>

#include "report.hpp"

namespace rhc::bench::storm {
namespace {

struct Window {
  double seconds = 0;
  long ok = 0, rejected = 0, other = 0;
  std::uint64_t executed = 0, server_rejected = 0;
  double running_sum = 0;
  int in_flight_min = std::numeric_limits<int>::max(), in_flight_max = 0;
  int cuts = 0, cut_to_min = std::numeric_limits<int>::max(), cut_to_max = 0;
  int ticks = 0;

  long attempts() const { return ok + rejected + other; }
  double running_mean() const { return ticks > 0 ? running_sum / ticks : 0; }
};

// The intervals that lie within [from_s, to_s], summed.
Window window(const std::vector<OverloadTick>& ticks, double from_s, double to_s) {
  Window w;
  for (const OverloadTick& t : ticks) {
    if (t.end_s - kTickSeconds < from_s - 1e-9 || t.end_s > to_s + 1e-9) continue;
    ++w.ticks;
    w.seconds += kTickSeconds;
    w.ok += t.ok;
    w.rejected += t.rejected;
    w.other += t.other;
    w.executed += t.server_executed;
    w.server_rejected += t.server_rejected;
    w.running_sum += static_cast<double>(t.server_running);
    w.in_flight_min = std::min(w.in_flight_min, t.in_flight_min);
    w.in_flight_max = std::max(w.in_flight_max, t.in_flight_max);
    if (t.cuts > 0) {
      w.cuts += t.cuts;
      w.cut_to_min = std::min(w.cut_to_min, t.cut_to_min);
      w.cut_to_max = std::max(w.cut_to_max, t.cut_to_max);
    }
  }
  return w;
}

std::string range(int lo, int hi) {
  return lo == hi ? std::to_string(lo) : format("%d-%d", lo, hi);
}

// The end of the last interval before `until_s` whose in-flight range leaves [lo, hi]: from
// then on it stayed inside. 0 if it never left.
double settled_at(const std::vector<OverloadTick>& ticks, double lo, double hi, double until_s) {
  double settled = 0;
  for (const OverloadTick& t : ticks) {
    if (t.end_s > until_s + 1e-9) break;
    if (t.in_flight_min < lo || t.in_flight_max > hi) settled = t.end_s;
  }
  return settled;
}

void print_summary(const OverloadPlan& plan, const std::vector<OverloadCell>& cells) {
  const double run_s = static_cast<double>(plan.duration.count());
  const double settle_s = static_cast<double>(plan.settle.count());
  std::vector<Row> rows;
  auto add = [&](const std::string& label, auto cell_text) {
    Row r{label};
    for (const OverloadCell& c : cells) r.push_back(cell_text(c));
    rows.push_back(std::move(r));
  };
  auto all = [&](const OverloadCell& c) { return window(c.ticks, 0, run_s); };
  auto late = [&](const OverloadCell& c) { return window(c.ticks, settle_s, run_s); };
  auto d = [](auto v) { return static_cast<double>(v); };
  add("successes/s, whole run",
      [&](const OverloadCell& c) { return format("%.0f", d(all(c).ok) / run_s); });
  add(format("successes/s, from %g s", settle_s), [&](const OverloadCell& c) {
    const Window w = late(c);
    return format("%.0f", d(w.ok) / w.seconds);
  });
  add("attempts/s, whole run",
      [&](const OverloadCell& c) { return format("%.0f", d(all(c).attempts()) / run_s); });
  add("503s / attempts, whole run (callers' outcomes)", [&](const OverloadCell& c) {
    const Window w = all(c);
    return percent(d(w.rejected), d(w.attempts()));
  });
  add(format("**503s / attempts, from %g s** (callers' outcomes)", settle_s),
      [&](const OverloadCell& c) {
        const Window w = late(c);
        return "**" + percent(d(w.rejected), d(w.attempts())) + "**";
      });
  add(format("503s / attempts, from %g s (server: rejections / arrivals)", settle_s),
      [&](const OverloadCell& c) {
        const Window w = late(c);
        return percent(d(w.server_rejected), d(w.executed + w.server_rejected));
      });
  add(format("server handlers running, mean of 100 ms samples from %g s (K = %d)", settle_s,
             plan.capacity),
      [&](const OverloadCell& c) { return format("%.1f", late(c).running_mean()); });
  add(format("rhc attempts in flight to the server, from %g s: min-max", settle_s),
      [&](const OverloadCell& c) {
        const Window w = late(c);
        return range(w.in_flight_min, w.in_flight_max);
      });
  add(format("limit cuts, whole run / from %g s (new limits from %g s)", settle_s, settle_s),
      [&](const OverloadCell& c) {
        const Window w = late(c);
        std::string text = format("%d / %d", all(c).cuts, w.cuts);
        if (w.cuts > 0) text += " (" + range(w.cut_to_min, w.cut_to_max) + ")";
        return text;
      });
  add("CPU time of the process (client, server, log tap) per success", [&](const OverloadCell& c) {
    return format("%.0f us", 1e6 * c.cpu_s / std::max(1.0, d(window(c.ticks, 0, 1e9).ok)));
  });
  add("other outcomes", [&](const OverloadCell& c) { return std::to_string(all(c).other); });
  add("wall time, drain included",
      [&](const OverloadCell& c) { return format("%.2f s", c.wall_s); });
  Row header{""};
  for (const OverloadCell& c : cells) header.push_back(c.title);
  print_table(header, rows);
}

// Rows of `step_s` from 0 to `to_s`.
void print_timeline(const OverloadCell& cell, double to_s, double step_s) {
  std::printf("\nThe cell \"%s\" over time, %g ms rows%s:\n\n", cell.title.c_str(), step_s * 1000,
              step_s > kTickSeconds ? " (of five 100 ms samples each)" : "");
  std::vector<Row> rows;
  for (double from = 0; from < to_s - 1e-9; from += step_s) {
    const Window w = window(cell.ticks, from, from + step_s);
    if (w.ticks == 0) continue;
    const std::string cuts =
        w.cuts > 0 ? format("%d (to %s)", w.cuts, range(w.cut_to_min, w.cut_to_max).c_str())
                   : std::string("0");
    rows.push_back({format("%.1f-%.1f", from, from + step_s),
                    range(w.in_flight_min, w.in_flight_max), cuts, format("%.1f", w.running_mean()),
                    percent(static_cast<double>(w.rejected), static_cast<double>(w.attempts())),
                    format("%.0f", static_cast<double>(w.ok) / w.seconds)});
  }
  print_table({"t (s)", "rhc in flight (min-max)", "limit cuts", "server handlers (mean)",
               "503s / attempts", "successes/s"},
              rows);
}

void print_verdicts(const OverloadPlan& plan, const std::vector<OverloadCell>& cells) {
  const double run_s = static_cast<double>(plan.duration.count());
  const double settle_s = static_cast<double>(plan.settle.count());
  const double ratio = AdaptiveLimitConfig{}.backoff_ratio;
  const double lo = plan.capacity * ratio - 1;
  const double hi = plan.capacity + 2;
  const OverloadCell& fixed = cells.front();
  const Window f = window(fixed.ticks, settle_s, run_s);
  std::printf("\n");
  for (const OverloadCell& c : cells) {
    if (!c.initial_limit) continue;
    const double settled = settled_at(c.ticks, lo, hi, run_s);
    const Window a = window(c.ticks, settle_s, run_s);
    const double share =
        static_cast<double>(a.rejected) / static_cast<double>(std::max(1L, a.attempts()));
    std::printf(
        "Issue #14, %s: the limit settles within [K*%g - 1, K + 2] = [%g, %g] within %g s: %s "
        "(every 100 ms interval from %.1f s on had rhc's in-flight inside); after that fewer "
        "than 5 %% of attempts get a 503: %s (%s; the fixed bulkhead %s).\n",
        c.title.c_str(), ratio, lo, hi, settle_s, settled <= settle_s + 1e-9 ? "met" : "NOT met",
        settled, share < 0.05 ? "met" : "NOT met",
        percent(static_cast<double>(a.rejected), static_cast<double>(a.attempts())).c_str(),
        percent(static_cast<double>(f.rejected), static_cast<double>(f.attempts())).c_str());
  }
  for (const OverloadCell& c : cells) {
    if (c.in_flight_after != 0) {
      std::printf(
          "Log check FAILED in \"%s\": rhc's in-flight count read from the log ends at %d, not 0; "
          "the in-flight figures are off (has a log line's wording changed?).\n",
          c.title.c_str(), c.in_flight_after);
    }
  }
}

void write_csv(const std::string& path, const std::vector<OverloadCell>& cells) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) throw std::runtime_error("cannot write " + path);
  std::fprintf(out,
               "cell,t_end_s,in_flight_min,in_flight_max,cuts,cut_to_min,cut_to_max,ok,rejected,"
               "other,server_running,server_executed,server_rejected\n");
  for (const OverloadCell& c : cells) {
    for (const OverloadTick& t : c.ticks) {
      std::fprintf(out, "%s,%.1f,%d,%d,%d,%d,%d,%ld,%ld,%ld,%llu,%llu,%llu\n", c.name.c_str(),
                   t.end_s, t.in_flight_min, t.in_flight_max, t.cuts, t.cut_to_min, t.cut_to_max,
                   t.ok, t.rejected, t.other, static_cast<unsigned long long>(t.server_running),
                   static_cast<unsigned long long>(t.server_executed),
                   static_cast<unsigned long long>(t.server_rejected));
    }
  }
  std::fclose(out);
}

}  // namespace

void print_overload_report(const OverloadPlan& plan, const std::vector<OverloadCell>& cells) {
  print_summary(plan, cells);
  const double run_s = static_cast<double>(plan.duration.count());
  if (cells.size() > 1) print_timeline(cells[1], run_s, 0.5);
  for (std::size_t i = 2; i < cells.size(); ++i) print_timeline(cells[i], 1.0, kTickSeconds);
  print_verdicts(plan, cells);
  if (!plan.timeline_csv.empty()) {
    write_csv(plan.timeline_csv, cells);
    std::printf("The 100 ms samples of every cell: %s\n", plan.timeline_csv.c_str());
  }
}

}  // namespace rhc::bench::storm
