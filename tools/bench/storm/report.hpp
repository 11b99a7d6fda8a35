// Markdown tables on stdout, the form the bench programs print their results in.
#pragma once

#include <cstdarg>
#include <cstdio>
#include <string>
#include <vector>

namespace rhc::bench::storm {

// printf into a std::string.
__attribute__((format(printf, 1, 2))) inline std::string format(const char* fmt, ...) {
  char buffer[256];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buffer, sizeof buffer, fmt, args);
  va_end(args);
  return buffer;
}

// 100 * part / whole, as "12.34 %"; "-" when whole is 0.
inline std::string percent(double part, double whole) {
  return whole > 0 ? format("%.2f %%", 100.0 * part / whole) : std::string("-");
}

using Row = std::vector<std::string>;

// The first column left-aligned, the others right-aligned.
inline void print_table(const Row& header, const std::vector<Row>& rows) {
  auto line = [](const Row& cells) {
    std::string text = "|";
    for (const std::string& c : cells) text += " " + c + " |";
    std::printf("%s\n", text.c_str());
  };
  line(header);
  std::string rule = "|---|";
  for (std::size_t i = 1; i < header.size(); ++i) rule += "--:|";
  std::printf("%s\n", rule.c_str());
  for (const Row& r : rows) line(r);
}

}  // namespace rhc::bench::storm
