#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "load_report.hpp"

namespace rhc::probe {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put_count(Writer& w, const char* name, std::uint64_t n) {
  w.Key(name);
  w.Uint64(n);
}

void put_number(Writer& w, const char* name, double x) {
  w.Key(name);
  w.Double(x);
}

void put_text(Writer& w, const char* name, const std::string& text) {
  w.Key(name);
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

// "count":..,"p50":..,"p90":..,"p99":..,"p99_9":..,"max":..,"mean":.. (milliseconds), as
// members of the object being written.
void percentile_members(Writer& w, const LatencyRecorder& r) {
  put_count(w, "count", r.count());
  put_number(w, "p50", r.percentile_ms(0.5));
  put_number(w, "p90", r.percentile_ms(0.9));
  put_number(w, "p99", r.percentile_ms(0.99));
  put_number(w, "p99_9", r.percentile_ms(0.999));
  put_number(w, "max", r.max_ms());
  put_number(w, "mean", r.mean_ms());
}

// [{"le_ms":0.1,"count":n}, ..., {"le_ms":null,"count":n}]: null is the bucket above the last
// bound.
void histogram(Writer& w, const LatencyRecorder& r) {
  const auto& bounds = LatencyRecorder::display_bounds_ms();
  const auto& counts = r.display_counts();
  w.StartArray();
  for (std::size_t i = 0; i < counts.size(); ++i) {
    w.StartObject();
    w.Key("le_ms");
    if (i < bounds.size()) {
      w.Double(bounds[i]);
    } else {
      w.Null();
    }
    put_count(w, "count", counts[i]);
    w.EndObject();
  }
  w.EndArray();
}

void what_was_run(Writer& w, const LoadReport& report) {
  put_text(w, "method", report.method);
  put_text(w, "url", report.url);
  put_text(w, "mode", report.limits.rate > 0 ? "open" : "closed");
  put_count(w, "concurrency", static_cast<std::uint64_t>(report.limits.concurrency));
  if (report.limits.rate > 0) put_number(w, "rate", report.limits.rate);
  w.Key("resilience");
  w.Bool(report.resilience);
  put_number(w, "seconds", report.run.elapsed_s);
  w.Key("deadline_reached");
  w.Bool(report.run.deadline_reached);
  if (report.limits.rate > 0) {
    w.Key("schedule");
    w.StartObject();
    put_count(w, "slots", report.run.slots);
    put_count(w, "late", report.run.late);
    put_count(w, "skipped", report.run.skipped);
    w.EndObject();
  }
}

void counts_and_rates(Writer& w, const LoadReport& report) {
  const LoadFigures& f = report.figures;
  put_count(w, "issued", report.run.issued);
  put_count(w, "requests", f.completed());
  put_count(w, "cancelled_at_deadline", f.count(LoadOutcome::kCancelledAtDeadline));
  put_count(w, "round_trips", f.round_trips.count());
  put_count(w, "served", f.served());
  put_count(w, "errors", f.errors());
  put_number(w, "error_share", report.error_share());
  if (report.max_error_share) {
    put_number(w, "max_error_share", *report.max_error_share);
    w.Key("over_error_limit");
    w.Bool(report.over_error_limit());
  }
  put_number(w, "rps", report.round_trips_per_second());
  put_number(w, "served_rps", report.served_per_second());
}

void distributions(Writer& w, const LoadFigures& f) {
  w.Key("status");
  w.StartObject();
  for (const auto& [status, n] : f.by_status) put_count(w, status.c_str(), n);
  w.EndObject();
  w.Key("latency_ms");
  w.StartObject();
  percentile_members(w, f.round_trips);
  w.Key("histogram");
  histogram(w, f.round_trips);
  w.EndObject();
  w.Key("outcomes");
  w.StartObject();
  for (std::size_t i = 0; i < kLoadOutcomes; ++i) {
    w.Key(outcome_key(static_cast<LoadOutcome>(i)));
    w.StartObject();
    put_count(w, "count", f.by_outcome[i].count());
    if (static_cast<LoadOutcome>(i) != LoadOutcome::kCancelledAtDeadline) {
      w.Key("latency_ms");
      w.StartObject();
      percentile_members(w, f.by_outcome[i]);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndObject();
  w.Key("attempts");
  w.StartObject();
  for (const auto& [attempts, n] : f.by_attempts) put_count(w, std::to_string(attempts).c_str(), n);
  w.EndObject();
}

// Per authority: the breaker's state, what it refused, retries made and refused by the budget.
void authorities(Writer& w, const rhc::ClientStats& stats) {
  w.Key("authorities");
  w.StartObject();
  for (const auto& a : stats.authorities) {
    w.Key(a.authority.c_str());
    w.StartObject();
    put_text(w, "breaker", rhc::to_string(a.breaker_state));
    put_count(w, "breaker_rejections", a.breaker_rejections);
    put_count(w, "retries", a.retries);
    put_count(w, "retry_budget_exhausted", a.retry_budget_exhausted);
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

std::string load_report_json(const LoadReport& report) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  what_was_run(w, report);
  counts_and_rates(w, report);
  distributions(w, report.figures);
  authorities(w, report.stats);
  w.EndObject();
  return buffer.GetString();
}

}  // namespace rhc::probe
