// What a large response body costs in memory: about its size, not twice it (issue #19, item 8).
// A gzip-compressed body that decodes to just under max_response_bytes (the default 64 MiB),
// served from loopback; the process's peak RSS (VmHWM) is read before and after. Its own
// executable with one test case, so the process is fresh and nothing else raised the peak.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include <rhc/rhc.hpp>

#include "raw_server.hpp"
#include "slack.hpp"

namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;

// Peak resident set size of this process so far, in bytes.
std::size_t peak_rss() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoul(line.substr(6)) * 1024;
  }
  FAIL("no VmHWM in /proc/self/status");
  return 0;
}

// `n` zero bytes, gzip-compressed a megabyte at a time, so that making the bomb does not
// itself raise the peak.
std::string gzip_zeros(std::size_t n) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  const std::string zeros(kMiB, '\0');
  std::string out;
  char buffer[64 * 1024];
  for (std::size_t left = n;;) {
    const std::size_t chunk = std::min(left, kMiB);
    left -= chunk;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(chunk);
    const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    int result = Z_OK;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      result = deflate(&z, flush);
      REQUIRE(result != Z_STREAM_ERROR);
      out.append(buffer, sizeof buffer - z.avail_out);
    } while (z.avail_out == 0);
    if (left == 0) {
      REQUIRE(result == Z_STREAM_END);
      break;
    }
  }
  deflateEnd(&z);
  return out;
}

}  // namespace

TEST_CASE("a response body of N bytes raises peak RSS by about N, not 2 N", "[memory]") {
  if (rhc::testing::kSanitized) {
    // ASan's redzones and quarantine and TSan's shadow memory multiply what memory costs.
    WARN("sanitizer build: peak RSS not measured");
    return;
  }
  const char* perturb = std::getenv("MALLOC_PERTURB_");
  if (perturb != nullptr && std::atoi(perturb) != 0) {
    // glibc then fills every allocation as it is made, so all of it is resident at once,
    // however little of it has been written: not what a service sees.
    WARN("MALLOC_PERTURB_ is set: peak RSS not measured");
    return;
  }
  rhc::ClientConfig config;  // the default max_response_bytes, 64 MiB
  const std::size_t n = static_cast<std::size_t>(config.max_response_bytes) - kMiB;
  const std::string body = gzip_zeros(n);
  REQUIRE(body.size() < kMiB);
  rhc::testing::RawResponseServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
      "Content-Encoding: gzip\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  config.base_url = server.base_url();
  config.logging.level = "ERROR";
  config.retry.max_attempts = 1;
  rhc::ResilientClient client(config);

  const std::size_t before = peak_rss();
  const rhc::Response response = client.get("/large").get();
  const std::size_t after = peak_rss();
  REQUIRE(response.text.size() == n);
  const std::size_t growth = after - before;
  std::cout << "body " << n / kMiB << " MiB: peak RSS " << before / kMiB << " -> " << after / kMiB
            << " MiB, +" << growth / kMiB << " MiB (" << static_cast<double>(growth) / n
            << " x the body)\n";
  CHECK(growth < n + n * 3 / 10 + 8 * kMiB);
}
