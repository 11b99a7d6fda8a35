#include "load_progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>

namespace rhc::probe {

LoadProgressLine::LoadProgressLine(std::uint64_t requests, double duration_s)
    : tty_(isatty(STDERR_FILENO) != 0), requests_(requests), duration_s_(duration_s) {}

std::chrono::milliseconds LoadProgressLine::period() const {
  return tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(1000);
}

void LoadProgressLine::draw(std::uint64_t completed, double elapsed_s) const {
  double fraction = 0;
  if (requests_ > 0) {
    fraction = static_cast<double>(completed) / static_cast<double>(requests_);
  }
  if (duration_s_ > 0) fraction = std::max(fraction, elapsed_s / duration_s_);
  fraction = std::min(1.0, fraction);
  const double rate = elapsed_s > 0 ? static_cast<double>(completed) / elapsed_s : 0;
  const auto done = static_cast<unsigned long long>(completed);
  if (tty_) {
    const int width = 30, filled = static_cast<int>(fraction * width);
    std::fprintf(stderr, "\r[%s%s] %3.0f%%  %llu requests  %.0f req/s ",
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), fraction * 100,
                 done, rate);
  } else {
    std::fprintf(stderr, "progress: %llu requests, %.1f s, %.0f req/s\n", done, elapsed_s, rate);
  }
  std::fflush(stderr);
}

void LoadProgressLine::finish() const {
  if (tty_) std::fprintf(stderr, "\n");
}

}  // namespace rhc::probe
