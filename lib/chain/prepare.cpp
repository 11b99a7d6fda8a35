#include "chain/prepare.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "base/ascii.hpp"
#include "config/validate.hpp"
#include "http/header_check.hpp"
#include "http/request_id.hpp"

namespace rhc::detail {
namespace {

Failure config_failure(std::string cause) {
  return Failure::of(ErrorKind::Config, std::move(cause));
}

}  // namespace

bool sends_empty_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

std::optional<Failure> prepare(const ClientConfig& config, const BaseUrl& base, std::string method,
                               const std::string& path, RequestOptions&& options, Request& r) {
  r.method = std::move(method);
  r.url = display_path(path);
  r.request_id = resolve_request_id(options.request_id, options.headers);
  r.cancel_state = CancelAccess::take(std::move(options.cancel));
  r.timeouts = options.timeout ? *options.timeout : config.timeout;

  if (auto problem = check_method(r.method)) return config_failure(*problem);
  if (options.json && options.body) {
    return config_failure("json and body are both set; a request has one body");
  }
  if (options.timeout) {
    // The client's own rule for these fields (finite, in range), from the one field table.
    const auto problems = config::find_timeout_problems(*options.timeout);
    if (!problems.empty()) {
      std::string cause = "invalid RequestOptions: ";
      for (std::size_t i = 0; i < problems.size(); ++i) {
        if (i > 0) cause += "; ";
        cause += config::describe(problems[i]);
      }
      return config_failure(std::move(cause));
    }
  }
  if (auto problem = check_header("X-Request-ID", r.request_id)) {
    return config_failure("request_id: " + *problem);
  }
  std::string url_error;
  r.url_handle = base.resolve(path, options.params, &url_error, &r.https);
  if (!r.url_handle) return config_failure(url_error);
  r.url.clear();  // rendered from the handle when a log line or an error needs it

  bool has_content_type = false;
  std::string line;
  for (const auto& [name, value] : options.headers) {
    if (auto problem = check_header(name, value)) return config_failure(*problem);
    if (ascii_iequals(name, "X-Request-ID")) continue;  // sent once below, with the resolved id
    if (ascii_iequals(name, "Proxy-Authorization")) {
      // Meant for a proxy: libcurl sends it there only (CURLOPT_PROXYHEADER), so no origin,
      // and no host a redirect leads to, ever sees it.
      line.assign(name).append(": ").append(value);
      r.proxy_header_list = curl_slist_append(r.proxy_header_list, line.c_str());
      continue;
    }
    if (ascii_iequals(name, "Content-Type")) has_content_type = true;
    // "Name;" is libcurl's spelling of a header with an empty value ("Name:" would remove it).
    line.assign(name).append(value.empty() ? ";" : ": ").append(value);
    r.header_list = curl_slist_append(r.header_list, line.c_str());
  }
  line.assign("X-Request-ID: ").append(r.request_id);
  r.header_list = curl_slist_append(r.header_list, line.c_str());
  if (options.json) {
    if (!has_content_type) {
      r.header_list = curl_slist_append(r.header_list, "Content-Type: application/json");
    }
    r.body = std::move(options.json);
  } else if (options.body) {
    // libcurl would label a POSTFIELDS body application/x-www-form-urlencoded; a raw body
    // carries only the type the caller gave.
    if (!has_content_type) r.header_list = curl_slist_append(r.header_list, "Content-Type:");
    r.body = std::move(options.body);
  } else if (!has_content_type && sends_empty_body(r.method)) {
    r.header_list = curl_slist_append(r.header_list, "Content-Type:");
  }
  // No "Expect: 100-continue" round trip before large bodies: one wasted RTT per request.
  r.header_list = curl_slist_append(r.header_list, "Expect:");
  return std::nullopt;
}

}  // namespace rhc::detail
