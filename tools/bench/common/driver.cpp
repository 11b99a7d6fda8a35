#include "driver.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <thread>

namespace rhc::bench {

LatencySink::LatencySink(std::size_t capacity)
    : capacity_(capacity), samples_(std::make_unique<float[]>(capacity)) {}

double LatencySink::percentile(double p) {
  const std::size_t n = std::min(count(), capacity_);
  if (n == 0) return 0;
  if (!sorted_) {
    std::sort(samples_.get(), samples_.get() + n);
    sorted_ = true;
  }
  // Nearest rank.
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(n)));
  return samples_[std::clamp<std::size_t>(rank, 1, n) - 1];
}

long current_rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  long size_pages = 0, resident_pages = 0;
  statm >> size_pages >> resident_pages;
  return resident_pages * sysconf(_SC_PAGESIZE);
}

namespace {

struct CpuSample {
  double user_us = 0, sys_us = 0;
  long voluntary_switches = 0, involuntary_switches = 0;
};

// Every thread of the process: rhc's loop and executor threads count as the client's CPU.
CpuSample cpu_now() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto micros = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e6 + t.tv_usec; };
  return {micros(usage.ru_utime), micros(usage.ru_stime), usage.ru_nvcsw, usage.ru_nivcsw};
}

void print_cpu(const CpuSample& a, const CpuSample& b, double requests) {
  const double n = std::max(requests, 1.0);
  std::printf(
      ",\"cpu_us_per_req\":%.3f,\"user_us_per_req\":%.3f,\"sys_us_per_req\":%.3f"
      ",\"csw_per_req\":%.4f,\"client_cpu_s\":%.3f",
      (b.user_us - a.user_us + b.sys_us - a.sys_us) / n, (b.user_us - a.user_us) / n,
      (b.sys_us - a.sys_us) / n,
      static_cast<double>(b.voluntary_switches - a.voluntary_switches + b.involuntary_switches -
                          a.involuntary_switches) /
          n,
      (b.user_us - a.user_us + b.sys_us - a.sys_us) / 1e6);
}

Clock::duration seconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

int timed_run(Workload& workload, const RunOptions& o, const std::string& label) {
  // Room for 400k req/s over the window; more than any client here reaches on loopback.
  const auto capacity = static_cast<std::size_t>(std::max(1.0, o.duration_s) * 400000);
  Plan plan(o.url, o.concurrency, capacity);
  workload.prepare(plan);
  plan.window_start = Clock::now() + seconds(o.warmup_s);
  plan.window_end = plan.window_start + seconds(o.duration_s);
  std::thread runner([&] { workload.run(plan); });
  std::this_thread::sleep_until(plan.window_start);
  const CpuSample before = cpu_now();
  std::this_thread::sleep_until(plan.window_end);
  const CpuSample after = cpu_now();
  plan.stop();
  runner.join();
  workload.finish();

  const auto requests = static_cast<double>(plan.latencies.count());
  std::printf(
      "{\"client\":\"%s\",\"run\":\"timed\",\"concurrency\":%d,\"requests\":%.0f"
      ",\"seconds\":%.3f,\"rps\":%.1f,\"p50_us\":%.1f,\"p99_us\":%.1f,\"errors\":%ld",
      label.c_str(), o.concurrency, requests, o.duration_s, requests / o.duration_s,
      plan.latencies.percentile(0.50), plan.latencies.percentile(0.99), plan.errors_in_window());
  print_cpu(before, after, requests);
  std::printf("}\n");
  return plan.errors_in_window() == 0 && requests > 0 ? 0 : 1;
}

int counted_run(Workload& workload, const RunOptions& o, const std::string& label) {
  Plan plan(o.url, o.concurrency, 1);
  plan.set_budget(o.requests);
  workload.prepare(plan);
  const auto start = Clock::now();
  const CpuSample before = cpu_now();
  workload.run(plan);
  const CpuSample after = cpu_now();
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  workload.finish();
  std::printf(
      "{\"client\":\"%s\",\"run\":\"counted\",\"concurrency\":%d,\"requests\":%ld"
      ",\"seconds\":%.3f,\"errors\":%ld",
      label.c_str(), o.concurrency, plan.finished_total(), wall, plan.errors_total());
  print_cpu(before, after, static_cast<double>(plan.finished_total()));
  std::printf("}\n");
  return plan.errors_total() == 0 && plan.finished_total() == o.requests ? 0 : 1;
}

// Starts rss_inflight requests at once against a server that holds every response until it
// has them all (tools/bench/slow_server.cpp), and samples RSS until the first one finishes:
// the plateau is the cost of that many requests in flight. The baseline is taken after
// prepare(), so what every client needs once (threads, multi handle) does not count.
int rss_run(Workload& workload, const RunOptions& o, const std::string& label) {
  Plan plan(o.url, static_cast<int>(o.rss_inflight), 1);
  plan.set_budget(o.rss_inflight);
  workload.prepare(plan);
  const long base = current_rss_bytes();
  const auto start = Clock::now();
  std::atomic<bool> done{false};
  std::thread runner([&] {
    workload.run(plan);
    done.store(true);
  });
  long peak = base;
  double plateau_s = 0;  // how long RSS stayed within 1% of its final peak before the release
  Clock::time_point peak_at = start;
  while (!done.load() && plan.finished_total() == 0) {
    const long rss = current_rss_bytes();
    const auto now = Clock::now();
    if (rss > peak + peak / 100) peak_at = now;
    peak = std::max(peak, rss);
    plateau_s = std::chrono::duration<double>(now - peak_at).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  runner.join();
  workload.finish();
  const double per_request = static_cast<double>(peak - base) / static_cast<double>(o.rss_inflight);
  std::printf(
      "{\"client\":\"%s\",\"run\":\"rss\",\"inflight\":%ld,\"rss_base_kib\":%ld"
      ",\"rss_peak_kib\":%ld,\"rss_per_inflight_bytes\":%.0f,\"plateau_s\":%.2f"
      ",\"finished\":%ld,\"errors\":%ld}\n",
      label.c_str(), o.rss_inflight, base / 1024, peak / 1024, per_request, plateau_s,
      plan.finished_total(), plan.errors_total());
  return plan.errors_total() == 0 && plan.finished_total() == o.rss_inflight ? 0 : 1;
}

}  // namespace

void Registry::add(const std::string& name, const std::string& description,
                   WorkloadFactory factory) {
  auto entry = std::make_unique<Entry>();
  entry->name = name;
  entry->factory = std::move(factory);
  CLI::App* c = app_.add_subcommand(name, description);
  RunOptions& o = entry->options;
  c->add_option("--url", o.url, "URL every request GETs")->capture_default_str();
  c->add_option("-c,--concurrency", o.concurrency, "requests in flight (closed loop)")
      ->check(CLI::Range(1, 20000))
      ->capture_default_str();
  c->add_option("--warmup", o.warmup_s, "seconds before the measured window")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  c->add_option("-d,--duration", o.duration_s, "seconds measured")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  auto* counted = c->add_option("-n,--requests", o.requests,
                                "counted run: exactly this many requests, no window");
  counted->check(CLI::PositiveNumber);
  c->add_option("--rss", o.rss_inflight,
                "RSS run: this many requests in flight at once against the slow server")
      ->check(CLI::Range(1L, 19000L))
      ->excludes(counted);
  c->add_option("--label", o.label, "name printed as \"client\"");
  if (name.rfind("raw", 0) == 0) {
    c->add_option("--libcurl", o.libcurl,
                  "extra libcurl settings, comma-separated: proxy, curlu, ua, xid, hdr, hfn, enc, "
                  "gzip, fresh");
  }
  entry->command = c;
  entries_.push_back(std::move(entry));
}

int Registry::run_chosen() {
  for (auto& e : entries_) {
    if (!e->command->parsed()) continue;
    const RunOptions& o = e->options;
    const std::string label = o.label.empty() ? e->name : o.label;
    try {
      std::unique_ptr<Workload> workload = e->factory(o);
      if (o.rss_inflight > 0) return rss_run(*workload, o, label);
      if (o.requests > 0) return counted_run(*workload, o, label);
      return timed_run(*workload, o, label);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "%s %s: %s\n", app_.get_name().c_str(), e->name.c_str(), error.what());
      return 2;
    }
  }
  return 2;
}

}  // namespace rhc::bench
