#include "metrics/text_format.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace rhc::detail {

namespace {

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

// # HELP text escapes backslash and line feed (not the double quote, unlike label values).
std::string escape_help(std::string_view help) {
  std::string escaped;
  for (char c : help) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

}  // namespace

bool is_metric_name(std::string_view name) {
  if (name.empty() || !is_name_start(name[0])) return false;
  for (char c : name) {
    if (!is_name_start(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string escape_label_value(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // to_chars without a format is the shortest round-trip form: 0.005 stays "0.005" where
  // printf("%.17g") would write 0.0050000000000000001. 32 chars hold any double.
  char buffer[32];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  if (error != std::errc()) return "NaN";  // cannot happen with 32 chars
  return std::string(buffer, end);
}

void TextWriter::family(std::string_view name, std::string_view type, std::string_view help) {
  family_.assign(prefix_).append("_").append(name);
  out_.append("# HELP ").append(family_).append(" ").append(escape_help(help)).append("\n");
  out_.append("# TYPE ").append(family_).append(" ").append(type).append("\n");
}

void TextWriter::write_sample(std::initializer_list<Label> labels, std::string_view suffix,
                              std::string_view value) {
  out_.append(family_).append(suffix);
  if (labels.size() > 0) {
    out_ += '{';
    const char* separator = "";
    for (const Label& label : labels) {
      out_.append(separator).append(label.name).append("=\"");
      out_.append(escape_label_value(label.value)).append("\"");
      separator = ",";
    }
    out_ += '}';
  }
  out_.append(" ").append(value).append("\n");
}

}  // namespace rhc::detail
