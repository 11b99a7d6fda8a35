#include "load.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <rhc/metrics.hpp>
#include <rhc/rhc.hpp>

#include "outcome_class.hpp"
#include "stats_report.hpp"

namespace rhc::probe {
namespace {

using Clock = std::chrono::steady_clock;

// What the run has seen so far. Callbacks run on several executor threads; one mutex is
// plenty next to an HTTP round trip.
struct Tally {
  std::mutex mutex;
  std::condition_variable all_done;
  std::vector<double> latencies_ms;
  std::map<std::string, long> by_class;  // "ok" or the error class
  std::map<int, long> by_attempts;
  long completed = 0;
  int in_flight = 0;
};

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto index = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(index, sorted.size() - 1)];
}

void draw_progress(bool tty, long done, long total, double elapsed_s, double duration_s) {
  const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total)
                                    : std::min(1.0, elapsed_s / duration_s);
  const double rate = elapsed_s > 0 ? static_cast<double>(done) / elapsed_s : 0;
  if (tty) {
    const int width = 30, filled = static_cast<int>(fraction * width);
    std::fprintf(stderr, "\r[%s%s] %3.0f%%  %ld requests  %.0f req/s ",
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), fraction * 100,
                 done, rate);
  } else {
    std::fprintf(stderr, "progress: %ld requests, %.1f s, %.0f req/s\n", done, elapsed_s, rate);
  }
  std::fflush(stderr);
}

// `text` as a JSON string, quotes and escapes included: an authority comes from the user's
// URL.
std::string json_quoted(const std::string& text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
  return buffer.GetString();
}

// The summary's per-authority figures: the breaker's state, what it refused, and the
// retries made and refused by the retry budget. As members of the JSON summary:
// ,"authorities":{"http://h:p":{"breaker":"CLOSED",...}}
void print_authorities_json(const rhc::ClientStats& stats) {
  std::printf(",\"authorities\":{");
  const char* sep = "";
  for (const auto& a : stats.authorities) {
    std::printf(
        "%s%s:{\"breaker\":\"%s\",\"breaker_rejections\":%llu,\"retries\":%llu,"
        "\"retry_budget_exhausted\":%llu}",
        sep, json_quoted(a.authority).c_str(), rhc::to_string(a.breaker_state),
        static_cast<unsigned long long>(a.breaker_rejections),
        static_cast<unsigned long long>(a.retries),
        static_cast<unsigned long long>(a.retry_budget_exhausted));
    sep = ",";
  }
  std::printf("}");
}

// The same, one text line per authority.
void print_authorities_text(const rhc::ClientStats& stats) {
  for (const auto& a : stats.authorities) {
    std::printf("authority    %s  breaker %s  rejected %llu  retries %llu  budget exhausted %llu\n",
                a.authority.c_str(), rhc::to_string(a.breaker_state),
                static_cast<unsigned long long>(a.breaker_rejections),
                static_cast<unsigned long long>(a.retries),
                static_cast<unsigned long long>(a.retry_budget_exhausted));
  }
}

}  // namespace

int run_load(const rhc::ClientConfig& base_config, const LoadArgs& args) {
  if (args.concurrency < 1 || (args.requests <= 0) == (args.duration_s <= 0)) {
    std::cerr << "rhc-probe load: give -c >= 1 and exactly one of -n or -d\n";
    return kExitUsage;
  }
  // Opened before the run: a typo in the path must not cost the whole run.
  std::ofstream prometheus_out;
  const bool prometheus_to_file = !args.prometheus_file.empty() && args.prometheus_file != "-";
  if (prometheus_to_file) {
    prometheus_out.open(args.prometheus_file, std::ios::out | std::ios::trunc);
    if (!prometheus_out) {
      std::cerr << "rhc-probe load: cannot write --prometheus file '" << args.prometheus_file
                << "': " << std::strerror(errno) << "\n";
      return kExitUsage;
    }
  }
  rhc::ClientConfig config = base_config;
  // The bulkhead must not be the bottleneck of a load run unless the user says so.
  config.bulkhead.max_concurrency = std::max(config.bulkhead.max_concurrency, args.concurrency);
  std::unique_ptr<rhc::ResilientClient> client;
  try {
    client = rhc::create_resilient_client(config);
  } catch (const rhc::ConfigError& e) {
    std::cerr << "rhc-probe: " << e.what() << "\n";
    return kExitUsage;
  }

  Tally tally;
  std::atomic<long> issued{0};
  const auto start = Clock::now();
  const auto stop_at = start + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(args.duration_s));
  auto may_issue = [&] {
    if (args.requests > 0) return issued.fetch_add(1) < args.requests;
    return Clock::now() < stop_at;
  };

  // Closed loop: each completion issues the next request from its callback.
  std::function<void()> issue = [&] {
    const auto sent = Clock::now();
    client->get(args.url, {}, [&, sent](rhc::Outcome outcome) {
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
      std::string cls = "ok";
      int attempts = 0;
      if (outcome.ok()) {
        attempts = outcome.response->attempts;
      } else {
        ErrorInfo e = describe_error(outcome.error);
        cls = e.class_name;
        attempts = e.attempts;
      }
      const bool again = may_issue();
      {
        std::lock_guard<std::mutex> lock(tally.mutex);
        tally.latencies_ms.push_back(ms);
        ++tally.by_class[cls];
        ++tally.by_attempts[attempts];
        ++tally.completed;
        if (!again && --tally.in_flight == 0) tally.all_done.notify_all();
      }
      if (again) issue();
    });
  };
  {
    std::lock_guard<std::mutex> lock(tally.mutex);
    tally.in_flight = args.concurrency;
  }
  int started = 0;
  for (int i = 0; i < args.concurrency; ++i) {
    if (!may_issue()) break;
    ++started;
    issue();
  }
  {
    std::lock_guard<std::mutex> lock(tally.mutex);
    tally.in_flight -= args.concurrency - started;
  }

  const bool tty = isatty(STDERR_FILENO) != 0;
  const auto period = tty ? std::chrono::milliseconds(200) : std::chrono::milliseconds(1000);
  {
    std::unique_lock<std::mutex> lock(tally.mutex);
    while (tally.in_flight > 0) {
      tally.all_done.wait_for(lock, period);
      const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      draw_progress(tty, tally.completed, args.requests, elapsed, args.duration_s);
    }
  }
  if (tty) std::fprintf(stderr, "\n");
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  client->close();
  // After close(): every request of the run is counted, none is in flight.
  const rhc::ClientStats stats = client->stats();

  std::vector<double>& lat = tally.latencies_ms;
  std::sort(lat.begin(), lat.end());
  const double rate = elapsed > 0 ? static_cast<double>(tally.completed) / elapsed : 0;
  if (args.json_output) {
    std::printf(
        "{\"requests\":%ld,\"seconds\":%.3f,\"rps\":%.1f,\"p50_ms\":%.3f,"
        "\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"outcomes\":{",
        tally.completed, elapsed, rate, percentile(lat, 0.5), percentile(lat, 0.9),
        percentile(lat, 0.99), lat.empty() ? 0 : lat.back());
    const char* sep = "";
    for (const auto& [cls, n] : tally.by_class) {
      std::printf("%s\"%s\":%ld", sep, cls.c_str(), n);
      sep = ",";
    }
    std::printf("},\"attempts\":{");
    sep = "";
    for (const auto& [a, n] : tally.by_attempts) {
      std::printf("%s\"%d\":%ld", sep, a, n);
      sep = ",";
    }
    std::printf("}");
    print_authorities_json(stats);
    std::printf("}\n");
  } else {
    std::printf("requests     %ld in %.2f s\n", tally.completed, elapsed);
    std::printf("throughput   %.1f req/s\n", rate);
    std::printf("latency ms   p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", percentile(lat, 0.5),
                percentile(lat, 0.9), percentile(lat, 0.99), lat.empty() ? 0 : lat.back());
    std::printf("outcomes    ");
    for (const auto& [cls, n] : tally.by_class) std::printf(" %s=%ld", cls.c_str(), n);
    std::printf("\nattempts    ");
    for (const auto& [a, n] : tally.by_attempts) std::printf(" %d:%ld", a, n);
    std::printf("\n");
    print_authorities_text(stats);
  }
  if (args.stats) {
    const std::string report = stats_report(stats);
    if (args.json_output) {
      std::cerr << report;
    } else {
      std::cout << "\n" << report;
    }
  }
  if (!args.prometheus_file.empty()) {
    std::ostream& out = prometheus_to_file ? prometheus_out : std::cout;
    out << rhc::to_prometheus(stats);
    out.flush();
    if (!out) {
      std::cerr << "rhc-probe load: writing the Prometheus text to '" << args.prometheus_file
                << "' failed\n";
      return kExitOther;
    }
  }
  return 0;
}

}  // namespace rhc::probe
