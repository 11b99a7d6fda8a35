// The Prometheus text exposition format 0.0.4, line by line: a family's # HELP and # TYPE
// lines, then its samples, with names checked, label values escaped and numbers written so
// that Prometheus reads back exactly the value we hold. prometheus.cpp decides what to write.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

namespace rhc::detail {

// [a-zA-Z_:][a-zA-Z0-9_:]*, the format's metric name.
bool is_metric_name(std::string_view name);

// A label value between its double quotes: backslash, double quote and line feed escaped.
std::string escape_label_value(std::string_view value);

// The shortest text that parses back to `value` ("0.005", "1", "1e-06"); "+Inf", "-Inf",
// "NaN" as the format spells them.
std::string format_number(double value);

struct Label {
  std::string_view name;  // a constant of ours: never escaped, never checked
  std::string_view value;
};

// Appends families to `out`. The caller writes each family's samples right after family(),
// and every family once: the format allows neither interleaving nor repeats.
class TextWriter {
 public:
  // `prefix` must be a metric name (is_metric_name); every name written starts "prefix_".
  TextWriter(std::string& out, std::string_view prefix) : out_(out), prefix_(prefix) {}

  // `type`: "counter", "gauge" or "histogram". `help` is one line of ours.
  void family(std::string_view name, std::string_view type, std::string_view help);

  // A sample of the current family; `suffix` ("_bucket", "_sum", "_count") follows its name.
  // Integers are written as integers, whatever their size.
  template <typename Number>
  void sample(std::initializer_list<Label> labels, Number value, std::string_view suffix = {}) {
    static_assert(std::is_arithmetic_v<Number>);
    if constexpr (std::is_floating_point_v<Number>) {
      write_sample(labels, suffix, format_number(value));
    } else {
      write_sample(labels, suffix, std::to_string(value));
    }
  }

 private:
  void write_sample(std::initializer_list<Label> labels, std::string_view suffix,
                    std::string_view value);

  std::string& out_;
  std::string_view prefix_;
  std::string family_;  // the current family's full name
};

}  // namespace rhc::detail
