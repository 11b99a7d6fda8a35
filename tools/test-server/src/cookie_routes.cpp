#include "cookie_routes.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fault_params.hpp"
#include "json_bodies.hpp"
#include "transport_json.hpp"

namespace rhc::test_server::detail {
namespace {

constexpr const char* kJson = "application/json";

// RFC 6265 4.1.1: a name is an HTTP token; a value is cookie-octets (no space, DQUOTE, comma,
// semicolon or backslash); attribute values have no semicolon or control character.
bool is_token(std::string_view text) {
  constexpr std::string_view kSeparators = "()<>@,;:\\\"/[]?={} \t";
  if (text.empty()) return false;
  for (const unsigned char c : text) {
    if (c <= 0x20 || c >= 0x7f || kSeparators.find(static_cast<char>(c)) != kSeparators.npos) {
      return false;
    }
  }
  return true;
}

bool is_cookie_value(std::string_view text) {
  for (const unsigned char c : text) {
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') return false;
  }
  return true;
}

bool is_attribute_value(std::string_view text) {
  for (const unsigned char c : text) {
    if (c < 0x20 || c == 0x7f || c == ';') return false;
  }
  return true;
}

std::string cookie(const std::string& name, const std::string& value) {
  if (!is_token(name)) throw std::invalid_argument("bad cookie name '" + name + "'");
  if (!is_cookie_value(value)) throw std::invalid_argument("bad cookie value '" + value + "'");
  return name + "=" + value;
}

std::string attribute(const httplib::Request& request, const char* param, const char* name) {
  if (!request.has_param(param)) return "";
  const std::string value = request.get_param_value(param);
  if (!is_attribute_value(value)) {
    throw std::invalid_argument(std::string("bad ") + param + " '" + value + "'");
  }
  return std::string("; ") + name + "=" + value;
}

// `/cookies/set?a=1&b=2`: every parameter is a cookie.
std::vector<std::string> set_many(const httplib::Request& request) {
  if (request.params.empty())
    throw std::invalid_argument("no cookie given: /cookies/set?NAME=VALUE");
  std::vector<std::string> headers;
  for (const auto& [name, value] : request.params)
    headers.push_back(cookie(name, value) + "; Path=/");
  return headers;
}

// `/cookies/set-one?name=a&value=1&path=/x&domain=d&max_age=0&secure=true&http_only=true`.
std::vector<std::string> set_one(const httplib::Request& request) {
  if (!request.has_param("name")) throw std::invalid_argument("name is required");
  std::string header = cookie(request.get_param_value("name"), request.get_param_value("value"));
  header += request.has_param("path") ? attribute(request, "path", "Path") : "; Path=/";
  header += attribute(request, "domain", "Domain");
  header += attribute(request, "max_age", "Max-Age");
  if (parse_flag(request.params, "secure")) header += "; Secure";
  if (parse_flag(request.params, "http_only")) header += "; HttpOnly";
  return {header};
}

template <class Make>
httplib::Server::Handler setter(Make make) {
  return [make](const httplib::Request& request, httplib::Response& response) {
    try {
      const std::vector<std::string> headers = make(request);
      for (const std::string& header : headers) response.set_header("Set-Cookie", header);
      response.set_content(set_cookies_json(headers), kJson);
    } catch (const std::logic_error& bad) {
      response.status = 400;
      response.set_content(error_json(bad.what()), kJson);
    }
  };
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == text.npos) return "";
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

void echo(const httplib::Request& request, httplib::Response& response) {
  std::optional<std::string> header;
  std::vector<std::pair<std::string, std::string>> cookies;
  if (request.has_header("Cookie")) {
    header = request.get_header_value("Cookie");
    std::string_view rest = *header;
    while (!rest.empty()) {
      const auto end = rest.find(';');
      const std::string pair = trimmed(rest.substr(0, end));
      rest = end == rest.npos ? std::string_view() : rest.substr(end + 1);
      if (pair.empty()) continue;
      const auto equals = pair.find('=');
      cookies.emplace_back(trimmed(pair.substr(0, equals)),
                           equals == pair.npos ? "" : trimmed(pair.substr(equals + 1)));
    }
  }
  response.set_content(cookies_json(header, cookies), kJson);
}

}  // namespace

void install_cookie_routes(httplib::Server& server) {
  server.Get("/cookies/set", setter(set_many));
  server.Get("/cookies/set-one", setter(set_one));
  server.Get("/cookies", echo);
  server.Post("/cookies", echo);
  server.Get("/cookies/echo/.*", echo);
  server.Post("/cookies/echo/.*", echo);
}

}  // namespace rhc::test_server::detail
