// rhc-bench-stream: a streamed response body (RequestOptions::on_chunk), measured
// (docs/benchmarks.md "Streaming"), against an in-process server sending N bytes at full speed:
//   fast   throughput of rhc's on_chunk writing to /dev/null next to raw libcurl
//          (curl_easy_perform, its write callback writing to /dev/null), repetitions
//          interleaved so that a noisy machine hits both alike; medians
//   slow   1 GiB through on_chunk with a consumer slower than the server (throttled to
//          --slow-rate MiB/s): the process's resident set growth, sampled in the consumer
#include <curl/curl.h>
#include <fcntl.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <rhc/rhc.hpp>

#include "byte_server.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kMiB = 1024.0 * 1024.0;

std::size_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct DevNull {
  int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  ~DevNull() { ::close(fd); }
  void write(const char* data, std::size_t n) const {
    if (::write(fd, data, n) < 0) std::perror("write /dev/null");
  }
};

std::size_t to_dev_null(char* data, std::size_t size, std::size_t count, void* sink) {
  static_cast<const DevNull*>(sink)->write(data, size * count);
  return size * count;
}

// MiB/s of raw libcurl fetching `url` into /dev/null.
double raw_curl(const std::string& url, std::size_t bytes, const DevNull& sink) {
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &to_dev_null);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &sink);
  const auto start = Clock::now();
  const CURLcode rc = curl_easy_perform(easy);
  const double s = seconds_since(start);
  curl_easy_cleanup(easy);
  if (rc != CURLE_OK) throw std::runtime_error(std::string("raw: ") + curl_easy_strerror(rc));
  return static_cast<double>(bytes) / kMiB / s;
}

// MiB/s of rhc streaming `url` into /dev/null through on_chunk.
double rhc_stream(rhc::ResilientClient& client, const std::string& url, std::size_t bytes,
                  const DevNull& sink) {
  rhc::RequestOptions options;
  std::size_t received = 0;
  options.on_chunk = [&](std::string_view chunk) {
    sink.write(chunk.data(), chunk.size());
    received += chunk.size();
  };
  const auto start = Clock::now();
  client.get(url, std::move(options)).get();
  const double s = seconds_since(start);
  if (received != bytes) throw std::runtime_error("rhc: short body");
  return static_cast<double>(bytes) / kMiB / s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "rhc-bench-stream: on_chunk throughput next to raw libcurl, and memory under a "
      "slow consumer"};
  double fast_mib = 1024, slow_mib = 1024, slow_rate = 256;
  int reps = 3;
  app.add_option("--fast-mib", fast_mib, "body size of the throughput runs, MiB")
      ->capture_default_str();
  app.add_option("--slow-mib", slow_mib, "body size of the slow-consumer run, MiB")
      ->capture_default_str();
  app.add_option("--slow-rate", slow_rate, "the slow consumer's pace, MiB/s")
      ->capture_default_str();
  app.add_option("--reps", reps, "repetitions of each throughput run")->capture_default_str();
  std::string only;
  app.add_option("--only", only,
                 "run one side of the throughput runs alone: raw or rhc (for "
                 "perf stat)");
  CLI11_PARSE(app, argc, argv);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  rhc::bench::ByteServer server;
  const DevNull sink;
  rhc::ClientConfig config;
  config.base_url = "http://127.0.0.1";
  config.logging.level = "ERROR";
  rhc::ResilientClient client(config);
  const auto fast_bytes = static_cast<std::size_t>(fast_mib * kMiB);
  const std::string fast_url = server.url(fast_bytes);
  client.get(server.url(1000)).get();  // threads and the connection made before measuring

  std::vector<double> raw, streamed;
  for (int rep = 0; rep < reps; ++rep) {
    if (only != "rhc") raw.push_back(raw_curl(fast_url, fast_bytes, sink));
    if (only != "raw") streamed.push_back(rhc_stream(client, fast_url, fast_bytes, sink));
  }
  if (!only.empty()) {
    const std::vector<double>& side = only == "raw" ? raw : streamed;
    std::printf("%s alone, %.0f MiB to /dev/null, median of %d: %.0f MiB/s\n", only.c_str(),
                fast_mib, reps, median(side));
    return 0;
  }
  std::printf("fast consumer, %.0f MiB to /dev/null, median of %d (MiB/s):\n", fast_mib, reps);
  // Each rep's pair ran back to back: the median of their ratios is less exposed to the
  // machine's load changing between reps than the ratio of the two medians.
  std::vector<double> ratios;
  for (std::size_t i = 0; i < raw.size(); ++i) ratios.push_back(streamed[i] / raw[i]);
  std::printf(
      "  raw libcurl  %8.0f\n  rhc on_chunk %8.0f  (%.0f %% of raw; median of the reps' "
      "ratios %.0f %%)\n",
      median(raw), median(streamed), 100.0 * median(streamed) / median(raw),
      100.0 * median(ratios));

  const auto slow_bytes = static_cast<std::size_t>(slow_mib * kMiB);
  const std::size_t before = rss_bytes();
  std::size_t peak = before, received = 0, calls = 0;
  rhc::RequestOptions slow;
  const auto start = Clock::now();
  slow.on_chunk = [&](std::string_view chunk) {
    received += chunk.size();
    // Throttled: never ahead of slow_rate MiB/s since the start.
    const auto due =
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                    static_cast<double>(received) / kMiB / slow_rate));
    std::this_thread::sleep_until(due);
    if (++calls % 8 == 0) peak = std::max(peak, rss_bytes());
  };
  client.get(server.url(slow_bytes), std::move(slow)).get();
  const double s = seconds_since(start);
  peak = std::max(peak, rss_bytes());
  std::printf(
      "slow consumer, %.0f MiB at %.0f MiB/s: %.1f s, %.0f MiB/s, RSS %.1f MiB -> peak "
      "%.1f MiB (growth %.2f MiB)\n",
      slow_mib, slow_rate, s, static_cast<double>(received) / kMiB / s,
      static_cast<double>(before) / kMiB, static_cast<double>(peak) / kMiB,
      static_cast<double>(peak - before) / kMiB);
  return 0;
}
