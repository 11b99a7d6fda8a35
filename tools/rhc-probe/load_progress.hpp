// A load run's progress on stderr: a bar redrawn in place on a terminal, else a line a
// second (a log or CI output keeps every line).
#pragma once

#include <chrono>
#include <cstdint>

namespace rhc::probe {

class LoadProgressLine {
 public:
  // `requests` and `duration_s`: the run's limits (0: none); the bar follows whichever is
  // further along.
  LoadProgressLine(std::uint64_t requests, double duration_s);

  std::chrono::milliseconds period() const;
  void draw(std::uint64_t completed, double elapsed_s) const;
  // Ends the bar's line on a terminal.
  void finish() const;

 private:
  bool tty_;
  std::uint64_t requests_;
  double duration_s_;
};

}  // namespace rhc::probe
