#include "request_spec.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>

#include <rhc/errors.hpp>

namespace rhc::probe {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// `@FILE` (`@-`: stdin) read whole; anything else is the text itself.
std::string read_at_file(const std::string& value, const char* option) {
  if (value.empty() || value[0] != '@') return value;
  const std::string path = value.substr(1);
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw rhc::ConfigError(std::string("cannot read ") + option + " file '" + path + "'");
  text << in.rdbuf();
  return text.str();
}

std::string base64(const std::string& in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = static_cast<unsigned char>(in[i]) << 16 |
                       static_cast<unsigned char>(in[i + 1]) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(n >> shift) & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

rhc::Headers parse_headers(const std::vector<std::string>& lines) {
  rhc::Headers out;
  for (const auto& line : lines) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
      throw rhc::ConfigError("-H expects 'Name: value', got '" + line + "'");
    }
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    out.emplace_back(line.substr(0, colon), value);
  }
  return out;
}

}  // namespace

bool has_header(const rhc::Headers& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return iequals(h.first, name); });
}

PreparedRequest prepare_request(const RequestSpec& spec) {
  PreparedRequest p;
  p.options.headers = parse_headers(spec.headers);
  auto& headers = p.options.headers;
  const bool json = std::any_of(spec.body.begin(), spec.body.end(),
                                [](const BodyPart& b) { return b.kind == BodyPart::kJson; });
  const bool data = std::any_of(spec.body.begin(), spec.body.end(),
                                [](const BodyPart& b) { return b.kind != BodyPart::kJson; });
  if (json && data) throw rhc::ConfigError("--json cannot be combined with -d/--data options");
  if (spec.head && !spec.body.empty()) {
    throw rhc::ConfigError("-I (HEAD) cannot be combined with a request body");
  }
  if (json) {
    std::string text;
    for (const auto& part : spec.body) text += read_at_file(part.value, "--json");
    p.options.json = text;
    if (!has_header(headers, "Accept")) headers.emplace_back("Accept", "application/json");
  } else if (data) {
    std::string text;
    for (const auto& part : spec.body) {
      std::string piece;
      if (part.kind == BodyPart::kData) {
        piece = read_at_file(part.value, "-d");
        if (!part.value.empty() && part.value[0] == '@') {
          piece.erase(std::remove_if(piece.begin(), piece.end(),
                                     [](char c) { return c == '\r' || c == '\n'; }),
                      piece.end());
        }
      } else if (part.kind == BodyPart::kDataBinary) {
        piece = read_at_file(part.value, "--data-binary");
      } else {
        piece = part.value;
      }
      if (!text.empty()) text += '&';
      text += piece;
    }
    p.options.body = text;
    if (!has_header(headers, "Content-Type")) {
      headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    }
  }
  if (spec.user) {
    if (spec.user->find(':') == std::string::npos) {
      throw rhc::ConfigError("-u expects 'user:password', got '" + *spec.user + "'");
    }
    if (!has_header(headers, "Authorization")) {
      headers.emplace_back("Authorization", "Basic " + base64(*spec.user));
    }
  }
  if (spec.method) {
    p.method = *spec.method;
  } else if (spec.head) {
    p.method = "HEAD";
  } else {
    p.method = spec.body.empty() ? "GET" : "POST";
  }
  p.options.request_id = spec.request_id;
  return p;
}

}  // namespace rhc::probe
